"""The figures of the common operating picture, for a window of dates and the dashboard's filters.

The dashboard's panels and the monthly situation report read the same functions, so a figure on
screen and the same figure in a report cannot disagree. Every count goes through
``incidents.services`` (``events`` and ``stats``), which apply the reader's release rules: a
partner's figures are computed from what a partner may see, masked events in their department
and commune, never filtered afterwards.

Each tally carries the query string of the Events page that lists the records behind it, so a
number on the screen is one click from its sources.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Sum

from ulinzi.accounts.policy import Viewer
from ulinzi.forces import services as forces
from ulinzi.forces.services import StrengthSnapshot
from ulinzi.geo.models import AdminArea
from ulinzi.incidents import services as incidents
from ulinzi.incidents.services import EventFilter

DEFAULT_TOP = 5
TREND_MIN_WEEKS = 26  # a short window still shows half a year of context before it


@dataclass(frozen=True)
class Tally:
    """Events and fatalities under one key, with the Events page query that lists them."""

    key: str  # an event type, a P-code or an actor's name
    label: str
    events: int
    fatalities: int
    records: str


@dataclass(frozen=True)
class KeyFigures:
    wanted: EventFilter
    events: int
    fatalities: int
    records: str
    by_type: tuple[Tally, ...]
    communes: tuple[Tally, ...]
    actors: tuple[Tally, ...]


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    events: int
    fatalities: int
    in_window: bool


@dataclass(frozen=True)
class Arrival:
    """Personnel arriving on a date: what the trend chart marks."""

    on: date
    country: str
    personnel: int


@dataclass(frozen=True)
class Trend:
    weeks: tuple[Week, ...]
    arrivals: tuple[Arrival, ...]


def records_query(wanted: EventFilter, **narrower: str) -> str:
    """The Events page's query string for the events a figure counts."""
    pairs = {
        "since": wanted.since.isoformat() if wanted.since else "",
        "until": wanted.until.isoformat() if wanted.until else "",
        "event_type": wanted.event_type or "",
        "actor": wanted.actor or "",
        "pcode": wanted.pcode or "",
        "verification": wanted.verification or "",
    }
    pairs.update(narrower)
    return urlencode([(name, value) for name, value in pairs.items() if value])


def key_figures(viewer: Viewer, wanted: EventFilter, top: int = DEFAULT_TOP) -> KeyFigures:
    """Totals, fatalities by type, and the communes and actors with the most events."""
    found = incidents.events(viewer, wanted).order_by()
    by_type = [
        Tally(
            row["event_type"],
            row["event_type"],
            row["count"],
            row["dead"] or 0,
            records_query(wanted, event_type=row["event_type"]),
        )
        for row in found.values("event_type").annotate(count=Count("pk"), dead=Sum("fatalities"))
    ]
    by_type.sort(key=lambda tally: (-tally.fatalities, -tally.events, tally.key))
    events = sum(tally.events for tally in by_type)
    fatalities = sum(tally.fatalities for tally in by_type)
    return KeyFigures(
        wanted=wanted,
        events=events,
        fatalities=fatalities,
        records=records_query(wanted),
        by_type=tuple(by_type),
        communes=tuple(_communes(viewer, wanted, top)),
        actors=tuple(_actors(viewer, wanted, top)),
    )


def _communes(viewer: Viewer, wanted: EventFilter, top: int) -> list[Tally]:
    rows = [row for row in incidents.stats(viewer, wanted, "all", "adm2") if row.group]
    rows.sort(key=lambda row: (-row.events, -row.fatalities, row.group))
    rows = rows[:top]
    areas = AdminArea.objects.filter(pcode__in=[row.group for row in rows]).only(
        "pcode", "name_fr", "name_en", "name_ht"
    )
    names = {area.pcode: area.name for area in areas}
    return [
        Tally(
            row.group,
            names.get(row.group, row.group),
            row.events,
            row.fatalities,
            records_query(wanted, pcode=row.group),
        )
        for row in rows
    ]


def _actors(viewer: Viewer, wanted: EventFilter, top: int) -> list[Tally]:
    """Actors on either side; an event between two actors counts for both, as the Events page's
    actor filter (either side) would list it under each."""
    found = incidents.events(viewer, wanted).order_by()
    events: dict[str, int] = defaultdict(int)
    dead: dict[str, int] = defaultdict(int)
    for side in ("actor1__name", "actor2__name"):
        for row in found.exclude(**{side: None}).values(side).annotate(count=Count("pk"), dead=Sum("fatalities")):
            events[row[side]] += row["count"]
            dead[row[side]] += row["dead"] or 0
    ranked = sorted(events, key=lambda name: (-events[name], -dead[name], name))[:top]
    return [Tally(name, name, events[name], dead[name], records_query(wanted, actor=name)) for name in ranked]


def trend(viewer: Viewer, wanted: EventFilter, today: date) -> Trend:
    """Events and fatalities per week (Monday first) over the window, and at least the half year
    before its end; weeks without events are zeros, and arrivals of personnel are marked."""
    until = wanted.until or today
    window_start = wanted.since
    shown_from = until - timedelta(weeks=TREND_MIN_WEEKS)
    if window_start is not None and window_start < shown_from:
        shown_from = window_start
    first_monday = shown_from - timedelta(days=shown_from.weekday())
    counted = {
        row.period: row
        for row in incidents.stats(viewer, replace(wanted, since=first_monday, until=until), "week", None)
        if row.period is not None
    }
    weeks = []
    monday = first_monday
    while monday <= until:
        row = counted.get(monday)
        inside = (window_start is None or monday + timedelta(days=6) >= window_start) and monday <= until
        weeks.append(Week(monday, row.events if row else 0, row.fatalities if row else 0, inside))
        monday += timedelta(weeks=1)
    arrivals = tuple(
        sorted(
            (
                Arrival(change.on, change.country, change.delta)
                for change in forces.changes(viewer)
                if change.delta > 0 and first_monday <= change.on <= until
            ),
            key=lambda arrival: (arrival.on, arrival.country),
        )
    )
    return Trend(tuple(weeks), arrivals)


def strength(viewer: Viewer, on: date) -> StrengthSnapshot:
    """Deployed against pledged personnel at the window's end, from the reports the viewer may read."""
    return forces.snapshot(viewer, on)
