"""``/api/insights/``: the before/after view of an area around a date, and arrivals to compare around."""

import datetime as dt
import re

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from ulinzi.api.auth import caller_viewer
from ulinzi.api.fields import NO_NUL
from ulinzi.incidents.models import Verification
from ulinzi.incidents.taxonomy import EVENT_TYPES
from ulinzi.insights import services
from ulinzi.insights.before_after import MAX_WEEKS, Comparison

router = Router(tags=["insights"])

EVENT_TYPE_PATTERN = "^(" + "|".join(re.escape(kind) for kind in EVENT_TYPES) + ")$"
VERIFICATION_PATTERN = "^(" + "|".join(Verification.values) + ")$"


class BeforeAfterQuery(Schema):
    area: str = Field(max_length=20, pattern=r"^[A-Za-z0-9_-]+$", description="a P-code at any level, e.g. HT0111")
    date: dt.date = Field(description="the pivot, e.g. a contingent's arrival; its week counts as after")
    weeks: int = Field(default=12, ge=1, le=MAX_WEEKS, description="weeks on each side")
    event_type: str | None = Field(default=None, pattern=EVENT_TYPE_PATTERN, description="an ACLED event type")
    actor: str | None = Field(default=None, max_length=200, pattern=NO_NUL, description="as actor 1 or actor 2")
    verification: str | None = Field(default=None, pattern=VERIFICATION_PATTERN)


class WeekOut(Schema):
    week: dt.date = Field(description="the Monday of the ISO week")
    side: str = Field(description="before or after")
    events: int
    fatalities: int
    events_trend: float = Field(description="the trend before: fitted on a week before, predicted on a week after")
    fatalities_trend: float


class TrendOut(Schema):
    slope_per_week: float = Field(description="least squares through the weeks before")
    predicted_per_week: float = Field(description="what that line predicts per week after, on average")
    predicted_change_percent: float | None = Field(description="that prediction against the mean before")


class ComparisonOut(Schema):
    before_total: int
    after_total: int
    before_per_week: float
    after_per_week: float
    change_per_week: float
    change_percent: float | None = Field(description="null when nothing was counted before")
    beyond_trend_per_week: float = Field(description="after, per week, minus what the trend before predicted")
    trend: TrendOut
    sentence: str


class BeforeAfterOut(Schema):
    area: str
    area_name: str
    area_level: int
    date: dt.date
    weeks: int
    first_day: dt.date = Field(description="the Monday of the first week before")
    pivot_week: dt.date = Field(description="the Monday of the pivot's week, the first week after")
    last_day: dt.date = Field(description="the Sunday of the last week after")
    event_type: str | None
    actor: str | None
    verification: str | None
    rows: list[WeekOut]
    events: ComparisonOut
    fatalities: ComparisonOut
    caveat: list[str]
    illustrative: bool = Field(description="some counted events were made up for the demo")


class PivotOut(Schema):
    label: str
    iso2: str
    country: str
    date: dt.date
    personnel: int | None
    source: str


def _comparison(side: Comparison) -> ComparisonOut:
    return ComparisonOut(
        before_total=side.before_total,
        after_total=side.after_total,
        before_per_week=side.before_mean,
        after_per_week=side.after_mean,
        change_per_week=side.change,
        change_percent=side.change_percent,
        beyond_trend_per_week=side.beyond_trend,
        trend=TrendOut(
            slope_per_week=side.trend.slope,
            predicted_per_week=side.trend_mean,
            predicted_change_percent=side.trend_change_percent,
        ),
        sentence=side.sentence,
    )


def _out(found: services.AreaBeforeAfter) -> BeforeAfterOut:
    result, span = found.result, found.result.window
    return BeforeAfterOut(
        area=found.pcode,
        area_name=found.area_name,
        area_level=found.area_level,
        date=span.pivot,
        weeks=span.weeks,
        first_day=span.first_day,
        pivot_week=span.pivot_week,
        last_day=span.last_day,
        event_type=found.extras.event_type,
        actor=found.extras.actor,
        verification=found.extras.verification,
        rows=[
            WeekOut(
                week=row.start,
                side="after" if row.after else "before",
                events=row.events,
                fatalities=row.fatalities,
                events_trend=row.events_trend,
                fatalities_trend=row.fatalities_trend,
            )
            for row in result.rows
        ],
        events=_comparison(result.events),
        fatalities=_comparison(result.fatalities),
        caveat=list(found.caveat),
        illustrative=found.illustrative,
    )


@router.get(
    "/before-after",
    url_name="insights-before-after",
    operation_id="insights_before_after",
    response=BeforeAfterOut,
    summary="Events and deaths per week before and after a date in an area",
)
def before_after(request: HttpRequest, query: Query[BeforeAfterQuery]) -> BeforeAfterOut:
    """For the area (any level) and the pivot date: events and deaths per ISO week, ``weeks``
    weeks before the pivot's week and ``weeks`` weeks from it (the pivot's week is after), the
    totals and weekly means, the change, the least-squares trend of the weeks before and what it
    alone predicts after, and the caveat: what such a comparison cannot prove. Counts only the
    events you may read. A P-code no area has is a 422 naming `area`. See docs/insights.md."""
    extras = services.EventExtras(event_type=query.event_type, actor=query.actor, verification=query.verification)
    try:
        found = services.before_after(caller_viewer(request), query.area, query.date, query.weeks, extras)
    except services.BadRequest as refused:
        # The shape of Ninja's own 422, so a client reads this refusal as it reads a malformed one.
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", refused.field], "msg": refused.reason}]
        ) from None
    return _out(found)


@router.get(
    "/pivots",
    url_name="insights-pivots",
    operation_id="insights_pivots",
    response=list[PivotOut],
    summary="Contingent arrivals to compare before and after",
)
def pivots(request: HttpRequest) -> list[PivotOut]:
    """Every arrival of a contributing country's personnel that you may read, oldest first, named
    by its rank among that country's arrivals, with its date, size and first source."""
    return [
        PivotOut(label=p.label, iso2=p.iso2, country=p.country, date=p.on, personnel=p.personnel, source=p.source)
        for p in services.pivot_suggestions(caller_viewer(request))
    ]
