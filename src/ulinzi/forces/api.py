"""``/api/forces/``: strength on a date, the strength timeline, and the movements behind it."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from ulinzi.api.auth import caller_clearance
from ulinzi.forces import services
from ulinzi.forces.models import MOVEMENT_SIGN

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


class ReportOut(Schema):
    personnel: int
    reported_on: dt.date
    reported_total: int | None
    confidence: str
    preferred: bool
    sensitivity: str
    note: str
    sources: list[SourceOut]


class MovementOut(Schema):
    id: int
    date: dt.date
    date_precision: str
    kind: str
    iso2: str
    country: str
    contingent: str | None
    counted: int | None
    reports: list[ReportOut]


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
    snapshot = services.snapshot(caller_clearance(request), query.date or timezone.now().date())
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
    line = services.timeline(caller_clearance(request))
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
def movements(request: HttpRequest) -> list[MovementOut]:
    """Each arrival, departure or rotation with all the reports you may read, preferred first;
    ``counted`` is the signed figure the strength totals use (empty when the preferred report is
    not visible to you)."""
    clearance = caller_clearance(request)
    result = []
    for movement in services.movements(clearance):
        reports = movement.visible_reports  # type: ignore[attr-defined]
        preferred = next((r for r in reports if r.preferred), None)
        sign = MOVEMENT_SIGN[movement.kind]
        result.append(
            MovementOut(
                id=movement.pk,
                date=movement.date,
                date_precision=movement.date_precision,
                kind=movement.kind,
                iso2=movement.contributor.iso2,
                country=movement.contributor.name,
                contingent=movement.contingent.name if movement.contingent else None,
                counted=None if preferred is None else sign * preferred.personnel,
                reports=[
                    ReportOut(
                        personnel=r.personnel,
                        reported_on=r.reported_on,
                        reported_total=r.reported_total,
                        confidence=r.confidence,
                        preferred=r.preferred,
                        sensitivity=f"P{r.sensitivity}",
                        note=r.note,
                        sources=[
                            SourceOut(reference=s.reference, publisher=s.publisher, note=s.note)
                            for s in r.sources.all()
                        ],
                    )
                    for r in reports
                ],
            )
        )
    return result
