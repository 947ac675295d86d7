"""Find, for incoming rows, the stored events of other datasets they describe (``dedup``'s rule),
with one query per chunk, and fold the matches in as reports of those events."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from ulinzi.dbcompat import insert_rows
from ulinzi.incidents.actor_store import ActorStore
from ulinzi.incidents.actors import actor_key
from ulinzi.incidents.dedup import Match, Report, best_match, search_box
from ulinzi.incidents.importers.records import EventRecord
from ulinzi.incidents.models import Actor, ActorKind, CoalitionMembership, Event, EventChange, EventReport
from ulinzi.sources.models import ImportBatch
from ulinzi.sources.services import SourceCache

Merge = tuple[EventRecord, int, Match]


class Matcher:
    """Per import: which actors name nobody in particular, who belonged to which coalition when."""

    def __init__(self, dataset: str, actors: ActorStore) -> None:
        self.dataset = dataset
        self.actors = actors
        self.active = Event.objects.exclude(natural_key__startswith=f"{dataset}:").exists()
        self._memberships: dict[int, list[tuple[int, date | None, date | None]]] = defaultdict(list)
        for member, coalition, since, until in CoalitionMembership.objects.values_list(
            "member_id", "coalition_id", "valid_from", "valid_to"
        ):
            self._memberships[member].append((coalition, since, until))
        self._anonymous: dict[int, bool] = {}

    def split(self, records: Sequence[EventRecord]) -> tuple[list[EventRecord], list[Merge]]:
        """The records that are new events, and those that are reports of stored ones."""
        if not self.active or not records:
            return list(records), []
        incoming = [self._report(record) for record in records]
        candidates = self._candidates(incoming)
        fresh: list[EventRecord] = []
        merges: list[Merge] = []
        for record, report in zip(records, incoming, strict=True):
            match = best_match(report, candidates.values())
            if match is None:
                fresh.append(record)
                continue
            claimed = candidates[match.key]
            candidates[match.key] = dataclasses.replace(claimed, datasets=claimed.datasets | {self.dataset})
            merges.append((record, int(claimed.key.split("#", 1)[1]), match))
        return fresh, merges

    def _report(self, record: EventRecord) -> Report:
        names = [name for name in (record.actor1, record.actor2) if name]
        pks = [self.actors.get(name).pk for name in names]
        return Report(
            key=record.natural_key,
            datasets=frozenset({self.dataset}),
            event_date=record.event_date,
            time_precision=record.time_precision,
            latitude=record.latitude,
            longitude=record.longitude,
            geo_precision=record.geo_precision,
            event_type=record.event_type,
            actors=self._named(pks, record.event_date),
        )

    def _candidates(self, incoming: Sequence[Report]) -> dict[str, Report]:
        since, until, west, south, east, north = search_box(incoming)
        rows = list(
            Event.objects.filter(
                event_date__range=(since, until),
                longitude__range=(west, east),
                latitude__range=(south, north),
            )
            .exclude(natural_key__startswith=f"{self.dataset}:")
            .values_list(
                "pk",
                "natural_key",
                "event_date",
                "time_precision",
                "latitude",
                "longitude",
                "geo_precision",
                "event_type",
                "actor1_id",
                "actor2_id",
            )
        )
        reported: dict[int, set[str]] = defaultdict(set)
        for event_id, dataset in EventReport.objects.filter(event_id__in=[row[0] for row in rows]).values_list(
            "event_id", "dataset"
        ):
            reported[event_id].add(dataset)
        candidates = {}
        for pk, key, day, time_precision, lat, lon, geo_precision, kind, actor1, actor2 in rows:
            # the sort key keeps "oldest key wins" meaningful while carrying the pk for the merge
            handle = f"{key}#{pk}"
            candidates[handle] = Report(
                key=handle,
                datasets=frozenset({key.split(":", 1)[0], *reported[pk]}),
                event_date=day,
                time_precision=time_precision,
                latitude=lat,
                longitude=lon,
                geo_precision=geo_precision,
                event_type=kind,
                actors=self._named([pk for pk in (actor1, actor2) if pk is not None], day),
            )
        return candidates

    def _named(self, pks: Sequence[int], day: date) -> frozenset[int]:
        """The actors that identify someone, each with the coalitions it belonged to on ``day``."""
        named: set[int] = set()
        for pk in pks:
            if self._is_anonymous(pk):
                continue
            named.add(pk)
            named.update(
                coalition
                for coalition, since, until in self._memberships.get(pk, ())
                if (since is None or since <= day) and (until is None or day <= until)
            )
        return frozenset(named)

    def _is_anonymous(self, pk: int) -> bool:
        if pk not in self._anonymous:
            actor = Actor.objects.get(pk=pk)
            key = actor_key(actor.name)
            self._anonymous[pk] = actor.kind == ActorKind.CIVILIANS or key.startswith(("unidentified", "unknown"))
        return self._anonymous[pk]


def record_to_json(record: EventRecord) -> dict[str, object]:
    fields = dataclasses.asdict(record)
    fields["event_date"] = record.event_date.isoformat()
    fields["sensitivity"] = int(record.sensitivity)
    return fields


def fold_in(merges: Sequence[Merge], batch: ImportBatch, sources: SourceCache) -> None:
    """Store each matched row as a report of its event, link its sources, and note it in the history."""
    EventReport.objects.bulk_create(
        EventReport(
            event_id=event_id,
            natural_key=record.natural_key,
            dataset=record.dataset,
            record=record_to_json(record),
            match_reason=match.reason,
            fatalities=record.fatalities,
            batch=batch,
        )
        for record, event_id, match in merges
    )
    EventChange.objects.bulk_create(
        EventChange(
            event_id=event_id,
            action=EventChange.Action.MERGED,
            detail=f"{record.natural_key} ({record.fatalities} killed): {match.reason}"[:500],
        )
        for record, event_id, match in merges
    )
    wanted = {(event_id, source.pk) for record, event_id, _ in merges for source in sources.sources(record.citations())}
    through = Event.sources.through
    existing = set(
        through.objects.filter(event_id__in={pair[0] for pair in wanted}).values_list("event_id", "source_id")
    )
    insert_rows(through, ("event_id", "source_id"), sorted(wanted - existing))
