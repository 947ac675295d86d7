"""The report's sections beyond the key figures: force strength, notable events, road access,
and the running tally of the highest label the report contains.

Each reads through the owning app's services with the reader's ``Viewer``, so a section holds
only what the reader may see: movements through the reports they may read, events through
``released`` and ``release`` (a masked event has no notes and is placed in its commune only),
road statuses through the readable register.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from shapely.geometry import shape

from ulinzi.accounts.access import readable
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.dashboard import charts, figures
from ulinzi.forces import services as forces
from ulinzi.geo import roads
from ulinzi.geo.models import AdminArea, RoadSegment, RoadStatus, RoadStatusKind
from ulinzi.geo.routing import BLOCKING
from ulinzi.incidents import services as incidents
from ulinzi.incidents.models import Event, Verification
from ulinzi.incidents.release import released_list
from ulinzi.incidents.services import EventFilter
from ulinzi.reports.citations import Annex
from ulinzi.reports.period import Month, spoken

MAX_NOTABLE = 15
STATUS_WORDS = dict(RoadStatusKind.choices)


class Labels:
    """The highest sensitivity label among what the report shows, for its cover and every page.

    A masked event counts at the reader's clearance: what it shows of the event is what that
    clearance may see, which is the point of masking.
    """

    def __init__(self, viewer: Viewer) -> None:
        self.clearance = viewer.clearance or Sensitivity.PUBLIC
        self.highest = Sensitivity.PUBLIC

    def see(self, label: int | None) -> None:
        if label is not None:
            self.highest = max(self.highest, Sensitivity(min(int(label), self.clearance)))

    def events(self, found: QuerySet[Event]) -> None:
        # Two queries, not one aggregate with FILTER: an aggregate drops the ``masked`` annotation
        # its filter names (Django 5.2), which SQLite then reads as a string.
        self.records(found.filter(Q(masked=False)))
        if found.filter(Q(masked=True)).exists():
            self.see(self.clearance)

    def records(self, found: QuerySet[Any]) -> None:
        self.see(found.order_by().aggregate(top=Max("sensitivity"))["top"])


@dataclass(frozen=True)
class Image:
    """A chart or map, carried inside the report as a data: URI (nothing is fetched to show it)."""

    title: str
    data: bytes
    media_type: str  # image/png or image/svg+xml
    alt: str
    caption: str = ""
    note: int | None = None

    @property
    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def svg(title: str, drawing: bytes, alt: str, caption: str = "", note: int | None = None) -> Image:
    return Image(title, drawing, "image/svg+xml", alt, caption, note)


@dataclass(frozen=True)
class CountryRow:
    name: str
    deployed: int
    pledged: int | None


@dataclass(frozen=True)
class MovementRow:
    on: date
    country: str
    kind: str
    personnel: int | None  # the preferred figure the reader may see, signed; None when none is readable
    contingent: str
    reports: int  # reports the reader may read about this movement
    note: int


@dataclass(frozen=True)
class Force:
    on: date
    countries: tuple[CountryRow, ...]
    total: int
    pledged_total: int | None
    ceiling: int | None
    note: int
    movements: tuple[MovementRow, ...]
    chart: Image


def force(viewer: Viewer, month: Month, through: date, annex: Annex, labels: Labels) -> Force:
    """Strength per country on the last day covered (the dashboard's figure) and the month's movements."""
    snapshot = figures.strength(viewer, through)
    counted = forces.visible_reports(viewer).filter(preferred=True, movement__date__lte=through)
    pledges = forces.pledges(viewer).filter(date__lte=through)
    ceilings = forces.authorisations(viewer).filter(date__lte=through)
    for found in (counted, pledges, ceilings):
        labels.records(found)
    rows = [
        *counted.order_by().values_list("sources__reference", "sources__publisher").annotate(n=Count("pk")),
        *pledges.order_by().values_list("sources__reference", "sources__publisher").annotate(n=Count("pk")),
    ]
    note = annex.counted_sources(
        f"Force strength on {spoken(through)}",
        rows,
        "deployed: the preferred report of each movement up to that day; pledged: the latest pledge of each country",
    )
    movements = []
    for movement in forces.movements(viewer, since=month.first, until=through):
        visible = list(movement.visible_reports)  # type: ignore[attr-defined]  # set by forces.movements
        labels.see(max((report.sensitivity for report in visible), default=None))
        subject = (
            f"{movement.get_kind_display().capitalize()} of {movement.contributor.name} on {spoken(movement.date)}"
        )
        sources = [source for report in visible for source in report.sources.all()]
        movements.append(
            MovementRow(
                movement.date,
                movement.contributor.name,
                movement.get_kind_display(),
                movement.counted,
                movement.visible_contingent or "",  # type: ignore[attr-defined]  # set by forces.movements
                len(visible),
                annex.sources(subject, sources),
            )
        )
    return Force(
        on=through,
        countries=tuple(CountryRow(c.name, c.deployed, c.pledged) for c in snapshot.countries),
        total=snapshot.total,
        pledged_total=snapshot.pledged_total,
        ceiling=snapshot.ceiling,
        note=note,
        movements=tuple(movements),
        chart=svg(
            "Deployed and pledged personnel",
            charts.strength_svg(snapshot),
            f"Deployed against pledged personnel per contributing country on {spoken(through)}",
            note=note,
        ),
    )


@dataclass(frozen=True)
class NotableEvent:
    day: date
    event_type: str
    sub_event_type: str
    actors: str
    place: str
    fatalities: int
    notes: str  # empty for a masked event: its notes are withheld
    sources: tuple[str, ...]
    masked: bool


@dataclass(frozen=True)
class Notable:
    events: tuple[NotableEvent, ...]
    verified: int  # verified events of the month the reader may see
    total: int  # all events of the month the reader may see


def notable(viewer: Viewer, wanted: EventFilter, total: int) -> Notable:
    """The month's verified events, most fatalities first, as the reader may see each one."""
    verified = incidents.events(viewer, replace(wanted, verification=Verification.VERIFIED))
    chosen = verified.order_by("-fatalities", "-event_date", "pk").prefetch_related("sources")[:MAX_NOTABLE]
    shown = []
    for event in released_list(chosen):
        place = ", ".join(dict.fromkeys(part for part in (event.location, event.admin2, event.adm2_pcode) if part))
        actors = " v. ".join(actor.name for actor in (event.actor1, event.actor2) if actor is not None)
        sources = tuple(str(source) for source in event.sources.all())
        masked = bool(event.masked)
        shown.append(
            NotableEvent(
                event.event_date,
                event.event_type,
                event.sub_event_type,
                actors,
                place or "—",
                event.fatalities,
                event.notes or "",
                sources,
                masked,
            )
        )
    return Notable(tuple(shown), verified.count(), total)


@dataclass(frozen=True)
class StatusCount:
    status: str
    segments: int


@dataclass(frozen=True)
class ClosedRoad:
    name: str
    status: str


@dataclass(frozen=True)
class Access:
    on: date
    loaded: bool  # any road segment at all
    coarse_only: bool  # only the demo's straight links between communes
    counts: tuple[StatusCount, ...]
    closed: tuple[ClosedRoad, ...]
    unknown: int | None  # segments without a status in force (None: not counted for an area)
    note: int | None


def access(viewer: Viewer, through: date, area: AdminArea | None, annex: Annex, labels: Labels) -> Access:
    """Road statuses in force at the end of the last day covered: counts by status and closed roads."""
    moment = roads.end_of(through)
    segments, statuses = roads.roads_with_status(viewer, moment)
    if not segments.exists():
        return Access(through, False, False, (), (), None, None)
    if area is not None:
        statuses = _within(statuses, area)
    in_force = readable(RoadStatus.objects.all(), viewer, RecordType.ROAD_STATUS).filter(
        observed_at__lte=moment, expires_at__gt=moment, segment_id__in=list(statuses)
    )
    labels.records(in_force)
    note = None
    if statuses:
        rows = in_force.order_by().values_list("sources__reference", "sources__publisher").annotate(n=Count("pk"))
        note = annex.counted_sources(f"Road statuses in force on {spoken(through)}", rows, "the road status register")
    counted = Counter(statuses.values())
    closed_ids = [pk for pk, status in statuses.items() if status in BLOCKING]
    names = dict(RoadSegment.objects.filter(pk__in=closed_ids).values_list("pk", "name"))
    closed = sorted(
        (ClosedRoad(names.get(pk, f"segment {pk}"), STATUS_WORDS.get(statuses[pk], statuses[pk])) for pk in closed_ids),
        key=lambda road: (road.status, road.name),
    )
    return Access(
        on=through,
        loaded=True,
        coarse_only=not segments.filter(coarse=False).exists(),
        counts=tuple(StatusCount(STATUS_WORDS.get(s, s), n) for s, n in sorted(counted.items(), key=lambda i: -i[1])),
        closed=tuple(closed),
        unknown=segments.count() - len(statuses) if area is None else None,
        note=note,
    )


def _within(statuses: dict[int, str], area: AdminArea) -> dict[int, str]:
    """The statuses of segments that cross the area (only segments with a status are read)."""
    outline = shape(json.loads(area.geometry))
    lines = RoadSegment.objects.filter(pk__in=list(statuses)).values_list("pk", "geometry")
    return {pk: statuses[pk] for pk, geometry in lines if outline.intersects(shape(json.loads(geometry)))}
