"""Write parsed strength records: one transaction per file, idempotent by natural key."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.importers.strength.dialects import DIALECTS, Dialect, detect_dialect
from ulinzi.forces.importers.strength.records import (
    StrengthRecord,
)
from ulinzi.forces.importers.strength.writer import CHUNK_ROWS, StrengthWriter, Written
from ulinzi.importing.csvrows import CsvRow, CsvSource, ProgressCallback, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.sources.models import ImportBatch

KIND = "strength"


@dataclass
class ImportOutcome:
    file: str
    dialect: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    reject_file: Path | None = None
    batch_id: int | None = None


class _Rollback(Exception):
    """Raised inside the transaction to undo every row of a file that had errors."""


def import_strength(
    path: Path,
    *,
    skip_invalid: bool = False,
    reject_file: Path | None = None,
    default_sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL,
    on_progress: ProgressCallback | None = None,
    user: User | None = None,
) -> ImportOutcome:
    """Import a strength CSV; raise ImportRejected (and write nothing) if any row is bad.

    With ``skip_invalid`` the valid rows are written and the rejected ones go to
    ``reject_file`` with the reason for each.
    """
    with CsvSource(path) as source:
        dialect = detect_dialect(source.columns)
        if dialect is None:
            expected = " or ".join(f"{d.name} ({', '.join(d.required)})" for d in DIALECTS)
            raise ImportRejected([RowError(source.name, 1, "header", f"not a strength file; expected {expected}")])
        header = source.check_header(dialect.required, (*dialect.known, ""))
        outcome = ImportOutcome(file=source.name, dialect=dialect.name)
        if header.ignored:
            outcome.notices.append(f"extra columns ignored: {', '.join(header.ignored)}")
        header_errors = source.header_errors(header)
        if header_errors and skip_invalid:
            raise ImportRejected(header_errors)  # no row can be valid without a required column
        rejected_rows: list[tuple[RowError, CsvRow | None]] = [(error, None) for error in header_errors]
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.create(kind=KIND, file_name=source.name, sha256=_sha256(path), user=user)
                writer = StrengthWriter(batch)
                pending: list[StrengthRecord] = []
                for item, record in _records(source, dialect, header.missing, default_sensitivity, on_progress):
                    outcome.rows_read += 1
                    if isinstance(item, RowError):
                        rejected_rows.append((item, None))
                        continue
                    if isinstance(record, list):
                        rejected_rows.extend((error, item) for error in record)
                        continue
                    if rejected_rows and not skip_invalid:
                        continue  # keep validating to report every problem; nothing will be kept
                    assert record is not None
                    pending.append(record)
                    if len(pending) >= CHUNK_ROWS:
                        _count(outcome, writer.write(pending))
                        pending.clear()
                if pending and not (rejected_rows and not skip_invalid):
                    _count(outcome, writer.write(pending))
                outcome.rejected = [error for error, _ in rejected_rows]
                if rejected_rows and not skip_invalid:
                    raise _Rollback
                ImportBatch.objects.filter(pk=batch.pk).update(
                    rows_read=outcome.rows_read,
                    rows_created=outcome.created,
                    rows_updated=outcome.updated,
                    rows_unchanged=outcome.unchanged,
                    rows_rejected=len(rejected_rows),
                )
                outcome.batch_id = batch.pk
        except _Rollback:
            raise ImportRejected(outcome.rejected) from None
        if rejected_rows:
            outcome.reject_file = reject_file or Path(f"{path.stem}.rejects.csv")
            _write_rejects(outcome.reject_file, source.columns, rejected_rows)
    return outcome


def _count(outcome: ImportOutcome, written: Written) -> None:
    outcome.created += written.created
    outcome.updated += written.updated
    outcome.unchanged += written.unchanged


def _records(
    source: CsvSource,
    dialect: Dialect,
    missing: tuple[str, ...],
    default_sensitivity: Sensitivity,
    on_progress: ProgressCallback | None,
) -> Iterator[tuple[CsvRow | RowError, StrengthRecord | list[RowError] | None]]:
    """Each row with its record, or with one error per bad field."""
    for item in source.rows(on_progress):
        if isinstance(item, RowError):
            yield item, None
            continue
        try:
            yield item, dialect.parse(RowReader(item, missing), default_sensitivity)
        except RowInvalid as invalid:
            yield item, [item.error(error.field, error.reason) for error in invalid.errors]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_rejects(target: Path, columns: tuple[str, ...], rejected: list[tuple[RowError, CsvRow | None]]) -> None:
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("line", "field", "reason", *columns))
        for error, row in rejected:
            values = [row.values.get(column, "") for column in columns] if row else []
            writer.writerow((error.line, error.field, error.reason, *values))
