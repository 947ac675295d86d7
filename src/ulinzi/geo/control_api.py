"""``/api/geo/control``: territorial control on a date, who holds a point, and shares of an area;
claims drawn on the map, and their end."""

import datetime as dt
import json
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.api.auth import caller_viewer, require_editor
from ulinzi.audit.models import Action
from ulinzi.audit.services import record, record_list_read, record_read
from ulinzi.geo import territory
from ulinzi.geo.control import ActorShare, Share
from ulinzi.geo.geometry import GeometryError
from ulinzi.geo.importers.control.features import PROPERTIES
from ulinzi.geo.importers.control.importer import ClaimExists, import_drawn
from ulinzi.geo.models import ControlArea
from ulinzi.importing.errors import FieldError
from ulinzi.incidents.api import EventBrief
from ulinzi.incidents.models import Event

router = Router(tags=["geo"])


class OnDate(Schema):
    date: dt.date | None = Field(default=None, description="default: today (UTC)")


class AreaShareQuery(OnDate):
    area: str = Field(max_length=1100, description="one P-code, or several separated by commas (a city)")


class SeriesQuery(Schema):
    area: str = Field(max_length=1100, description="one P-code, or several separated by commas")
    since: dt.date
    until: dt.date | None = Field(default=None, description="default: today (UTC)")


class PointOnDate(OnDate):
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)


class ControlProperties(Schema):
    actor: str
    actor_kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    confidence: str
    illustrative: bool = Field(description="made up for demonstration, not an assessment")
    area_km2: float
    sensitivity: str
    sources: list[str]
    evidence: list[int] = Field(description="ids of the events (that you may read) documenting the claim")


class ControlFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any]
    properties: ControlProperties


class ControlCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    date: dt.date
    features: list[ControlFeature]


class ActorShareOut(Schema):
    actor: str
    area_km2: float
    area_share: float
    population: float | None
    population_share: float | None


class ShareOut(Schema):
    date: dt.date
    area_km2: float
    population: int | None
    actors: list[ActorShareOut]
    any_actor: ActorShareOut = Field(description="the union of every actor's control")
    contested_km2: float = Field(description="area claimed by two actors or more")


def _feature(area: ControlArea) -> ControlFeature:
    return ControlFeature(
        id=area.pk,
        geometry=json.loads(area.display_geometry),
        properties=ControlProperties(
            actor=area.actor.name,
            actor_kind=area.actor.kind,
            valid_from=area.valid_from,
            valid_to=area.valid_to,
            confidence=area.confidence,
            illustrative=area.illustrative,
            area_km2=round(area.area_km2, 3),
            sensitivity=f"P{area.sensitivity}",
            sources=[source.reference for source in area.sources.all()],
            evidence=[event.pk for event in area.evidence.all()],
        ),
    )


def _actor(share: ActorShare) -> ActorShareOut:
    return ActorShareOut(**vars(share))


def _share(share: Share) -> ShareOut:
    return ShareOut(
        date=share.on,
        area_km2=share.area_km2,
        population=share.population,
        actors=[_actor(actor) for actor in share.actors],
        any_actor=_actor(share.any_actor),
        contested_km2=share.contested_km2,
    )


def _pcodes(text: str) -> list[str]:
    try:
        return territory.parse_pcodes(text)
    except territory.BadAreaList as error:
        raise HttpError(422, str(error)) from None


def _today() -> dt.date:
    return timezone.now().date()


@router.get(
    "/control",
    url_name="geo-control",
    operation_id="geo_control",
    response=ControlCollection,
    summary="Territorial control in force on a date, as GeoJSON",
)
def control(request: HttpRequest, query: Query[OnDate]) -> ControlCollection:
    """Every control area in force on ``date`` that your role may read, with its actor, validity,
    confidence and sources; overlapping claims are all returned."""
    day = query.date or _today()
    areas = list(territory.in_force(caller_viewer(request), day))
    record_list_read(request, areas, request.path)
    return ControlCollection(date=day, features=[_feature(area) for area in areas])


@router.get(
    "/control/share",
    url_name="geo-control-share",
    operation_id="geo_control_share",
    response=ShareOut,
    summary="Share of an area and its population under each actor's control",
)
def control_share(request: HttpRequest, query: Query[AreaShareQuery]) -> ShareOut:
    """For the area (or the union of several P-codes, e.g. a metropolitan area) on ``date``: its
    size and population, and for each actor and for all together the km², the share of the area,
    the people and their share (population spread over each unit by area), plus the contested km²."""
    try:
        return _share(territory.share(caller_viewer(request), _pcodes(query.area), query.date or _today()))
    except territory.UnknownArea as error:
        raise HttpError(422, str(error)) from None


@router.get(
    "/control/series",
    url_name="geo-control-series",
    operation_id="geo_control_series",
    response=list[ShareOut],
    summary="The share under control over time",
)
def control_series(request: HttpRequest, query: Query[SeriesQuery]) -> list[ShareOut]:
    """The share on ``since`` and on every later date up to ``until`` when a control area starts
    or stops being in force."""
    until = query.until or _today()
    if until < query.since or (until - query.since).days > 366 * 30:
        raise HttpError(422, "until must be on or after since, and at most 30 years later")
    try:
        shares = territory.share_series(caller_viewer(request), _pcodes(query.area), query.since, until)
    except territory.UnknownArea as error:
        raise HttpError(422, str(error)) from None
    return [_share(share) for share in shares]


