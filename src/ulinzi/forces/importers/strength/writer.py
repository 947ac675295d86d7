"""Store parsed strength records in chunks: one look-up of existing keys per chunk, new reports,
movements, sources and their links inserted in bulk, contributors cached for the file.

A row whose natural key is stored already updates that record's figures and metadata in place;
a label is only lowered when the caller allows it, so a re-import never declassifies silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ulinzi.forces.importers.strength.records import (
    AuthorisationRecord,
    Country,
    MovementRecord,
    PledgeRecord,
    StrengthRecord,
    updatable_fields,
)
from ulinzi.forces.models import MOVEMENT_SIGN, Authorisation, Contingent, Contributor, Movement, MovementReport, Pledge
from ulinzi.forces.strength import Change, first_negative
from ulinzi.importing.errors import RowError
from ulinzi.sources.models import ImportBatch
from ulinzi.sources.services import SourceCache

CHUNK_ROWS = 500


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_stricter: int = 0

    def add(self, other: Written) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.kept_stricter += other.kept_stricter


@dataclass
class _MovementState:
    movement: Movement
    has_preferred: bool


@dataclass(frozen=True)
class _FileChange:
    country: str
    on: date
    delta: int
    line: int


@dataclass
class StrengthWriter:
    """Writes records for one import batch; call ``write`` with chunks, inside a transaction."""

    batch: ImportBatch
    allow_downgrade: bool = False
    _contributors: dict[str, Contributor] = field(default_factory=dict)
    _sources: SourceCache = field(default_factory=SourceCache)
    _movements: dict[str, _MovementState] = field(default_factory=dict)
    _file_changes: list[_FileChange] = field(default_factory=list)

    def write(self, records: Sequence[StrengthRecord]) -> Written:
        existing = self._existing(records)
        written = Written()
        new_reports: list[MovementRecord] = []
        for record in records:
            if isinstance(record, MovementRecord):
                sign = MOVEMENT_SIGN[record.kind]
                self._file_changes.append(
                    _FileChange(record.country.iso2, record.date, sign * record.personnel, record.provenance.line)
                )
            key = record_key(record)
            stored = existing.get(key)
            if stored is not None:
                self._update(record, stored, written)
                existing[key] = stored | updatable_fields(record)
                continue
            if isinstance(record, MovementRecord):
                new_reports.append(record)
            elif isinstance(record, PledgeRecord):
                self._write_pledge(record)
            else:
                self._write_authorisation(record)
            written.created += 1
        if new_reports:
            self._write_reports(new_reports)
        return written

    def negative_strength(self, file_name: str) -> RowError | None:
        """A departure that leaves a contributor below zero, named by the row that causes it."""
        rows = MovementReport.objects.filter(preferred=True).values_list(
            "movement__contributor__iso2", "movement__date", "movement__kind", "personnel"
        )
        negative = first_negative([Change(iso2, day, MOVEMENT_SIGN[kind] * n) for iso2, day, kind, n in rows])
        if negative is None:
            return None
        culprits = [c for c in self._file_changes if c.country == negative.country and c.on <= negative.on]
        line = max((c.line for c in culprits if c.delta < 0), default=culprits[-1].line if culprits else 1)
        reason = (
            f"leaves {negative.country} at {negative.value} personnel on {negative.on}; strength cannot be negative"
        )
        return RowError(file_name, line, "personnel", reason)

    def _existing(self, records: Sequence[StrengthRecord]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for model in (MovementReport, Pledge, Authorisation):
            chosen = [r for r in records if _model_of(r) is model]
            if not chosen:
                continue
            columns = ["pk", "natural_key", *updatable_fields(chosen[0])]
            if model is MovementReport:
                columns += ["preferred", "movement_id"]
            for row in model.objects.filter(natural_key__in=[record_key(r) for r in chosen]).values(*columns):
                found[row.pop("natural_key")] = row
        return found

    def _update(self, record: StrengthRecord, stored: dict[str, Any], written: Written) -> None:
        changes = {name: value for name, value in updatable_fields(record).items() if stored.get(name) != value}
        lowers_label = "sensitivity" in changes and int(str(changes["sensitivity"])) < stored["sensitivity"]
        if lowers_label and not self.allow_downgrade:
            del changes["sensitivity"]
            written.kept_stricter += 1
        model = _model_of(record)
        promote = isinstance(record, MovementRecord) and record.preferred is not None
        promote = promote and record.preferred != stored.get("preferred")  # type: ignore[union-attr]
        if promote and isinstance(record, MovementRecord):
            if record.preferred:
                MovementReport.objects.filter(movement_id=stored["movement_id"], preferred=True).update(preferred=False)
            changes["preferred"] = record.preferred
            stored["preferred"] = record.preferred
        if not changes:
            written.unchanged += 1
            return
        model.objects.filter(pk=stored["pk"]).update(**changes)
        written.updated += 1

    def _write_reports(self, records: Sequence[MovementRecord]) -> None:
        """Insert a chunk's new reports, then their source links, one statement each."""
        self._cache_movements(records)
        self._sources.load(citation for record in records for citation in record.provenance.citations)
        reports: list[MovementReport] = []
        for record in records:
            state = self._movements[record.movement_key]
            preferred = record.preferred is True or (record.preferred is None and not state.has_preferred)
            if record.preferred is True and state.has_preferred:
                state.movement.reports.filter(preferred=True).update(preferred=False)
                for earlier in reports:
                    if earlier.movement_id == state.movement.pk:
                        earlier.preferred = False
            state.has_preferred = state.has_preferred or preferred
            reports.append(
                MovementReport(
                    movement=state.movement,
                    reported_on=record.reported_on,
                    preferred=preferred,
                    batch=self.batch,
                    natural_key=record.report_key,
                    **updatable_fields(record),
                )
            )
        MovementReport.objects.bulk_create(reports)
        link = MovementReport.sources.through
        link.objects.bulk_create(
            [
                link(movementreport_id=report.pk, source_id=source_id)
                for report, record in zip(reports, records, strict=True)
                for source_id in (source.pk for source in self._sources.sources(record.provenance.citations))
            ]
        )

    def _cache_movements(self, records: Sequence[MovementRecord]) -> None:
        """Find or create every movement the records report on, and whether each has a preferred report."""
        wanted = {record.movement_key: record for record in records if record.movement_key not in self._movements}
        if not wanted:
            return
        found = {m.natural_key: m for m in Movement.objects.filter(natural_key__in=list(wanted))}
        with_preferred = set(
            MovementReport.objects.filter(movement__in=list(found.values()), preferred=True).values_list(
                "movement_id", flat=True
            )
        )
        missing = [self._new_movement(record) for key, record in wanted.items() if key not in found]
        for movement in Movement.objects.bulk_create(missing):
            found[movement.natural_key] = movement
        for key, movement in found.items():
            self._movements[key] = _MovementState(movement, movement.pk in with_preferred)

    def _new_movement(self, record: MovementRecord) -> Movement:
        contributor = self._contributor(record.country)
        contingent = None
        if record.contingent:
            contingent, _ = Contingent.objects.get_or_create(
                contributor=contributor, name=record.contingent, defaults={"role": record.role}
            )
        return Movement(
            natural_key=record.movement_key,
            contributor=contributor,
            contingent=contingent,
            kind=record.kind,
            date=record.date,
            date_precision=record.date_precision,
            description=record.provenance.description,
        )

    def _write_pledge(self, record: PledgeRecord) -> None:
        pledge = Pledge.objects.create(
            natural_key=record.key,
            contributor=self._contributor(record.country),
            date=record.date,
            date_precision=record.date_precision,
            batch=self.batch,
            **updatable_fields(record),
        )
        pledge.sources.add(*self._sources.sources(record.provenance.citations))

    def _write_authorisation(self, record: AuthorisationRecord) -> None:
        authorisation = Authorisation.objects.create(
            natural_key=record.key,
            date=record.date,
            date_precision=record.date_precision,
            instrument=record.instrument,
            batch=self.batch,
            **updatable_fields(record),
        )
        authorisation.sources.add(*self._sources.sources(record.provenance.citations))

    def _contributor(self, country: Country) -> Contributor:
        if country.iso2 not in self._contributors:
            self._contributors[country.iso2], _ = Contributor.objects.get_or_create(
                iso2=country.iso2, defaults={"iso3": country.iso3, "name": country.name}
            )
        return self._contributors[country.iso2]


def record_key(record: StrengthRecord) -> str:
    return record.report_key if isinstance(record, MovementRecord) else record.key


def _model_of(record: StrengthRecord) -> type[MovementReport] | type[Pledge] | type[Authorisation]:
    if isinstance(record, MovementRecord):
        return MovementReport
    return Pledge if isinstance(record, PledgeRecord) else Authorisation
