"""``/api/geo/``: administrative areas for maps."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

import shapely
from shapely.geometry import mapping, shape

from ulinzi.api.auth import caller_viewer
from ulinzi.geo import services
from ulinzi.geo.geometry import DISPLAY_TOLERANCE_DEGREES
from ulinzi.geo.models import AdminArea

router = Router(tags=["geo"])


class AreasQuery(Schema):
    level: int = 2
    zoom: int | None = Field(
        default=None, ge=0, le=22, description="map zoom; lower zooms get coarser geometry (default: about 50 m)"
    )


class LevelsOut(Schema):
    levels: list[int]


class AreaProperties(Schema):
    pcode: str
    level: int
    parent_pcode: str
    name: str
    name_fr: str
    name_en: str
    name_ht: str
    area_km2: float


class AreaFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: dict[str, Any] = Field(description="GeoJSON geometry, WGS84, simplified to about 50 m")
    properties: AreaProperties


class AreaCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[AreaFeature]


def _feature(area: AdminArea, tolerance: float = 0.0) -> AreaFeature:
    properties = AreaProperties(
        pcode=area.pcode,
        level=area.level,
        parent_pcode=area.parent_pcode,
        name=area.name,
        name_fr=area.name_fr,
        name_en=area.name_en,
        name_ht=area.name_ht,
        area_km2=round(area.area_km2, 2),
    )
    geometry = json.loads(area.display_geometry)
    if tolerance > DISPLAY_TOLERANCE_DEGREES:
        geometry = dict(mapping(shapely.simplify(shape(geometry), tolerance, preserve_topology=True)))
    return AreaFeature(id=area.pcode, geometry=geometry, properties=properties)


def zoom_tolerance(zoom: int | None) -> float:
    """Half a screen pixel at ``zoom`` in degrees (256-pixel tiles), the detail a map can show."""
    return 0.0 if zoom is None else 360 / (256 * 2**zoom) / 2


@router.get(
    "/areas",
    url_name="geo-areas",
    operation_id="geo_areas",
    response=AreaCollection,
    summary="Administrative areas of one level as GeoJSON",
)
def areas(request: HttpRequest, query: Query[AreasQuery]) -> AreaCollection:
    """A GeoJSON FeatureCollection of the areas at ``level`` (1 department, 2 commune, 3 section),
    simplified to about 50 m for display, or to half a pixel at ``zoom`` when that is coarser,
    with P-codes, names and size in km²."""
    caller_viewer(request)
    if query.level not in range(0, 6):
        raise HttpError(422, "level must be between 0 and 5")
    tolerance = zoom_tolerance(query.zoom)
    return AreaCollection(features=[_feature(area, tolerance) for area in services.areas_at(query.level)])


class LocateQuery(Schema):
    lon: float = Field(ge=-180, le=180, description="longitude, WGS84")
    lat: float = Field(ge=-90, le=90, description="latitude, WGS84")


class LocatedArea(Schema):
    pcode: str
    level: int
    name: str


class LocatedOut(Schema):
    areas: list[LocatedArea]
    h3_cell: str = Field(description="H3 cell at resolution 8, as hexadecimal")


@router.get(
    "/locate",
    url_name="geo-locate",
    operation_id="geo_locate",
    response=LocatedOut,
    summary="Administrative areas and H3 cell of a point",
)
def locate(request: HttpRequest, query: Query[LocateQuery]) -> LocatedOut:
    """Every loaded administrative area that holds the point, deepest level first (empty outside
    them all), and its H3 cell."""
    caller_viewer(request)
    located = services.locate(query.lon, query.lat)
    return LocatedOut(
        areas=[LocatedArea(pcode=a.pcode, level=a.level, name=a.name) for a in located.areas],
        h3_cell=f"{located.h3_cell:x}",
    )


class GeocodeQuery(Schema):
    q: str = Field(min_length=1, max_length=200, description="a place name, or ACLED's 'Area - Place'")
    within: str | None = Field(default=None, max_length=20, description="only places inside this P-code")
    limit: int = Field(default=10, ge=1, le=50)


class CandidateOut(Schema):
    place: str
    kind: str
    matched_name: str
    language: str
    match: str = Field(description="exact, compact, folded or fuzzy")
    score: float
    admin_chain: list[str] = Field(description="P-codes holding the place, deepest first")
    lon: float
    lat: float
    precision: int = Field(description="1 the point is the place, 2 near it, 3 the centre of an area")


class GeocodeOut(Schema):
    query: str
    ambiguous: bool = Field(description="the best two places score within 0.05 of each other")
    candidates: list[CandidateOut]


@router.get(
    "/geocode",
    url_name="geo-geocode",
    operation_id="geo_geocode",
    response=GeocodeOut,
    summary="Ranked candidates for a place name",
)
def geocode(request: HttpRequest, query: Query[GeocodeQuery]) -> GeocodeOut:
    """Every plausible place for a name in French, English or Haitian Creole, best first, with
    the name that matched and how; ``ambiguous`` is true when two places are nearly tied."""
    caller_viewer(request)
    result = services.geocode(query.q, within=query.within, limit=query.limit)
    return GeocodeOut(
        query=result.query,
        ambiguous=result.ambiguous,
        candidates=[
            CandidateOut(
                place=c.entry.place_name,
                kind=c.entry.kind,
                matched_name=c.matched_name,
                language=c.entry.language,
                match=c.match,
                score=c.score,
                admin_chain=list(c.entry.admin_chain),
                lon=c.entry.lon,
                lat=c.entry.lat,
                precision=c.entry.precision,
            )
            for c in result.candidates
        ],
    )


@router.get(
    "/levels",
    url_name="geo-levels",
    operation_id="geo_levels",
    response=LevelsOut,
    summary="Administrative levels that have areas loaded",
)
def levels(request: HttpRequest) -> LevelsOut:
    """The levels for which boundaries are loaded, so a client knows what it can draw."""
    caller_viewer(request)
    return LevelsOut(levels=services.area_levels())
