"""Store parsed strength records in chunks: one look-up of existing keys per chunk, cached
contributors, movements and sources, so a re-import costs one query per chunk."""

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
                self._write_report(record)
            elif isinstance(record, PledgeRecord):
                self._write_pledge(record)
            else:
                self._write_authorisation(record)
            written.created += 1
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

    def _write_report(self, record: MovementRecord) -> None:
        state = self._movement(record)
        preferred = record.preferred is True or not state.has_preferred
        if record.preferred is True and state.has_preferred:
            state.movement.reports.filter(preferred=True).update(preferred=False)
        provenance = record.provenance
        report = MovementReport.objects.create(
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
        state.has_preferred = state.has_preferred or preferred
        report.sources.add(*self._sources_for(provenance.citations))

    def _movement(self, record: MovementRecord) -> _MovementState:
        key = record.movement_key
        if key not in self._movements:
            contributor = self._contributor(record.country)
            contingent = None
            if record.contingent:
                contingent, _ = Contingent.objects.get_or_create(
                    contributor=contributor, name=record.contingent, defaults={"role": record.role}
                )
            movement, created = Movement.objects.get_or_create(
                natural_key=key,
                defaults={
                    "contributor": contributor,
                    "contingent": contingent,
                    "kind": record.kind,
                    "date": record.date,
                    "date_precision": record.date_precision,
                    "description": record.provenance.description,
                },
            )
            has_preferred = not created and movement.reports.filter(preferred=True).exists()
            self._movements[key] = _MovementState(movement, has_preferred)
        return self._movements[key]

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

    def _sources_for(self, citations: Sequence[Citation]) -> list[Source]:
        wanted = [c for c in citations if c.reference not in self._sources]
        if wanted:
            known = Source.objects.in_bulk([c.reference for c in wanted], field_name="reference")
            for citation in wanted:
                if citation.reference not in known:
                    known[citation.reference] = Source.objects.create(
                        reference=citation.reference,
                        publisher=citation.publisher,
                        note=citation.note,
                        published_on=citation.published_on,
                    )
                self._sources[citation.reference] = known[citation.reference]
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
