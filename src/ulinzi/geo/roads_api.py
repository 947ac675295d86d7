"""``/api/geo/roads`` and ``/api/geo/route``: the road status register and routes that avoid danger."""

import datetime as dt
import json
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from shapely.geometry import MultiLineString, mapping

from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.api.auth import caller_viewer, require_editor
from ulinzi.api.fields import NO_NUL
from ulinzi.audit.models import Action
from ulinzi.audit.services import record
from ulinzi.geo import roads
from ulinzi.geo.models import RoadSegment, RoadStatus, RoadStatusKind
from ulinzi.geo.routing import Avoided, NoRoute, OffNetwork

router = Router(tags=["geo"])


class RoadsQuery(Schema):
    date: dt.date | None = Field(default=None, description="statuses in force at the end of this day; default now")


class RoadProperties(Schema):
    name: str
    ref: str
    coarse: bool = Field(description="a straight link between commune points, not a surveyed road")
    length_km: float
    status: str = Field(description="the latest status in force you may read, else unknown")


class RoadFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any]
    properties: RoadProperties


class RoadCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[RoadFeature]


class RouteQuery(Schema):
    start: str = Field(alias="from", max_length=200, description="a place name, or 'lon,lat'")
    end: str = Field(alias="to", max_length=200, description="a place name, or 'lon,lat'")
    date: dt.date | None = Field(default=None, description="default: today (UTC)")
    avoid: str = Field(default="", max_length=1000, description="actors whose control areas to avoid, comma-separated")
    violence_days: int = Field(
        default=0, ge=0, le=365, description="weigh roads by the events of this many days up to `date` (0: off)"
    )
    violence_weight: float = Field(
        default=1.0, ge=0, le=100, description="extra road lengths per event and per death within 1 km"
    )


class AvoidedOut(Schema):
    segment_id: int
    segment: str
    reason: str


class DangerOut(Schema):
    segment_id: int
    segment: str
    events: int
    fatalities: int


class RouteOut(Schema):
    found: bool
    start: str
    end: str
    length_km: float | None
    segments: list[str]
    geometry: dict[str, Any] | None = Field(description="GeoJSON MultiLineString of the route")
    avoided: list[AvoidedOut] = Field(description="segments taken out for this request, and why")
    reasons: list[AvoidedOut] = Field(description="when no route is found: what closes every way")
    exposure: list[DangerOut] = Field(
        default_factory=list, description="with violence_days: recent events near the segments the route still takes"
    )


def _avoided(items: tuple[Avoided, ...]) -> list[AvoidedOut]:
    return [AvoidedOut(segment_id=a.segment_id, segment=a.segment_name, reason=a.reason) for a in items]


@router.get(
    "/roads",
    url_name="geo-roads",
    operation_id="geo_roads",
    response=RoadCollection,
    summary="Road segments with their current status",
)
def road_map(request: HttpRequest, query: Query[RoadsQuery]) -> RoadCollection:
    """Every road segment (and coarse link) with the latest status in force at the end of ``date``
    (or now) that your role may read; a status that has expired reads as unknown."""
    moment = roads.end_of(query.date) if query.date else timezone.now()
    segments, statuses = roads.roads_with_status(caller_viewer(request), moment)
    return RoadCollection(
        features=[
            RoadFeature(
                id=segment.pk,
                geometry=json.loads(segment.geometry),
                properties=RoadProperties(
                    name=segment.name,
                    ref=segment.ref,
                    coarse=segment.coarse,
                    length_km=round(segment.length_km, 2),
                    status=statuses.get(segment.pk, "unknown"),
                ),
            )
            for segment in segments
        ]
    )


@router.get(
    "/route",
    url_name="geo-route",
    operation_id="geo_route",
    response=RouteOut,
    summary="The shortest safe route between two places on a date",
)
def route(request: HttpRequest, query: Query[RouteQuery]) -> RouteOut:
    """The shortest way on segments that are not blocked (barricade, checkpoint, flooded, blocked)
    and not inside the control areas of the actors in ``avoid``; when there is none, ``found`` is
    false and ``reasons`` lists what closes every way out of the start. With ``violence_days``,
    each event (and each death) within 1 km of a road in that window makes the road
    ``violence_weight`` lengths longer for the search, so the route bends around recent
    violence when a detour is short enough; ``exposure`` lists what remains on the way."""
    viewer = caller_viewer(request)
    try:
        start, end = roads.endpoint(query.start), roads.endpoint(query.end)
        actors = [name.strip() for name in query.avoid.split(",") if name.strip()]
        result = roads.route(
            viewer,
            start,
            end,
            query.date or timezone.now().date(),
            actors,
            violence_days=query.violence_days,
            violence_weight=query.violence_weight,
        )
    except (roads.UnknownPlace, OffNetwork) as error:
        raise HttpError(422, str(error)) from None
    if isinstance(result, NoRoute):
        return RouteOut(
            found=False,
            start=start.label,
            end=end.label,
            length_km=None,
            segments=[],
            geometry=None,
            avoided=[],
            reasons=_avoided(result.reasons),
        )
    lines = [list(segment.line.coords) for segment in result.segments]
    return RouteOut(
        found=True,
        start=start.label,
        end=end.label,
        length_km=round(result.length_km, 2),
        segments=[segment.name for segment in result.segments],
        geometry=dict(mapping(MultiLineString(lines))),
        avoided=_avoided(result.avoided),
        reasons=[],
        exposure=[
            DangerOut(segment_id=d.segment_id, segment=d.segment_name, events=d.events, fatalities=d.fatalities)
            for d in result.exposure
        ],
    )