@router.get(
    "/control/at",
    url_name="geo-control-at",
    operation_id="geo_control_at",
    response=list[ControlFeature],
    summary="Who controls a point on a date",
)
def control_at(request: HttpRequest, query: Query[PointOnDate]) -> list[ControlFeature]:
    """The control areas in force on ``date`` that hold the point: none, one, or several when
    claims overlap."""
    day = query.date or _today()
    return [_feature(area) for area in territory.holders(caller_viewer(request), query.lon, query.lat, day)]


class EvidenceOut(Schema):
    linked: list[EventBrief] = Field(description="events recorded as evidence of this claim")
    candidates: list[EventBrief] = Field(
        description="change-of-control events inside the polygon within 30 days of the claim's start or end, "
        "not linked yet: for an analyst to judge"
    )


@router.get(
    "/control/{area_id}/evidence",
    url_name="geo-control-evidence",
    operation_id="geo_control_evidence",
    response=EvidenceOut,
    summary="The events behind a control claim, and candidates",
)
def control_evidence(request: HttpRequest, area_id: int) -> dict[str, list[Event]]:
    """The events linked to a control area as evidence, and change-of-control events (ACLED's
    "Non-state actor overtakes territory", "Government regains territory", ...) inside it near its
    start or end that may be; only what your role may read. 404 alike for a missing or hidden area."""
    viewer = caller_viewer(request)
    area = territory.visible(viewer).filter(pk=area_id).first()
    if area is None:
        raise HttpError(404, "Not Found")
    record_read(request, area._meta.label_lower, area.pk, area.sensitivity)
    linked, candidates = list(territory.evidence(viewer, area)), territory.evidence_candidates(viewer, area)
    record_list_read(request, [*linked, *candidates], request.path)
    return {"linked": linked, "candidates": candidates}


class DrawnFeature(Schema):
    type: Literal["Feature"]
    geometry: dict[str, Any] | None = Field(
        description="a GeoJSON Polygon or MultiPolygon in WGS84; null to build it from `pcodes` or `h3_cells`"
    )
    properties: dict[str, Any] = Field(
        description="those of `ulinzi import control` (docs/importing.md) and no others: " + ", ".join(PROPERTIES)
    )


class ClaimEnd(Schema):
    valid_to: dt.date | None = Field(description="the last day the claim holds; null reopens it")


DRAWN = {"operation": "draw"}


def _editor(request: HttpRequest) -> Viewer:
    return require_editor(
        request, RecordType.CONTROL_AREA, "only analysts, monitors and administrators draw or end control areas"
    )


def _invalid(field: str, reason: str) -> ValidationError:
    """The shape of Ninja's own 422, so a client reads every refusal of the body the same way."""
    where = [field] if field in ("type", "geometry", "properties") else ["properties", field]
    return ValidationError([{"type": "value_error", "loc": ["body", "feature", *where], "msg": reason}])


@router.post(
    "/control",
    url_name="geo-control-draw",
    operation_id="geo_control_draw",
    response={201: ControlFeature},
    summary="Store a control area drawn on the map",
)
def control_draw(request: HttpRequest, feature: DrawnFeature) -> Status[ControlFeature]:
    """One GeoJSON feature, checked exactly as `ulinzi import control` checks a file's, then
    stored with a batch of kind "drawn" that records who drew it; the answer is the claim as
    `GET /api/geo/control` returns it. A label above your own clearance is a 422 on `sensitivity`
    (you could not read what you stored), evidence must be events you may read, and a claim with
    the same actor, start and polygon as a stored one is a 409. Analysts, monitors and
    administrators only."""
    viewer = _editor(request)
    user = request.user if isinstance(request.user, User) else None
    try:
        with transaction.atomic():  # the claim and its audit entry, or neither
            area = import_drawn(feature.model_dump(), by=user, viewer=viewer)
            record(request, Action.CHANGE, area._meta.label_lower, [area.pk], area.sensitivity, detail=DRAWN)
    except (FieldError, GeometryError) as error:
        raise _invalid(error.field, error.reason) from None
    except ClaimExists as error:
        raise HttpError(409, str(error)) from None
    return Status(201, _feature(territory.visible(viewer).get(pk=area.pk)))


@router.patch(
    "/control/{area_id}",
    url_name="geo-control-end",
    operation_id="geo_control_end",
    response=ControlFeature,
    summary="End a control claim, or reopen it",
)
def control_end(request: HttpRequest, area_id: int, body: ClaimEnd) -> ControlFeature:
    """Set the last day a claim holds (`valid_to`), or null to reopen it; its actor, start and
    polygon never change (draw a new claim for that). 404 alike for a missing or hidden claim.
    Analysts, monitors and administrators only."""
    viewer = _editor(request)
    area = territory.visible(viewer).filter(pk=area_id).first()
    if area is None:
        raise HttpError(404, "Not Found")
    if body.valid_to is not None and body.valid_to < area.valid_from:
        reason = f"{body.valid_to} is before valid_from {area.valid_from}"
        raise ValidationError([{"type": "value_error", "loc": ["body", "body", "valid_to"], "msg": reason}])
    area.valid_to = body.valid_to
    with transaction.atomic():
        area.save(update_fields=["valid_to"])
        ended = {"operation": "end", "valid_to": area.valid_to.isoformat() if area.valid_to else None}
        record(request, Action.CHANGE, area._meta.label_lower, [area.pk], area.sensitivity, detail=ended)
    return _feature(area)
