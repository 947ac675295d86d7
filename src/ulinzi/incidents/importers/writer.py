"""Write parsed events in chunks inside one transaction, whatever format they came from.

All or nothing per file unless invalid rows are skipped (then they go to a reject file with
their reasons); idempotent by each row's natural key; admin P-codes and an H3 cell assigned from
each point; and each new event matched against those already stored from other datasets, so one
incident reported by ACLED and by UCDP is one event with two reports (see ``dedup``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from django.db import transaction

from ulinzi.dbcompat import events_bulk_indexed, insert_rows
from ulinzi.encryption import seal
from ulinzi.geo.lookup import h3_cells
from ulinzi.geo.services import admin_index
from ulinzi.importing.citations import Citation
from ulinzi.importing.csvrows import CsvRow, ProgressCallback
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.importing.rejects import open_rejects, write_rejects
from ulinzi.incidents.actor_store import ActorStore
from ulinzi.incidents.importers.matching import Matcher, fold_in
from ulinzi.incidents.importers.records import EventRecord
from ulinzi.incidents.models import Actor, ActorKind, Event, EventReport, Verification
from ulinzi.incidents.release import masked_points
from ulinzi.sources.models import ImportBatch
from ulinzi.sources.services import SourceCache

EVENT_COLUMNS = (
    "natural_key", "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1_id",
    "assoc_actor_1", "inter1", "actor2_id", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "masked_latitude",
    "masked_longitude", "geo_precision", "adm1_pcode",
    "adm2_pcode", "adm3_pcode", "h3_cell", "source", "source_scale", "notes", "tags", "fatalities",
    "fatalities_low", "fatalities_high", "sensitivity", "verification", "batch_id",
)  # fmt: skip
CHUNK_ROWS = 1000
CITATION_CACHE_SIZE = 100_000

# ACLED files Haiti's gangs as political militias; the mapping is a default an analyst can edit.
ACTOR_KIND_BY_CATEGORY = {
    "State forces": ActorKind.STATE_FORCE,
    "Political militias": ActorKind.GANG,
    "Identity militias": ActorKind.SELF_DEFENCE,
    "Civilians": ActorKind.CIVILIANS,
}

ParsedRow = tuple[CsvRow | RowError, EventRecord | list[RowError] | None]


class EventRows(Protocol):
    """A source file opened and its header checked: its name, columns, and parsed rows."""

    name: str
    columns: tuple[str, ...]

    def parsed(self, on_progress: ProgressCallback | None) -> Iterator[ParsedRow]: ...


@dataclass
class EventsOutcome:
    file: str
    rows_read: int = 0
    created: int = 0
    merged: int = 0
    unchanged: int = 0
    fatalities: int = 0
    rejected: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    reject_file: Path | None = None


class _Rollback(Exception):
    """Undo every row of a file that had errors."""


def import_events(
    path: Path,
    rows: EventRows,
    *,
    kind: str,
    notices: Sequence[str] = (),
    skip_invalid: bool = False,
    reject_file: Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> EventsOutcome:
    outcome = EventsOutcome(file=rows.name, notices=list(notices))
    with ExitStack() as cleanup:
        rejects = None
        if skip_invalid:
            outcome.reject_file = reject_file or Path(f"{path.stem}.rejects.csv")
            rejects = cleanup.enter_context(open_rejects(outcome.reject_file, rows.name))
        rejected: list[tuple[RowError, CsvRow | None]] = []
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.create(kind=kind, file_name=rows.name, sha256=file_sha256(path))
                writer = EventWriter(batch)
                with events_bulk_indexed(batch.pk):
                    _consume(rows.parsed(on_progress), writer, rejected, skip_invalid=skip_invalid, outcome=outcome)
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
            write_rejects(rejects, rows.columns, rejected)
            if not rejected:
                outcome.reject_file = None
    return outcome


def _consume(
    rows: Iterator[ParsedRow],
    writer: EventWriter,
    rejected: list[tuple[RowError, CsvRow | None]],
    *,
    skip_invalid: bool,
    outcome: EventsOutcome,
) -> None:
    """Write valid rows in chunks; once a row fails without skip_invalid, only validate the rest."""
    pending: list[EventRecord] = []
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


class EventWriter:
    def __init__(self, batch: ImportBatch, *, deduplicate: bool = True) -> None:
        self.batch = batch
        self.actors = ActorStore()
        self.sources = SourceCache()
        self.index = admin_index()
        self.deduplicate = deduplicate
        self.matcher: Matcher | None = None
        self._citations: dict[str, list[Citation]] = {}
        self._dataset_was_stored: dict[str, bool] = {}
        self._written: set[str] = set()

    def write(self, events: Sequence[EventRecord], outcome: EventsOutcome) -> None:
        unique = list({event.natural_key: event for event in events}.values())
        keys = [e.natural_key for e in unique]
        known = self._stored(unique[0].dataset, keys)
        fresh = [event for event in unique if event.natural_key not in known]
        self._written.update(event.natural_key for event in fresh)
        outcome.unchanged += len(events) - len(fresh)
        if fresh and self.deduplicate:
            if self.matcher is None:
                self.matcher = Matcher(fresh[0].dataset, self.actors)
            fresh, merges = self.matcher.split(fresh)
            fold_in(merges, self.batch, self.sources)
            outcome.merged += len(merges)
        if not fresh:
            return
        lons = np.array([e.longitude for e in fresh])
        lats = np.array([e.latitude for e in fresh])
        placed = self.index.assign(lons, lats) if len(self.index) else None
        cells = h3_cells(lons, lats)
        masked_lons, masked_lats = masked_points([e.natural_key for e in fresh], lons, lats)
        rows = [
            self._row(event, placed.at(i) if placed else {}, cells[i], (float(masked_lats[i]), float(masked_lons[i])))
            for i, event in enumerate(fresh)
        ]
        insert_rows(Event, EVENT_COLUMNS, rows)
        keys = [e.natural_key for e in fresh]
        created = dict(Event.objects.filter(natural_key__in=keys).values_list("natural_key", "pk"))
        self._link_sources(created, fresh)
        outcome.created += len(fresh)
        outcome.fatalities += sum(e.fatalities for e in fresh)

    def _row(
        self, event: EventRecord, codes: dict[int, str], cell: int, masked: tuple[float, float]
    ) -> tuple[object, ...]:
        """The event as a row in ``EVENT_COLUMNS`` order; written around the ORM, so its notes are
        sealed here as ``Event.notes`` would seal them."""
        actor2 = self._actor(event.actor2, event.inter2).pk if event.actor2 else None
        return (
            event.natural_key, event.event_date, event.time_precision, event.disorder_type, event.event_type,
            event.sub_event_type, self._actor(event.actor1, event.inter1).pk, event.assoc_actor_1, event.inter1,
            actor2, event.assoc_actor_2, event.inter2, event.interaction, event.civilian_targeting, event.country,
            event.admin1, event.admin2, event.admin3, event.location, event.latitude, event.longitude, *masked,
            event.geo_precision, codes.get(1, ""), codes.get(2, ""), codes.get(3, ""), cell, event.source,
            event.source_scale, seal(event.notes) if event.notes else "", event.tags, event.fatalities,
            event.fatalities_low, event.fatalities_high, int(event.sensitivity), Verification.REPORTED.value,
            self.batch.pk,
        )  # fmt: skip

    def _actor(self, name: str, category: str) -> Actor:
        return self.actors.get(name, ACTOR_KIND_BY_CATEGORY.get(category, ActorKind.OTHER))

    def _stored(self, dataset: str, keys: list[str]) -> set[str]:
        """Which keys are stored already. When the store held no row of this dataset before the
        import began (a first import), only this import's own keys can be, so the database is
        asked once per dataset rather than once per chunk."""
        if dataset not in self._dataset_was_stored:
            self._dataset_was_stored[dataset] = (
                Event.objects.filter(natural_key__startswith=f"{dataset}:").exists()
                or EventReport.objects.filter(dataset=dataset).exists()
            )
        if not self._dataset_was_stored[dataset]:
            return {key for key in keys if key in self._written}
        known = set(Event.objects.filter(natural_key__in=keys).values_list("natural_key", flat=True))
        known.update(EventReport.objects.filter(natural_key__in=keys).values_list("natural_key", flat=True))
        return known

    def _cited(self, event: EventRecord) -> list[Citation]:
        """Source columns repeat the same few publishers, so each distinct text is parsed once."""
        found = self._citations.get(event.source)
        if found is None:
            if len(self._citations) >= CITATION_CACHE_SIZE:
                self._citations.clear()
            found = self._citations[event.source] = event.citations()
        return found

    def _link_sources(self, created: dict[str, int], events: Sequence[EventRecord]) -> None:
        cited = {event.natural_key: self._cited(event) for event in events}
        self.sources.load(c for citations in cited.values() for c in citations)
        rows = [
            (created[key], source.pk) for key, citations in cited.items() for source in self.sources.sources(citations)
        ]
        insert_rows(Event.sources.through, ("event_id", "source_id"), rows)
