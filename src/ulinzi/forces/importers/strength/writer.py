"""Store parsed strength records in chunks: one look-up of existing keys per chunk, new reports,
movements, sources and their links inserted in bulk, contributors cached for the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ulinzi.forces.importers.strength.records import (
    AuthorisationRecord,
    Country,
    MovementRecord,
    PledgeRecord,
    StrengthRecord,
)
from ulinzi.forces.models import Authorisation, Contingent, Contributor, Movement, MovementReport, Pledge
from ulinzi.importing.citations import Citation
from ulinzi.sources.models import ImportBatch, Source

CHUNK_ROWS = 500


@dataclass
class _MovementState:
    movement: Movement
    has_preferred: bool


class StrengthWriter:
    """Writes records for one import batch; call ``write`` with chunks, inside a transaction."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self._contributors: dict[str, Contributor] = {}
        self._sources: dict[str, Source] = {}
        self._movements: dict[str, _MovementState] = {}

    def write(self, records: Sequence[StrengthRecord]) -> Written:
        """Create records with a new natural key; relabel or re-describe known ones that changed."""
        existing = self._existing(records)
        written = Written()
        new_reports: list[MovementRecord] = []
        for record in records:
            key = _record_key(record)
            current = existing.get(key)
            if current is not None:
                if current != _mutable(record):
                    _model_of(record).objects.filter(natural_key=key).update(**_mutable_fields(record))
                    existing[key] = _mutable(record)
                    written.updated += 1
                else:
                    written.unchanged += 1
                continue
            existing[key] = _mutable(record)
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

    def _existing(self, records: Sequence[StrengthRecord]) -> dict[str, Mutable]:
        found: dict[str, Mutable] = {}
        for model in (MovementReport, Pledge, Authorisation):
            keys = [_record_key(r) for r in records if _model_of(r) is model]
            if keys:
                text = "note" if model is MovementReport else "description"
                rows = model.objects.filter(natural_key__in=keys).values_list(
                    "natural_key", "sensitivity", "confidence", text
                )
                found.update({key: (sensitivity, confidence, note) for key, sensitivity, confidence, note in rows})
        return found

    def _write_reports(self, records: Sequence[MovementRecord]) -> None:
        """Insert a chunk's new reports, then their source links, one statement each."""
        self._cache_movements(records)
        self._cache_sources([citation for record in records for citation in record.provenance.citations])
        reports: list[MovementReport] = []
        for record in records:
            state = self._movements[record.movement_key]
            preferred = record.preferred is True or not state.has_preferred
            if record.preferred is True and state.has_preferred:
                state.movement.reports.filter(preferred=True).update(preferred=False)
                for earlier in reports:
                    if earlier.movement_id == state.movement.pk:
                        earlier.preferred = False
            state.has_preferred = state.has_preferred or preferred
            provenance = record.provenance
            reports.append(
                MovementReport(
                    movement=state.movement,
                    personnel=record.personnel,
                    reported_on=record.reported_on,
                    reported_total=record.reported_total,
                    confidence=provenance.confidence,
                    preferred=preferred,
                    note=provenance.description,
                    sensitivity=int(provenance.sensitivity),
                    batch=self.batch,
                    natural_key=record.report_key,
                )
            )
        MovementReport.objects.bulk_create(reports)
        link = MovementReport.sources.through
        link.objects.bulk_create(
            [
                link(movementreport_id=report.pk, source_id=source_id)
                for report, record in zip(reports, records, strict=True)
                for source_id in dict.fromkeys(self._sources[c.reference].pk for c in record.provenance.citations)
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
        provenance = record.provenance
        pledge = Pledge.objects.create(
            natural_key=record.key,
            contributor=self._contributor(record.country),
            date=record.date,
            date_precision=record.date_precision,
            personnel=record.personnel,
            description=provenance.description,
            confidence=provenance.confidence,
            sensitivity=int(provenance.sensitivity),
            batch=self.batch,
        )
        pledge.sources.add(*self._sources_for(provenance.citations))

    def _write_authorisation(self, record: AuthorisationRecord) -> None:
        provenance = record.provenance
        authorisation = Authorisation.objects.create(
            natural_key=record.key,
            date=record.date,
            date_precision=record.date_precision,
            instrument=record.instrument,
            ceiling=record.ceiling,
            description=provenance.description,
            confidence=provenance.confidence,
            sensitivity=int(provenance.sensitivity),
            batch=self.batch,
        )
        authorisation.sources.add(*self._sources_for(provenance.citations))

    def _contributor(self, country: Country) -> Contributor:
        if country.iso2 not in self._contributors:
            self._contributors[country.iso2], _ = Contributor.objects.get_or_create(
                iso2=country.iso2, defaults={"iso3": country.iso3, "name": country.name}
            )
        return self._contributors[country.iso2]

    def _cache_sources(self, citations: Sequence[Citation]) -> None:
        wanted = {c.reference: c for c in citations if c.reference not in self._sources}
        if not wanted:
            return
        self._sources.update(Source.objects.in_bulk(list(wanted), field_name="reference"))
        missing = [
            Source(reference=c.reference, publisher=c.publisher, note=c.note, published_on=c.published_on)
            for reference, c in wanted.items()
            if reference not in self._sources
        ]
        self._sources.update({source.reference: source for source in Source.objects.bulk_create(missing)})

    def _sources_for(self, citations: Sequence[Citation]) -> list[Source]:
        self._cache_sources(citations)
        return [self._sources[c.reference] for c in citations]


def _record_key(record: StrengthRecord) -> str:
    return record.report_key if isinstance(record, MovementRecord) else record.key


# What a re-import may change without making a new record: the label, confidence and text.
Mutable = tuple[int, str, str]


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _model_of(record: StrengthRecord) -> type[MovementReport] | type[Pledge] | type[Authorisation]:
    if isinstance(record, MovementRecord):
        return MovementReport
    return Pledge if isinstance(record, PledgeRecord) else Authorisation


def _mutable(record: StrengthRecord) -> Mutable:
    provenance = record.provenance
    return (int(provenance.sensitivity), provenance.confidence, provenance.description)


def _mutable_fields(record: StrengthRecord) -> dict[str, object]:
    sensitivity, confidence, text = _mutable(record)
    text_field = "note" if isinstance(record, MovementRecord) else "description"
    return {"sensitivity": sensitivity, "confidence": confidence, text_field: text}
