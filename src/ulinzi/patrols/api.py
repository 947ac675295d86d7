"""``/api/patrols``: plans, tracks and effort.

Patrols and positions answer only the mission's command and analysis roles (403 for every other
role). Effort answers everyone with a role, under ``patrols.services.effort``'s rule: a reader
without track access gets hours and kilometres per commune and week from positions older than the
release delay, and nothing finer.
"""

import datetime as dt
import json
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.api.auth import caller_viewer, require_editor
from ulinzi.api.fields import NO_NUL
from ulinzi.api.pagination import BoundedPagination
from ulinzi.audit.models import Action
from ulinzi.audit.services import record, record_read
from ulinzi.patrols import planning, services
from ulinzi.patrols.effort import CAVEAT
from ulinzi.patrols.models import Patrol, PatrolKind, TrackPoint

router = Router(tags=["patrols"])
TRACK_REFUSAL = "patrols and their tracks are the mission's own; your role sees effort per commune and week"


def _track_reader(request: HttpRequest) -> Viewer:
    viewer = caller_viewer(request)
    if not services.sees_tracks(viewer):
        raise HttpError(403, TRACK_REFUSAL)
    return viewer


class PatrolOut(Schema):
    id: int
    reference: str
    kind: str
    status: str
    objective: str
    planned_area: str
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    leader: str
    size: int | None
    devices: str
    sensitivity: str = Field(alias="label_code")


class TrackSummaryOut(Schema):
    points: int
    first: dt.datetime | None
    last: dt.datetime | None
    hours: float
    km: float


class PatrolDetailOut(PatrolOut):
    track: TrackSummaryOut
    events: list[int] = Field(alias="event_ids")


class PatrolIn(Schema):
    reference: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    kind: PatrolKind
    objective: str = Field(default="", max_length=planning.OBJECTIVE_MAX, pattern=NO_NUL)
    planned_area: str = Field(default="", max_length=20, pattern=NO_NUL)
    planned_start: dt.datetime | None = None
    planned_end: dt.datetime | None = None
    leader: str = Field(default="", max_length=200, pattern=NO_NUL)
    size: int | None = Field(default=None, ge=planning.SIZE_MIN, le=planning.SIZE_MAX)
    devices: str = Field(default="", max_length=500, pattern=NO_NUL)
    sensitivity: str = Field(default="P2", pattern="^P[0-4]$", description="label, P2 unless said (P0 to P4)")


@router.get("", response=list[PatrolOut], url_name="patrols", operation_id="patrols_list", summary="Patrols")
@paginate(BoundedPagination)
def patrol_list(request: HttpRequest) -> Any:
    """Planned and past patrols, newest first, for the mission's command and analysis roles."""
    return services.patrols(_track_reader(request)).order_by("-planned_start", "reference")


@router.post(
    "", response={201: PatrolOut}, url_name="patrols-plan", operation_id="patrols_plan", summary="Plan a patrol"
)
def plan(request: HttpRequest, body: PatrolIn) -> Status[Patrol]:
    """A planned patrol: its kind, objective, area (a P-code) and times, and the devices whose
    positions will be its track. Commanders, analysts and administrators."""
    viewer = require_editor(request, RecordType.PATROL, "only commanders, analysts and administrators plan patrols")
    fields = body.dict(exclude={"sensitivity"})
    try:
        patrol = planning.create(
            viewer,
            planning.Plan(label=Sensitivity.parse(body.sensitivity), **fields),
            request.user if isinstance(request.user, User) else None,
        )
    except planning.PlanRefused as refused:
        raise HttpError(422, str(refused)) from None
    return Status(201, patrol)


class EffortQuery(Schema):
    level: services.AreaLevel = Field(default="commune", description="department, commune or section")
    period: Literal["day", "week"] = Field(default="week")
    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")


class EffortRowOut(Schema):
    area: str
    period_start: dt.date
    hours: float
    km: float


class EffortOut(Schema):
    released: bool = Field(description="true when computed under the release rule: communes, weeks, delayed")
    until: dt.datetime = Field(description="positions after this moment are not counted")
    caveat: str
    rows: list[EffortRowOut]


@router.get("/effort", response=EffortOut, url_name="patrols-effort", operation_id="patrols_effort", summary="Effort")
def effort(request: HttpRequest, query: Query[EffortQuery]) -> EffortOut:
    """Patrol hours and kilometres per area and period. Readers without track access get
    communes and weeks only, from positions older than the release delay (72 hours by default)."""
    viewer = caller_viewer(request)
    try:
        answer = services.effort(viewer, level=query.level, period=query.period, start=query.start, end=query.end)
    except services.NotPermitted as refused:
        raise HttpError(403, str(refused)) from None
    rows = [
        EffortRowOut(area=str(area), period_start=day, hours=round(t.hours, 3), km=round(t.km, 3))
        for (area, day), t in sorted(answer.effort.by_area.items(), key=lambda item: (str(item[0][0]), item[0][1]))
    ]
    return EffortOut(released=answer.released, until=answer.until, caveat=answer.caveat, rows=rows)


