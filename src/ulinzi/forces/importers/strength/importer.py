"""Write parsed strength records: one transaction per file, idempotent by natural key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.importers.strength.dialects import DIALECTS, Dialect, detect_dialect
from ulinzi.forces.importers.strength.records import StrengthRecord, updatable_fields
from ulinzi.forces.importers.strength.writer import CHUNK_ROWS, StrengthWriter, Written, record_key
from ulinzi.importing.csvrows import CsvRow, CsvSource, ProgressCallback, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.importing.rejects import open_rejects, write_rejects
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
    allow_downgrade: bool = False,
    on_progress: ProgressCallback | None = None,
    user: User | None = None,
) -> ImportOutcome:
    """Import a strength CSV; raise ImportRejected (and write nothing) if any row is bad.

    With ``skip_invalid`` the valid rows are written and the rejected ones go to
    ``reject_file`` with the reason for each. A row already imported updates its record; its
    label is only lowered with ``allow_downgrade``.
    """
    with CsvSource(path) as source, ExitStack() as cleanup:
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
        rejects = None
        if skip_invalid:
            # Opened before anything is written, so an unwritable path stops the import, not the report.
            outcome.reject_file = reject_file or Path(f"{path.stem}.rejects.csv")
            rejects = cleanup.enter_context(open_rejects(outcome.reject_file, source.name))
        rejected_rows: list[tuple[RowError, CsvRow | None]] = [(error, None) for error in header_errors]
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.create(
                    kind=KIND, file_name=source.name, sha256=file_sha256(path), user=user
                )
                writer = StrengthWriter(batch, allow_downgrade=allow_downgrade)
                rows = _records(source, dialect, header.missing, default_sensitivity, on_progress)
                written = _write_rows(rows, writer, rejected_rows, skip_invalid, outcome)
                outcome.rejected = [error for error, _ in rejected_rows]
                if rejected_rows and not skip_invalid:
                    raise _Rollback
                shortfall = writer.negative_strength(source.name)
                if shortfall is not None:
                    outcome.rejected = [shortfall]
                    raise _Rollback
                _finish(outcome, batch, written, len(rejected_rows))
        except _Rollback:
            raise ImportRejected(outcome.rejected) from None
        if written.kept_stricter:
            outcome.notices.append(
                f"{written.kept_stricter} record(s) kept their stricter label; use --allow-downgrade to lower it"
            )
        if rejects is not None:
            write_rejects(rejects, source.columns, rejected_rows)
            if not rejected_rows:
                outcome.reject_file = None
    return outcome


def _write_rows(
    rows: Iterator[tuple[CsvRow | RowError, StrengthRecord | list[RowError] | None]],
    writer: StrengthWriter,
    rejected_rows: list[tuple[RowError, CsvRow | None]],
    skip_invalid: bool,
    outcome: ImportOutcome,
) -> Written:
    """Feed valid rows to the writer in chunks; once a row fails without skip_invalid, only validate."""
    written = Written()
    pending: list[StrengthRecord] = []
    seen: dict[str, tuple[int, int]] = {}  # natural key -> (line, hash of its values) in this file
    for item, record in rows:
        outcome.rows_read += 1
        if isinstance(item, RowError):
            rejected_rows.append((item, None))
            continue
        if isinstance(record, list):
            rejected_rows.extend((error, item) for error in record)
            continue
        assert record is not None
        key, values = record_key(record), hash(tuple(updatable_fields(record).items()))
        if key in seen:
            first_line, first_values = seen[key]
            if first_values != values:
                reason = f"same source, date and movement as line {first_line} but different values"
                rejected_rows.append((item.error("row", reason), item))
            else:
                written.unchanged += 1
            continue
        seen[key] = (item.line, values)
        if skip_invalid or not rejected_rows:
            pending.append(record)
            if len(pending) >= CHUNK_ROWS:
                written.add(writer.write(pending))
                pending.clear()
    if pending and (skip_invalid or not rejected_rows):
        written.add(writer.write(pending))
    return written


def _finish(outcome: ImportOutcome, batch: ImportBatch, written: Written, rejected: int) -> None:
    outcome.created, outcome.updated, outcome.unchanged = written.created, written.updated, written.unchanged
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows_read=outcome.rows_read,
        rows_created=written.created,
        rows_updated=written.updated,
        rows_unchanged=written.unchanged,
        rows_rejected=rejected,
    )
    outcome.batch_id = batch.pk


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
