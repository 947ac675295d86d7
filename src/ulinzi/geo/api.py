"""``/api/geo/``: administrative areas for maps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ulinzi.api.auth import caller_clearance
from ulinzi.geo import services

router = Router(tags=["geo"])


class AreasQuery(Schema):
    level: int = 2


class LevelsOut(Schema):
    levels: list[int]


@router.get(
    "/areas",
    url_name="geo-areas",
    operation_id="geo_areas",
    response=dict[str, Any],
    summary="Administrative areas of one level as GeoJSON",
)
def areas(request: HttpRequest, query: Query[AreasQuery]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the areas at ``level`` (1 department, 2 commune, 3 section),
    simplified to about 50 m for display, with P-codes, names and equal-area size in km²."""
    caller_clearance(request)
    if query.level not in range(0, 6):
        raise HttpError(422, "level must be between 0 and 5")
    return services.feature_collection(query.level)


@router.get(
    "/levels",
    url_name="geo-levels",
    operation_id="geo_levels",
    response=LevelsOut,
    summary="Administrative levels that have areas loaded",
)
def levels(request: HttpRequest) -> LevelsOut:
    """The levels for which boundaries are loaded, so a client knows what it can draw."""
    caller_clearance(request)
    return LevelsOut(levels=services.area_levels())
