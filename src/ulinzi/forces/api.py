"""``/api/forces/``: strength on a date, the strength timeline, and the movements behind it."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ulinzi.api.auth import caller_viewer
from ulinzi.api.pagination import BoundedPagination
from ulinzi.forces import services
from ulinzi.forces.models import Movement, MovementReport
from ulinzi.sources.models import Source

router = Router(tags=["forces"])


class StrengthQuery(Schema):
    date: dt.date | None = None


class CountryStrengthOut(Schema):
    iso2: str
    name: str
    deployed: int
    pledged: int | None


class StrengthOut(Schema):
    date: dt.date
    total: int
    pledged_total: int | None
    ceiling: int | None
    movements_counted: int
    countries: list[CountryStrengthOut]


class MovementsQuery(Schema):
    country: str | None = Field(default=None, max_length=2, description="ISO 3166 alpha-2 code, e.g. KE")
    since: dt.date | None = Field(default=None, description="movements on or after this date")
    until: dt.date | None = Field(default=None, description="movements on or before this date")


class SeriesOut(Schema):
    iso2: str
    name: str
    values: list[int]


class TimelineOut(Schema):
    dates: list[dt.date]
    series: list[SeriesOut]
    total: list[int]
    pledged: list[int | None]
    ceiling: list[int | None]


class SourceOut(Schema):
    reference: str
    publisher: str
    note: str


class MovementReportOut(Schema):
    personnel: int
    reported_on: dt.date
    reported_total: int | None
    confidence: str
    preferred: bool
    sensitivity: str
    note: str
    sources: list[SourceOut]

    @staticmethod
    def resolve_sensitivity(report: MovementReport) -> str:
        return f"P{report.sensitivity}"

    @staticmethod
    def resolve_sources(report: MovementReport) -> list[Source]:
        return list(report.sources.all())


class MovementOut(Schema):
    id: int
    date: dt.date
    date_precision: str
    kind: str
    iso2: str
    country: str
    contingent: str | None
    counted: int | None = Field(description="the signed figure strength totals use; empty if not visible to you")
    reports: list[MovementReportOut]

    @staticmethod
    def resolve_iso2(movement: Movement) -> str:
        return movement.contributor.iso2

    @staticmethod
    def resolve_country(movement: Movement) -> str:
        return movement.contributor.name

    @staticmethod
    def resolve_contingent(movement: Movement) -> str | None:
        return getattr(movement, "visible_contingent", None)

    @staticmethod
    def resolve_reports(movement: Movement) -> list[MovementReport]:
        return list(movement.visible_reports)  # type: ignore[attr-defined]  # set by services.movements

    @staticmethod
    def resolve_counted(movement: Movement) -> int | None:
        return movement.counted


@router.get(
    "/strength",
    url_name="forces-strength",
    operation_id="forces_strength",
    response=StrengthOut,
    summary="Deployed strength by country on a date",
)
def strength(request: HttpRequest, query: Query[StrengthQuery]) -> StrengthOut:
    """Deployed personnel per contributing country at the end of ``date`` (default: today, UTC),
    derived from the preferred report of every movement on or before it, with the pledges and
    the authorised ceiling in force that day."""
    snapshot = services.snapshot(caller_viewer(request), query.date or timezone.now().date())
    return StrengthOut(
        date=snapshot.on,
        total=snapshot.total,
        pledged_total=snapshot.pledged_total,
        ceiling=snapshot.ceiling,
        movements_counted=snapshot.movements_counted,
        countries=[CountryStrengthOut(**vars(country)) for country in snapshot.countries],
    )


@router.get(
    "/timeline",
    url_name="forces-timeline",
    operation_id="forces_timeline",
    response=TimelineOut,
    summary="Strength over time, by country, for charts",
)
def timeline(request: HttpRequest) -> TimelineOut:
    """One point per date on which a movement, pledge or ceiling took effect: cumulative
    strength per country, the total, the pledged total and the ceiling."""
    line = services.timeline(caller_viewer(request))
    names = services.country_names()
    return TimelineOut(
        dates=list(line.dates),
        series=[
            SeriesOut(iso2=s.country, name=names.get(s.country, s.country), values=list(s.values)) for s in line.series
        ],
        total=list(line.totals),
        pledged=list(line.pledged),
        ceiling=list(line.ceiling),
    )


@router.get(
    "/movements",
    url_name="forces-movements",
    operation_id="forces_movements",
    response=list[MovementOut],
    summary="Movements with every report and its sources",
)
@paginate(BoundedPagination)
def movements(request: HttpRequest, query: Query[MovementsQuery]) -> QuerySet[Movement]:
    """Each arrival, departure or rotation with all the reports you may read, preferred first,
    oldest first, paginated with ``limit`` and ``offset``; filter by ``country``, ``since`` and
    ``until``. ``counted`` is the signed figure the strength totals use (empty when the
    preferred report is not visible to you)."""
    return services.movements(caller_viewer(request), country=query.country, since=query.since, until=query.until)
