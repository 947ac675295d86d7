"""Write ACLED events in chunks inside one transaction: all or nothing per file, idempotent by
ACLED's event id, with admin P-codes and an H3 cell assigned from each point."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from django.db import transaction

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.dbcompat import insert_rows
from ulinzi.geo.lookup import h3_cells
from ulinzi.geo.services import admin_index
from ulinzi.importing.citations import parse_citations
from ulinzi.importing.csvrows import CsvRow, CsvSource, ProgressCallback, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.importing.rejects import open_rejects, write_rejects
from ulinzi.incidents.importers.acled.rows import OPTIONAL, REQUIRED, AcledEvent, parse_event
from ulinzi.incidents.models import Actor, ActorKind, Event, Verification
from ulinzi.sources.models import ImportBatch
from ulinzi.sources.services import SourceCache

KIND = "acled"
EVENT_COLUMNS = (
    "natural_key", "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1_id",
    "assoc_actor_1", "inter1", "actor2_id", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "adm1_pcode",
    "adm2_pcode", "adm3_pcode", "h3_cell", "source", "source_scale", "notes", "tags", "fatalities",
    "fatalities_low", "fatalities_high", "sensitivity", "verification", "batch_id",
)  # fmt: skip
CHUNK_ROWS = 1000

# ACLED files Haiti's gangs as political militias; the mapping is a default an analyst can edit.
ACTOR_KIND_BY_CATEGORY = {
    "State forces": ActorKind.STATE_FORCE,
    "Political militias": ActorKind.GANG,
    "Identity militias": ActorKind.SELF_DEFENCE,
    "Civilians": ActorKind.CIVILIANS,
}


@dataclass
class EventsOutcome:
    file: str
    rows_read: int = 0
    created: int = 0
    unchanged: int = 0
    fatalities: int = 0
    rejected: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    reject_file: Path | None = None


class _Rollback(Exception):
    """Undo every row of a file that had errors."""


def import_acled(
    path: Path,
    *,
    skip_invalid: bool = False,
    reject_file: Path | None = None,
    default_sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL,
    on_progress: ProgressCallback | None = None,
) -> EventsOutcome:
    with CsvSource(path) as source, ExitStack() as cleanup:
        header = source.check_header(REQUIRED, (*REQUIRED, *OPTIONAL))
        outcome = EventsOutcome(file=source.name)
        if header.ignored:
            outcome.notices.append(f"extra columns ignored: {', '.join(header.ignored)}")
        header_errors = source.header_errors(header)
        if header_errors:
            raise ImportRejected(header_errors)
        rejects = None
        if skip_invalid:
            outcome.reject_file = reject_file or Path(f"{path.stem}.rejects.csv")
            rejects = cleanup.enter_context(open_rejects(outcome.reject_file, source.name))
        rejected: list[tuple[RowError, CsvRow | None]] = []
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.create(kind=KIND, file_name=source.name, sha256=file_sha256(path))
                writer = _EventWriter(batch)
                rows = _events(source, default_sensitivity, on_progress)
                _consume(rows, writer, rejected, skip_invalid=skip_invalid, outcome=outcome)
                outcome.rejected = [error for error, _ in rejected]
                if rejected and not skip_invalid:
                    raise _Rollback
                ImportBatch.objects.filter(pk=batch.pk).update(
                    rows_read=outcome.rows_read,
                    rows_created=outcome.created,
                    rows_unchanged=outcome.unchanged,
                    rows_rejected=len(rejected),
                )
        except _Rollback:
            raise ImportRejected(outcome.rejected) from None
        if rejects is not None:
            write_rejects(rejects, source.columns, rejected)
            if not rejected:
                outcome.reject_file = None
    return outcome


def _consume(
    rows: Iterator[tuple[CsvRow | RowError, AcledEvent | list[RowError] | None]],
    writer: _EventWriter,
    rejected: list[tuple[RowError, CsvRow | None]],
    *,
    skip_invalid: bool,
    outcome: EventsOutcome,
) -> None:
    """Write valid rows in chunks; once a row fails without skip_invalid, only validate the rest."""
    pending: list[AcledEvent] = []
    for item, event in rows:
        outcome.rows_read += 1
        if isinstance(item, RowError):
            rejected.append((item, None))
            continue
        if isinstance(event, list):
            rejected.extend((error, item) for error in event)
            continue
        assert event is not None
        if skip_invalid or not rejected:
            pending.append(event)
            if len(pending) >= CHUNK_ROWS:
                writer.write(pending, outcome)
                pending.clear()
    if pending and (skip_invalid or not rejected):
        writer.write(pending, outcome)


def _events(
    source: CsvSource, sensitivity: Sensitivity, on_progress: ProgressCallback | None
) -> Iterator[tuple[CsvRow | RowError, AcledEvent | list[RowError] | None]]:
    for item in source.rows(on_progress):
        if isinstance(item, RowError):
            yield item, None
            continue
        try:
            yield item, parse_event(RowReader(item), sensitivity)
        except RowInvalid as invalid:
            yield item, [item.error(error.field, error.reason) for error in invalid.errors]


class _EventWriter:
    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.actors: dict[str, Actor] = {}
        self.sources = SourceCache()
        self.index = admin_index()

    def write(self, events: Sequence[AcledEvent], outcome: EventsOutcome) -> None:
        unique = list({event.key: event for event in events}.values())
        known = set(Event.objects.filter(natural_key__in=[e.key for e in unique]).values_list("natural_key", flat=True))
        fresh = [event for event in unique if event.key not in known]
        outcome.unchanged += len(events) - len(fresh)
        if not fresh:
            return
        lons = np.array([e.longitude for e in fresh])
        lats = np.array([e.latitude for e in fresh])
        placed = self.index.assign(lons, lats) if len(self.index) else None
        cells = h3_cells(lons, lats)
        rows = [self._row(event, placed.at(i) if placed else {}, cells[i]) for i, event in enumerate(fresh)]
        insert_rows(Event, EVENT_COLUMNS, rows)
        created = dict(Event.objects.filter(natural_key__in=[e.key for e in fresh]).values_list("natural_key", "pk"))
        self._link_sources(created, fresh)
        outcome.created += len(fresh)
        outcome.fatalities += sum(e.fatalities for e in fresh)

    def _row(self, event: AcledEvent, codes: dict[int, str], cell: int) -> tuple[object, ...]:
        """The event as a row in ``EVENT_COLUMNS`` order."""
        actor2 = self._actor(event.actor2, event.inter2).pk if event.actor2 else None
        return (
            event.key, event.event_date, event.time_precision, event.disorder_type, event.event_type,
            event.sub_event_type, self._actor(event.actor1, event.inter1).pk, event.assoc_actor_1, event.inter1,
            actor2, event.assoc_actor_2, event.inter2, event.interaction, event.civilian_targeting, event.country,
            event.admin1, event.admin2, event.admin3, event.location, event.latitude, event.longitude,
            event.geo_precision, codes.get(1, ""), codes.get(2, ""), codes.get(3, ""), cell, event.source,
            event.source_scale, event.notes, event.tags, event.fatalities, event.fatalities, event.fatalities,
            int(event.sensitivity), Verification.REPORTED.value, self.batch.pk,
        )  # fmt: skip

    def _actor(self, name: str, category: str) -> Actor:
        if name not in self.actors:
            kind = ACTOR_KIND_BY_CATEGORY.get(category, ActorKind.OTHER)
            self.actors[name], _ = Actor.objects.get_or_create(name=name, defaults={"kind": kind})
        return self.actors[name]

    def _link_sources(self, created: dict[str, int], events: Sequence[AcledEvent]) -> None:
        # ACLED's source column names publishers, so each name is also the source's publisher.
        cited = {
            event.key: [replace(c, publisher=c.publisher or c.reference[:200]) for c in parse_citations(event.source)]
            for event in events
        }
        self.sources.load(c for citations in cited.values() for c in citations)
        rows = [
            (created[key], source.pk) for key, citations in cited.items() for source in self.sources.sources(citations)
        ]
        insert_rows(Event.sources.through, ("event_id", "source_id"), rows)
