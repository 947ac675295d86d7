"""Event queries: what the caller may read, filtered, and grouped for statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Aggregate, Count, F, Q, QuerySet, Sum

from ulinzi.accounts.access import labels_by_owner_rule, masked_q, readable, readable_q
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.dbcompat import event_box_filter, period_start
from ulinzi.geo.models import AdminArea
from ulinzi.incidents.models import Event, EventDayTotal
from ulinzi.incidents.release import column, flag

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
    """The events the viewer reads in full: for reading one event's own records (its merged
    source rows, its history) and for changing it."""
    return readable(Event.objects.all(), viewer, RecordType.EVENT)


def released(viewer: Viewer) -> QuerySet[Event]:
    """The events the viewer sees in full or masked, each flagged ``masked`` accordingly; every
    output passes them through ``release`` (instances) or ``release.column`` (columns)."""
    full = readable_q(viewer, RecordType.EVENT)
    masked = masked_q(viewer, RecordType.EVENT)
    if masked is None:
        return Event.objects.filter(full).annotate(masked=flag(None))
    # An event without its masked point yet is held back rather than shown at its true point.
    masked &= Q(masked_latitude__isnull=False)
    return Event.objects.filter(full | masked).annotate(masked=flag(masked & ~full))


def events(viewer: Viewer, wanted: EventFilter) -> QuerySet[Event]:
    """The events the viewer sees, filtered. A masked event is filtered by what its reader sees:
    its displaced point for a box, its department or commune (never its section) for a P-code."""
    masking = masked_q(viewer, RecordType.EVENT) is not None
    found = released(viewer).select_related("actor1", "actor2")
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
        section = Q(adm3_pcode=code, masked=False) if masking else Q(adm3_pcode=code)
        found = found.filter(Q(adm1_pcode=code) | Q(adm2_pcode=code) | section)
    if wanted.bbox:
        found = _in_box(found, wanted, masking)
    if wanted.actor:
        found = found.filter(Q(actor1__name=wanted.actor) | Q(actor2__name=wanted.actor))
    if wanted.min_fatalities is not None:
        found = found.filter(fatalities__gte=wanted.min_fatalities)
    if wanted.max_fatalities is not None:
        found = found.filter(fatalities__lte=wanted.max_fatalities)
    if wanted.verification:
        found = found.filter(verification=wanted.verification)
    return found.order_by("-event_date", "pk")


def _in_box(found: QuerySet[Event], wanted: EventFilter, masking: bool) -> QuerySet[Event]:
    assert wanted.bbox is not None
    west, south, east, north = wanted.bbox
    true_point = Q(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
    if not masking:
        indexed = event_box_filter(wanted.bbox, wanted.since, wanted.until, wanted.event_type)
        return (found if indexed is None else found.filter(indexed)).filter(true_point)
    # The index holds true points; a masked event must be found by its displaced one.
    shown_point = Q(
        masked_longitude__gte=west, masked_longitude__lte=east, masked_latitude__gte=south, masked_latitude__lte=north
    )
    return found.filter(Q(true_point, masked=False) | Q(shown_point, masked=True))


@dataclass(frozen=True)
class StatRow:
    period: date | None  # None when the whole window is one period ("all")
    group: str
    events: int
    fatalities: int


def stats(viewer: Viewer, wanted: EventFilter, period: str, by: str | None) -> list[StatRow]:
    """Counts and fatalities per period (day, week, month, or the whole window: "all"), and per
    admin unit or H3 cell if asked. Read from the day totals when the question fits them (dates,
    type, a department or commune) for the labels the caller reads whoever owns the event; the
    labels they read only for some owners (need-to-know, P3 and up) are counted from the events
    and added. The two paths agree (tested)."""
    blind, scoped = labels_by_owner_rule(viewer, RecordType.EVENT)
    if not blind or not _totals_answer(wanted, by):
        return _grouped(events(viewer, wanted).order_by(), "event_date", period, by)
    rows = _grouped(_totals(blind, wanted), "day", period, by)
    if scoped and _totals(scoped, wanted).exists():
        # Few events by design (the most sensitive), and only these need their owners checked;
        # the totals say first whether there are any in the window at all.
        rows = _merged(
            rows, _grouped(events(viewer, wanted).filter(sensitivity__in=scoped).order_by(), "event_date", period, by)
        )
    return rows


def _grouped(found: QuerySet[Event] | QuerySet[EventDayTotal], day: str, period: str, by: str | None) -> list[StatRow]:
    count: Aggregate
    if found.model is EventDayTotal:
        count = Sum("events")
        if by:
            found = found.annotate(unit=F(GROUPS[by]))
    else:
        count = Count("pk")
        if by:  # a masked event counts in its department and commune, never in a section or hexagon
            found = found.annotate(unit=column(GROUPS[by]))
    if period != "all":
        found = found.annotate(bucket=period_start(period, day))
    keys = [*(["bucket"] if period != "all" else []), *(["unit"] if by else [])]
    rows = found.values(*keys).annotate(count=count, dead=Sum("fatalities")).order_by(*keys)
    return [
        StatRow(
            period=_as_date(row["bucket"]) if period != "all" else None,
            group=str(row["unit"]) if by and row["unit"] is not None else "",
            events=row["count"],
            fatalities=row["dead"] or 0,
        )
        for row in rows
        if row["count"]
    ]


def _merged(first: list[StatRow], second: list[StatRow]) -> list[StatRow]:
    """Two sets of rows over the same periods and groups, added up, in their order."""
    totals: dict[tuple[date | None, str], tuple[int, int]] = {}
    for row in (*first, *second):
        events, dead = totals.get((row.period, row.group), (0, 0))
        totals[(row.period, row.group)] = (events + row.events, dead + row.fatalities)
    ordered = sorted(totals, key=lambda key: (key[0] or date.min, key[1]))
    return [StatRow(period, group, *totals[(period, group)]) for period, group in ordered]


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
