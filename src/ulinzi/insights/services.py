"""Insights from the store: the before/after view of an area around a date, and dates worth asking about.

Counts come from ``incidents.services.stats``, the statistics every output uses, so a viewer's
before/after counts exactly the events they may read: a partner counts confidential (P2) events
masked, by department and commune only, and nothing above. The arithmetic is in
``insights.before_after``; the arrivals come from ``forces.services.movements``, so a pivot is
offered only from movement reports the viewer may read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from ulinzi.accounts.policy import Viewer
from ulinzi.forces import services as forces
from ulinzi.forces.models import MovementKind
from ulinzi.geo.models import AdminArea
from ulinzi.incidents import services as incidents
from ulinzi.insights import before_after as pure

# The commune the page proposes when none is chosen: Port-au-Prince, where the mission began.
DEFAULT_AREA = "HT0111"
# Administrative levels the page offers: departments, communes and communal sections.
OFFERED_LEVELS = (1, 2, 3)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
ILLUSTRATIVE_TAG = "illustrative"
VISIBILITY = (
    "Only the events your role may read are counted. Events you see masked count in their department and "
    "commune, never in a section."
)


class BadRequest(ValueError):
    """A before/after that cannot be computed as asked; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class EventExtras:
    """Filters besides place and time, with the meaning they have on ``/api/events``."""

    event_type: str | None = None
    actor: str | None = None
    verification: str | None = None


@dataclass(frozen=True)
class AreaBeforeAfter:
    """A before/after for one area as one viewer sees it."""

    pcode: str
    area_name: str
    area_level: int
    extras: EventExtras
    result: pure.BeforeAfter
    caveat: tuple[str, ...]  # the comparison's caveat, then what the viewer's role leaves out
    illustrative: bool  # some counted events were made up for the demo


@dataclass(frozen=True)
class Pivot:
    """A dated arrival of a contributing country's personnel, offered as a date to compare around."""

    label: str  # "Kenya's first contingent"
    iso2: str
    country: str
    on: date
    personnel: int | None  # from the first report the viewer may read, the preferred one first
    source: str  # the first citation of that report


def area(pcode: str) -> AdminArea:
    """The administrative area (public records) with this P-code; BadRequest naming ``area`` otherwise."""
    code = pcode.strip()
    if not code:
        raise BadRequest("area", "choose an area by its P-code")
    found = AdminArea.objects.filter(pcode=code).only("pcode", "level", "name_fr", "name_en", "name_ht").first()
    if found is None:
        raise BadRequest("area", f"no administrative area has the P-code {code!r} (load boundaries first)")
    return found


def before_after(
    viewer: Viewer, area_pcode: str, pivot: date, weeks: int, event_filter_extras: EventExtras | None = None
) -> AreaBeforeAfter:
    """Events and deaths per week in the area, ``weeks`` weeks before the pivot's week and
    ``weeks`` weeks from it, compared (see ``insights.before_after``). BadRequest names the field
    at fault: an unknown P-code, or a number of weeks outside 1 to 104."""
    extras = event_filter_extras or EventExtras()
    place = area(area_pcode)
    try:
        span = pure.window(pivot, weeks)
    except ValueError as error:
        field = "weeks" if not 1 <= weeks <= pure.MAX_WEEKS else "date"
        raise BadRequest(field, str(error)) from None
    wanted = incidents.EventFilter(
        pcode=place.pcode,
        since=span.first_day,
        until=span.last_day,
        event_type=extras.event_type,
        actor=extras.actor,
        verification=extras.verification,
    )
    rows = incidents.stats(viewer, wanted, period="week", by=None)
    counts = [pure.WeeklyCount(row.period, row.events, row.fatalities) for row in rows if row.period is not None]
    result = pure.before_after(pivot, weeks, counts)
    return AreaBeforeAfter(
        pcode=place.pcode,
        area_name=place.name,
        area_level=place.level,
        extras=extras,
        result=result,
        caveat=(*result.caveat, VISIBILITY),
        illustrative=_any_illustrative(viewer, wanted),
    )


def _any_illustrative(viewer: Viewer, wanted: incidents.EventFilter) -> bool:
    """Whether the demo's made-up events are among those counted, so the page can say so."""
    # A masked event withholds its tags, so only events shown in full can say they are made up.
    found = incidents.events(viewer, wanted).filter(Q(masked=False), tags__contains=ILLUSTRATIVE_TAG)
    return found.order_by().exists()


def pivot_suggestions(viewer: Viewer) -> list[Pivot]:
    """Every arrival the viewer may read, oldest first, named by its rank among the country's
    arrivals the viewer sees ("Kenya's second contingent")."""
    arrivals = forces.movements(viewer).filter(kind=MovementKind.ARRIVAL)
    seen: dict[str, int] = defaultdict(int)
    pivots = []
    for movement in arrivals:
        country = movement.contributor
        rank = seen[country.iso2]
        seen[country.iso2] += 1
        reports = list(movement.visible_reports)  # type: ignore[attr-defined]  # set by forces.services.movements
        shown = reports[0] if reports else None  # preferred first, when visible
        # The first cited, in the order the report gave them (the store orders by publisher).
        sources = sorted(shown.sources.all(), key=lambda source: source.pk) if shown else []
        pivots.append(
            Pivot(
                label=f"{country.name}'s {_ordinal(rank)} contingent",
                iso2=country.iso2,
                country=country.name,
                on=movement.date,
                personnel=shown.personnel if shown else None,
                source=sources[0].reference if sources else "",
            )
        )
    return pivots


def _ordinal(rank: int) -> str:
    """``rank`` counted from zero, in words up to the tenth."""
    if rank < len(ORDINALS):
        return ORDINALS[rank]
    number = rank + 1
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclass(frozen=True)
class AreaChoice:
    pcode: str
    name: str
    level: int


def area_choices() -> list[AreaChoice]:
    """The areas the page offers, departments first, each with its name (boundaries are public)."""
    found = AdminArea.objects.filter(level__in=OFFERED_LEVELS).only("pcode", "level", "name_fr", "name_en", "name_ht")
    return [AreaChoice(one.pcode, one.name, one.level) for one in found.order_by("level", "pcode")]


def default_area() -> str:
    """Port-au-Prince when the boundaries hold it, else the first commune, else nothing."""
    if AdminArea.objects.filter(pcode=DEFAULT_AREA).exists():
        return DEFAULT_AREA
    first = AdminArea.objects.filter(level=2).order_by("pcode").values_list("pcode", flat=True).first()
    return first or ""