class GapOut(Schema):
    cell: str = Field(description="H3 cell, hexadecimal")
    hours: float


class GapsQuery(Schema):
    days: int = Field(default=30, ge=1, le=365, description="events in the last this many days make a hotspot")
    min_hours: float = Field(default=0.0, ge=0, le=10_000, description="less patrol time than this is a gap")


@router.get("/gaps", response=list[GapOut], url_name="patrols-gaps", operation_id="patrols_gaps", summary="Gaps")
def coverage_gaps(request: HttpRequest, query: Query[GapsQuery]) -> list[GapOut]:
    """H3 cells with events in the last `days` that patrols reached for less than `min_hours`."""
    viewer = _track_reader(request)
    found = services.gaps(viewer, days=query.days, min_hours=query.min_hours)
    return [GapOut(cell=f"{gap.cell:x}", hours=round(gap.hours, 3)) for gap in found]


class RateOut(Schema):
    commune: str
    incidents_per_patrol_hour: float | None


class RatesOut(Schema):
    caveat: str
    rows: list[RateOut]


class RatesQuery(Schema):
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


@router.get(
    "/incidents-per-hour", response=RatesOut, url_name="patrols-rates", operation_id="patrols_rates", summary="Rates"
)
def rates(request: HttpRequest, query: Query[RatesQuery]) -> RatesOut:
    """Events per patrol-hour per commune over the dates, with the caveat that it measures both
    violence and where patrols look."""
    viewer = _track_reader(request)
    if query.end < query.start:
        raise HttpError(422, "to: before from")
    found = services.incidents_per_hour(viewer, start=query.start, end=query.end)
    return RatesOut(
        caveat=CAVEAT,
        rows=[RateOut(commune=code, incidents_per_patrol_hour=rate) for code, rate in found.items()],
    )


@router.get("/{patrol_id}", response=PatrolDetailOut, url_name="patrol", operation_id="patrol", summary="A patrol")
def patrol_detail(request: HttpRequest, patrol_id: int) -> Patrol:
    """One patrol with its track's size, first and last fix, hours and km, and linked events."""
    viewer = _track_reader(request)
    patrol = get_object_or_404(services.patrols(viewer), pk=patrol_id)
    record_read(request, Patrol._meta.label_lower, patrol.pk, patrol.sensitivity)
    patrol.track = services.summary(viewer, patrol)  # type: ignore[attr-defined]
    patrol.event_ids = list(patrol.events.values_list("pk", flat=True))  # type: ignore[attr-defined]
    return patrol


@router.get(
    "/{patrol_id}/track",
    url_name="patrol-track",
    operation_id="patrol_track",
    summary="A patrol's track as GeoJSON or GPX",
    openapi_extra={"responses": {"200": {"description": "the track", "content": {"application/geo+json": {}}}}},
)
def patrol_track(request: HttpRequest, patrol_id: int, format: Literal["geojson", "gpx"] = "geojson") -> HttpResponse:
    """The positions of one patrol in time order, as a GeoJSON LineString with its times or as
    GPX 1.1. The export is audited."""
    viewer = _track_reader(request)
    patrol = get_object_or_404(services.patrols(viewer), pk=patrol_id)
    fixes = list(services.track(viewer, patrol))
    top = max((int(fix.sensitivity) for fix in fixes), default=int(patrol.sensitivity))
    record(request, Action.EXPORT, TrackPoint._meta.label_lower, [patrol.pk], Sensitivity(max(top, patrol.sensitivity)))
    if format == "gpx":
        body, kind = _gpx(patrol, fixes), "application/gpx+xml"
    else:
        body, kind = _geojson(patrol, fixes), "application/geo+json"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="patrol-{patrol.pk}.{format}"'
    return response


def _geojson(patrol: Patrol, fixes: list[TrackPoint]) -> str:
    feature = {
        "type": "Feature",
        "properties": {"reference": patrol.reference, "times": [fix.time.isoformat() for fix in fixes]},
        "geometry": {"type": "LineString", "coordinates": [[fix.lon, fix.lat] for fix in fixes]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


def _gpx(patrol: Patrol, fixes: list[TrackPoint]) -> str:
    points = "".join(
        f"<trkpt lat={quoteattr(repr(fix.lat))} lon={quoteattr(repr(fix.lon))}>"
        f"<time>{fix.time.isoformat()}</time></trkpt>"
        for fix in fixes
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="Ulinzi" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{escape(patrol.reference)}</name><trkseg>{points}</trkseg></trk></gpx>"
    )
