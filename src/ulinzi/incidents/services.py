"""Event queries: what the caller may read, filtered, and grouped for statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Aggregate, Count, Q, QuerySet, Sum

from ulinzi.accounts.access import owner_blind_labels, readable
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.dbcompat import event_box_filter, period_start
from ulinzi.geo.models import AdminArea
from ulinzi.incidents.models import Event, EventDayTotal

PERIODS = ("day", "week", "month", "all")
GROUPS = {"adm1": "adm1_pcode", "adm2": "adm2_pcode", "adm3": "adm3_pcode", "h3": "h3_cell"}


@dataclass(frozen=True)
class EventFilter:
    since: date | None = None
    until: date | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    pcode: str | None = None  # any level
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    actor: str | None = None
    min_fatalities: int | None = None
    max_fatalities: int | None = None
    verification: str | None = None


def visible(viewer: Viewer) -> QuerySet[Event]:
    return readable(Event.objects.all(), viewer, RecordType.EVENT)


def events(viewer: Viewer, wanted: EventFilter) -> QuerySet[Event]:
    found = visible(viewer).select_related("actor1", "actor2")
    if wanted.since:
        found = found.filter(event_date__gte=wanted.since)
    if wanted.until:
        found = found.filter(event_date__lte=wanted.until)
    if wanted.event_type:
        found = found.filter(event_type=wanted.event_type)
    if wanted.sub_event_type:
        found = found.filter(sub_event_type=wanted.sub_event_type)
    if wanted.pcode:
        code = wanted.pcode
        found = found.filter(Q(adm1_pcode=code) | Q(adm2_pcode=code) | Q(adm3_pcode=code))
    if wanted.bbox:
        west, south, east, north = wanted.bbox
        indexed = event_box_filter(wanted.bbox, wanted.since, wanted.until, wanted.event_type)
        if indexed is not None:
            found = found.filter(indexed)
        found = found.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
    if wanted.actor:
        found = found.filter(Q(actor1__name=wanted.actor) | Q(actor2__name=wanted.actor))
    if wanted.min_fatalities is not None:
        found = found.filter(fatalities__gte=wanted.min_fatalities)
    if wanted.max_fatalities is not None:
        found = found.filter(fatalities__lte=wanted.max_fatalities)
    if wanted.verification:
        found = found.filter(verification=wanted.verification)
    return found.order_by("-event_date", "pk")


@dataclass(frozen=True)
class StatRow:
    period: date | None  # None when the whole window is one period ("all")
    group: str
    events: int
    fatalities: int


def stats(viewer: Viewer, wanted: EventFilter, period: str, by: str | None) -> list[StatRow]:
    """Counts and fatalities per period (day, week, month, or the whole window: "all"), and per
    admin unit or H3 cell if asked. Read from the day totals when the question fits them (dates,
    type, a department or commune) and the caller reads every owner's records alike, from the
    events otherwise; the two agree (tested)."""
    group = [GROUPS[by]] if by else []
    found: QuerySet[Event] | QuerySet[EventDayTotal]
    count: Aggregate
    labels = owner_blind_labels(viewer, RecordType.EVENT)
    if labels is not None and _totals_answer(wanted, by):
        found, day, count, dead = _totals(labels, wanted), "day", Sum("events"), Sum("fatalities")
    else:
        found, day, count, dead = events(viewer, wanted).order_by(), "event_date", Count("pk"), Sum("fatalities")
    if period != "all":
        found = found.annotate(bucket=period_start(period, day))
    keys = [*(["bucket"] if period != "all" else []), *group]
    rows = found.values(*keys).annotate(count=count, dead=dead).order_by(*keys)
    return [
        StatRow(
            period=_as_date(row["bucket"]) if period != "all" else None,
            group=str(row[GROUPS[by]]) if by and row[GROUPS[by]] is not None else "",
            events=row["count"],
            fatalities=row["dead"] or 0,
        )
        for row in rows
        if row["count"]
    ]


def _totals_answer(wanted: EventFilter, by: str | None) -> bool:
    """Whether the day totals hold the answer: only dates, type and a department or commune asked."""
    plain = EventFilter(since=wanted.since, until=wanted.until, event_type=wanted.event_type, pcode=wanted.pcode)
    if wanted != plain or by not in (None, "adm1", "adm2"):
        return False
    if wanted.pcode is None:
        return True
    return AdminArea.objects.filter(pcode=wanted.pcode, level__in=(1, 2)).exists()


def _totals(labels: list[int], wanted: EventFilter) -> QuerySet[EventDayTotal]:
    found = EventDayTotal.objects.filter(sensitivity__in=labels, events__gt=0)
    if wanted.since:
        found = found.filter(day__gte=wanted.since)
    if wanted.until:
        found = found.filter(day__lte=wanted.until)
    if wanted.event_type:
        found = found.filter(event_type=wanted.event_type)
    if wanted.pcode:
        found = found.filter(Q(adm1_pcode=wanted.pcode) | Q(adm2_pcode=wanted.pcode))
    return found.order_by()


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
