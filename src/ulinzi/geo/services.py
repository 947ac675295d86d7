"""Geography queries for the map, the API and the importers that place points."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, QuerySet

from shapely.geometry import shape

from ulinzi.geo.geocoding import Entry, Gazetteer, Result
from ulinzi.geo.lookup import AdminIndex, Unit, h3_cells
from ulinzi.geo.models import AdminArea, Place, PlaceKind, PlaceName


def area_levels() -> list[int]:
    return list(AdminArea.objects.order_by("level").values_list("level", flat=True).distinct())


def areas_at(level: int) -> QuerySet[AdminArea]:
    """The areas of one level with what a map needs; the full geometry stays in the database."""
    return AdminArea.objects.filter(level=level).only(
        "pcode", "level", "parent_pcode", "name_fr", "name_en", "name_ht", "display_geometry", "area_km2"
    )


_index_lock = threading.Lock()
_index_cache: dict[tuple[int, int | None], AdminIndex] = {}


def admin_index() -> AdminIndex:
    """The lookup index of every loaded area, rebuilt only after boundaries change."""
    state = AdminArea.objects.aggregate(count=Count("pk"), batch=Max("batch_id"))
    key = (int(state["count"]), state["batch"])
    with _index_lock:
        if key not in _index_cache:
            units = [
                Unit(pcode, level, parent, shape(json.loads(geometry)))
                for pcode, level, parent, geometry in AdminArea.objects.values_list(
                    "pcode", "level", "parent_pcode", "geometry"
                )
            ]
            _index_cache.clear()
            _index_cache[key] = AdminIndex(units)
        return _index_cache[key]


@dataclass(frozen=True)
class Located:
    areas: tuple[AdminArea, ...]  # deepest level first
    h3_cell: int


def locate(lon: float, lat: float) -> Located:
    """The areas that hold a point, at every level, and its H3 cell."""
    lons, lats = np.array([lon]), np.array([lat])
    codes = admin_index().assign(lons, lats).at(0)
    found = {area.pcode: area for area in AdminArea.objects.filter(pcode__in=codes.values())}
    areas = tuple(found[codes[level]] for level in sorted(codes, reverse=True) if codes[level] in found)
    return Located(areas=areas, h3_cell=h3_cells(lons, lats)[0])


_gazetteer_lock = threading.Lock()
_gazetteer_cache: dict[tuple[int, int | None], Gazetteer] = {}


def gazetteer() -> Gazetteer:
    """Every place name ready for geocoding, rebuilt only after places change."""
    state = PlaceName.objects.aggregate(count=Count("pk"), last=Max("pk"))
    key = (int(state["count"]), state["last"])
    with _gazetteer_lock:
        if key not in _gazetteer_cache:
            entries = [
                Entry(
                    place_id=name.place_id,
                    name=name.name,
                    language=name.language,
                    place_name=name.place.name,
                    kind=name.place.kind,
                    admin_chain=tuple(code for code in name.place.admin_chain.split(",") if code),
                    lon=name.place.lon,
                    lat=name.place.lat,
                    precision=name.place.precision,
                )
                for name in PlaceName.objects.select_related("place")
            ]
            _gazetteer_cache.clear()
            _gazetteer_cache[key] = Gazetteer(entries)
        return _gazetteer_cache[key]


def geocode(query: str, within: str | None = None, limit: int = 10) -> Result:
    return gazetteer().geocode(query, within=within, limit=limit)


def area_point(pcode: str) -> tuple[float, float] | None:
    """A point for an area known only by its P-code, as ``(lat, lon)``: the gazetteer's point for
    it when one is loaded, else the middle of its bounding box; None for an unknown P-code."""
    place = Place.objects.filter(kind=PlaceKind.ADMIN, pcode=pcode).values_list("lat", "lon").first()
    if place is not None:
        return place
    box = AdminArea.objects.filter(pcode=pcode).values_list("min_lat", "max_lat", "min_lon", "max_lon").first()
    if box is None:
        return None
    return (box[0] + box[1]) / 2, (box[2] + box[3]) / 2
