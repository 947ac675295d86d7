"""``/api/patrols``: plans, tracks, linked events and effort.

Patrols and positions answer only the mission's command and analysis roles (403 for every other
role), and linking events to a patrol follows ``patrols.links``. Effort answers everyone with a
role, under ``patrols.services.effort``'s rule: a reader without track access gets hours and
kilometres per commune and week from positions older than the release delay, and nothing finer.
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
from ulinzi.audit.services import record, record_list_read, record_read
from ulinzi.incidents.services import visible
from ulinzi.patrols import links, nearby, planning, services
from ulinzi.patrols.effort import CAVEAT
from ulinzi.patrols.models import Patrol, PatrolEvent, PatrolKind, TrackPoint

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
    """One patrol with its track's size, first and last fix, hours and km, and the ids of the
    linked events you may read."""
    viewer = _track_reader(request)
    patrol = get_object_or_404(services.patrols(viewer), pk=patrol_id)
    record_read(request, Patrol._meta.label_lower, patrol.pk, patrol.sensitivity)
    patrol.track = services.summary(viewer, patrol)  # type: ignore[attr-defined]
    # Only the linked events the caller reads: an id alone would confirm a hidden event exists.
    linked = visible(viewer).filter(patrols=patrol).order_by("pk").values_list("pk", flat=True)
    patrol.event_ids = list(linked)  # type: ignore[attr-defined]
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


MAX_WITHIN_M = 5_000.0
MAX_DAY_MARGIN = 7


class SuggestionsQuery(Schema):
    within_m: float = Field(
        default=nearby.DEFAULT_WITHIN_M, gt=0, le=MAX_WITHIN_M, description="metres from a fix of the event's day"
    )
    day_margin: int = Field(
        default=0, ge=0, le=MAX_DAY_MARGIN, description="days either side of the event's date a fix may fall on (UTC)"
    )


class SuggestionOut(Schema):
    event_id: int
    event_date: dt.date
    event_type: str
    sub_event_type: str
    location: str
    distance_m: float = Field(description="to the patrol's nearest fix on a matching day")
    nearest_fix_at: dt.datetime = Field(description="when the patrol was at that fix (UTC)")


class LinkIn(Schema):
    event_id: int = Field(ge=1, description="an event you may read")
    relation: PatrolEvent.Relation = Field(description="observed by the patrol, or reported to it")


class LinkOut(Schema):
    patrol_id: int
    event_id: int
    relation: str
    change: str = Field(description="linked, relation changed, or unchanged")


def _patrol_to_link(request: HttpRequest, patrol_id: int, *, writes: bool) -> tuple[Viewer, Patrol]:
    """The caller and the patrol under ``links.patrol_to_link``'s rule: a refused role (or a
    read-only token, to change) is a 403 before the patrol is looked up; a hidden patrol a 404."""
    viewer = _track_reader(request)
    if writes:
        require_editor(request, RecordType.PATROL, links.LINK_REFUSAL)
    try:
        return viewer, links.patrol_to_link(viewer, patrol_id)
    except links.LinkRefused as refused:
        raise HttpError(403, str(refused)) from None
    except links.NoSuchPatrol:
        raise HttpError(404, "Not Found") from None


@router.get(
    "/{patrol_id}/suggestions",
    response=list[SuggestionOut],
    url_name="patrol-suggestions",
    operation_id="patrol_suggestions",
    summary="Events near a patrol's track, to link",
)
def suggestions(request: HttpRequest, patrol_id: int, query: Query[SuggestionsQuery]) -> list[SuggestionOut]:
    """Events you may read, not linked to the patrol yet, within `within_m` metres (500 unless
    said) of a position the patrol reported on the event's date, or `day_margin` days either side
    (UTC days), nearest first, with the distance and the time of that nearest fix. Commanders,
    analysts and administrators; 404 alike for a hidden or missing patrol. Showing confidential
    events is recorded in the audit log, as a list of events is."""
    viewer, patrol = _patrol_to_link(request, patrol_id, writes=False)
    found = links.suggestions(viewer, patrol, within_m=query.within_m, day_margin=query.day_margin)
    record_list_read(request, [one.event for one in found], request.path)
    return [
        SuggestionOut(
            event_id=one.event.pk,
            event_date=one.event.event_date,
            event_type=one.event.event_type,
            sub_event_type=one.event.sub_event_type,
            location=one.event.location,
            distance_m=round(one.distance_m, 1),
            nearest_fix_at=one.nearest_fix_at,
        )
        for one in found
    ]


@router.post(
    "/{patrol_id}/events",
    response={200: LinkOut, 201: LinkOut},
    url_name="patrol-link",
    operation_id="patrol_link",
    summary="Link an event to a patrol",
)
def link(request: HttpRequest, patrol_id: int, body: LinkIn) -> Status[LinkOut]:
    """Link the event as `observed` or `reported` (201). Linked already, the answer is 200 and the
    relation is set to the one given (`change` says whether it changed). Each change is written to
    the audit log. Commanders, analysts and administrators; 404 alike for a hidden or missing
    patrol, and alike for a hidden or missing event."""
    viewer, patrol = _patrol_to_link(request, patrol_id, writes=True)
    user = request.user if isinstance(request.user, User) else None
    try:
        outcome = links.link(viewer, patrol, body.event_id, body.relation, user)
    except links.NoSuchEvent as missing:
        raise HttpError(404, str(missing)) from None
    answer = LinkOut(patrol_id=patrol.pk, event_id=body.event_id, relation=outcome.link.relation, change=outcome.change)
    return Status(201 if outcome.change == "linked" else 200, answer)


@router.delete(
    "/{patrol_id}/events/{event_id}",
    response={204: None},
    url_name="patrol-unlink",
    operation_id="patrol_unlink",
    summary="Unlink an event from a patrol",
)
def unlink(request: HttpRequest, patrol_id: int, event_id: int) -> Status[None]:
    """Remove the event's link to the patrol (204, also when it was not linked: asking twice is
    harmless). The removal is written to the audit log. Commanders, analysts and administrators;
    404 alike for a hidden or missing patrol, and alike for a hidden or missing event."""
    viewer, patrol = _patrol_to_link(request, patrol_id, writes=True)
    user = request.user if isinstance(request.user, User) else None
    try:
        links.unlink(viewer, patrol, event_id, user)
    except links.NoSuchEvent as missing:
        raise HttpError(404, str(missing)) from None
    return Status(204, None)
