"""``/api/dashboard``: the dashboard's panels, each its own request so each loads independently.

The window and filters are the Events page's (since, until, event type, actor, P-code,
verification), so a dashboard view and the records behind its numbers share one query string.
"""

import datetime as dt
import re

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from ulinzi.api.auth import caller_viewer
from ulinzi.dashboard import figures
from ulinzi.forces import services as forces
from ulinzi.incidents import taxonomy
from ulinzi.incidents.models import Verification
from ulinzi.incidents.services import EventFilter

router = Router(tags=["dashboard"])

EVENT_TYPE_PATTERN = "^(" + "|".join(re.escape(kind) for kind in taxonomy.EVENT_TYPES) + ")$"
VERIFICATION_PATTERN = "^(" + "|".join(Verification.values) + ")$"


class WindowQuery(Schema):
    since: dt.date | None = None
    until: dt.date | None = Field(default=None, description="the window's last day; default today")
    event_type: str | None = Field(default=None, pattern=EVENT_TYPE_PATTERN)
    actor: str | None = Field(default=None, max_length=200, description="either side")
    pcode: str | None = Field(default=None, max_length=20, pattern=r"^[A-Za-z0-9_-]+$", description="any level")
    verification: str | None = Field(default=None, pattern=VERIFICATION_PATTERN)

    def to_filter(self) -> EventFilter:
        if self.since and self.until and self.since > self.until:
            raise HttpError(422, "since: after until")
        return EventFilter(
            since=self.since,
            until=self.until or timezone.now().date(),
            event_type=self.event_type,
            actor=self.actor or None,
            pcode=self.pcode,
            verification=self.verification,
        )


class TallyOut(Schema):
    key: str
    label: str
    events: int
    fatalities: int
    records: str = Field(description="query string of the Events page listing these events")


class FiguresOut(Schema):
    since: dt.date | None
    until: dt.date | None
    events: int
    fatalities: int
    records: str
    by_type: list[TallyOut]
    communes: list[TallyOut]
    actors: list[TallyOut]


class WeekOut(Schema):
    start: dt.date
    events: int
    fatalities: int
    in_window: bool


class ArrivalOut(Schema):
    on: dt.date
    country: str = Field(description="ISO 3166-1 alpha-2 code")
    name: str
    personnel: int


class TrendOut(Schema):
    weeks: list[WeekOut]
    arrivals: list[ArrivalOut]


class CountryOut(Schema):
    iso2: str
    name: str
    deployed: int
    pledged: int | None


class StrengthOut(Schema):
    on: dt.date
    deployed: int
    pledged: int | None
    ceiling: int | None
    countries: list[CountryOut]
    movements_counted: int


@router.get("/figures", response=FiguresOut, url_name="dashboard-figures", operation_id="dashboard_figures",
            summary="Key figures for a window")  # fmt: skip
def key_figures(request: HttpRequest, query: Query[WindowQuery]) -> FiguresOut:
    """Events and fatalities in the window, by event type, and the top communes and actors, each
    with the query string of the Events page that lists the records behind it."""
    found = figures.key_figures(caller_viewer(request), query.to_filter())
    return FiguresOut(
        since=found.wanted.since,
        until=found.wanted.until,
        events=found.events,
        fatalities=found.fatalities,
        records=found.records,
        by_type=[TallyOut(**vars(tally)) for tally in found.by_type],
        communes=[TallyOut(**vars(tally)) for tally in found.communes],
        actors=[TallyOut(**vars(tally)) for tally in found.actors],
    )


@router.get("/trend", response=TrendOut, url_name="dashboard-trend", operation_id="dashboard_trend",
            summary="Events per week, with arrivals")  # fmt: skip
def weekly_trend(request: HttpRequest, query: Query[WindowQuery]) -> TrendOut:
    """Events and fatalities per week over the window and at least the 26 weeks before its end,
    with the dates personnel arrived."""
    found = figures.trend(caller_viewer(request), query.to_filter(), timezone.now().date())
    names = forces.country_names()
    return TrendOut(
        weeks=[WeekOut(**vars(week)) for week in found.weeks],
        arrivals=[
            ArrivalOut(**vars(arrival), name=names.get(arrival.country, arrival.country)) for arrival in found.arrivals
        ],
    )


@router.get("/strength", response=StrengthOut, url_name="dashboard-strength", operation_id="dashboard_strength",
            summary="Deployed against pledged")  # fmt: skip
def strength(request: HttpRequest, on: dt.date | None = None) -> StrengthOut:
    """Deployed personnel by country on a date (default today) against the pledges then in force."""
    found = figures.strength(caller_viewer(request), on or timezone.now().date())
    return StrengthOut(
        on=found.on,
        deployed=found.total,
        pledged=found.pledged_total,
        ceiling=found.ceiling,
        countries=[CountryOut(**vars(country)) for country in found.countries],
        movements_counted=found.movements_counted,
    )
