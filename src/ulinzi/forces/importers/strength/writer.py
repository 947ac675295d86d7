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

    def write(self, records: Sequence[StrengthRecord]) -> tuple[int, int]:
        """Store the records whose natural key is new; return (created, unchanged)."""
        existing = self._existing_keys(records)
        created = 0
        for record in records:
            key = _record_key(record)
            if key in existing:
                continue
            existing.add(key)
            if isinstance(record, MovementRecord):
                self._write_report(record)
            elif isinstance(record, PledgeRecord):
                self._write_pledge(record)
            else:
                self._write_authorisation(record)
            created += 1
        return created, len(records) - created

    def _existing_keys(self, records: Sequence[StrengthRecord]) -> set[str]:
        report_keys = [r.report_key for r in records if isinstance(r, MovementRecord)]
        pledge_keys = [r.key for r in records if isinstance(r, PledgeRecord)]
        authorisation_keys = [r.key for r in records if isinstance(r, AuthorisationRecord)]
        existing: set[str] = set()
        for model, keys in ((MovementReport, report_keys), (Pledge, pledge_keys), (Authorisation, authorisation_keys)):
            if keys:
                existing.update(model.objects.filter(natural_key__in=keys).values_list("natural_key", flat=True))
        return existing

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