# A clock a few minutes fast on a phone is not a report from the future.
CLOCK_SKEW = dt.timedelta(minutes=5)


class StatusIn(Schema):
    status: RoadStatusKind
    observed_at: dt.datetime | None = Field(
        default=None, description="when the state was seen; default now; a time without an offset is UTC"
    )
    hours: int = Field(
        default=roads.DEFAULT_STATUS_HOURS,
        ge=1,
        le=24 * 365,
        description=f"hours until the status lapses to unknown; default {roads.DEFAULT_STATUS_HOURS}",
    )
    sources: str = Field(
        default="", max_length=5000, pattern=NO_NUL, description="`;`-separated citations: URLs (with a note) or text"
    )
    note: str = Field(default="", max_length=5000, pattern=NO_NUL)
    sensitivity: str = Field(default="P2", max_length=20, description="P0 to P4, at most your own clearance")


class StatusOut(Schema):
    id: int
    segment_id: int
    segment: str
    status: str
    observed_at: dt.datetime
    expires_at: dt.datetime
    note: str
    sources: list[str]
    sensitivity: str

    @staticmethod
    def resolve_segment(entry: RoadStatus) -> str:
        return entry.segment.name

    @staticmethod
    def resolve_sources(entry: RoadStatus) -> list[str]:
        return [source.reference for source in entry.sources.all()]

    @staticmethod
    def resolve_sensitivity(entry: RoadStatus) -> str:
        return Sensitivity(entry.sensitivity).code


def _invalid(field: str, reason: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["body", "body", field], "msg": reason}])


def _label(text: str, viewer: Viewer) -> Sensitivity:
    try:
        label = Sensitivity.parse(text)
    except ValueError as error:
        raise _invalid("sensitivity", str(error)) from None
    clearance = viewer.clearance
    assert clearance is not None, "only an editor registers a status"
    if label > clearance:
        raise _invalid("sensitivity", f"{label.code} is above your clearance ({clearance.code}): you could not read it")
    return label


def _observed(moment: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if moment is None:
        return now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    if moment > now + CLOCK_SKEW:
        raise _invalid("observed_at", f"{moment.isoformat()} is in the future")
    return moment


@router.post(
    "/roads/{segment_id}/status",
    url_name="geo-road-status",
    operation_id="geo_road_status",
    response={201: StatusOut},
    summary="Register a road segment's status",
)
def road_status(request: HttpRequest, segment_id: int, body: StatusIn) -> Status[RoadStatus]:
    """Record what was seen on a segment: open, blocked, barricade, illegal checkpoint, flooded or
    unknown, from `observed_at` until it lapses `hours` later (then the segment reads as unknown
    again). The latest status in force wins, in `GET /api/geo/roads` and for routes. A label
    above your own clearance is a 422 on `sensitivity`. Analysts, monitors and administrators
    only; 404 for an unknown segment."""
    viewer = require_editor(
        request, RecordType.ROAD_STATUS, "only analysts, monitors and administrators register road statuses"
    )
    segment = RoadSegment.objects.filter(pk=segment_id).first()
    if segment is None:
        raise HttpError(404, "Not Found")
    observed, label = _observed(body.observed_at), _label(body.sensitivity, viewer)
    with transaction.atomic():  # the status and its audit entry, or neither
        entry = roads.register_status(
            segment,
            body.status,
            observed,
            hours=body.hours,
            note=body.note.strip(),
            sources=body.sources,
            sensitivity=label,
            owner=viewer.organisation,
        )
        detail = {"operation": "register", "segment": segment.pk, "status": body.status}
        record(request, Action.CHANGE, entry._meta.label_lower, [entry.pk], label, detail=detail)
    return Status(201, entry)
