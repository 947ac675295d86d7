"""Read COD-AB GeoJSON features into typed areas: validity repair, box, equal-area size.

Framework-free; the importer module writes the results.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ulinzi.importing.errors import ImportRejected, RowError

MAX_FILE_BYTES = 500 * 1024 * 1024
DISPLAY_TOLERANCE_DEGREES = 0.0005  # about 50 m: invisible at city zoom, a fifth of the payload
GEOD = Geod(ellps="WGS84")

# Called with (features done, features in the file) so a command can show progress.
FeatureProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class AreaFeature:
    feature: int
    pcode: str
    level: int
    parent_pcode: str
    country_code: str
    name_fr: str
    name_en: str
    name_ht: str
    geometry: str
    display_geometry: str
    bounds: tuple[float, float, float, float]
    area_km2: float
    valid_on: date | None
    repaired: bool


def load_features(
    path: Path, level: int | None = None, on_feature: FeatureProgress | None = None
) -> tuple[list[AreaFeature], list[RowError]]:
    """Parse every feature; a problem is reported as ``file:N: field: reason`` for feature N.

    The level is the file's, read once from the first feature's attribute names, so a feature
    whose P-code is empty is an error rather than silently an area of its parent's level.
    """
    name = path.name
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportRejected([RowError(name, 0, "file", f"larger than {MAX_FILE_BYTES // 2**20} MB")])
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as error:
        raise ImportRejected([RowError(name, 0, "file", f"not valid JSON ({error})")]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportRejected([RowError(name, 0, "type", "expected a GeoJSON FeatureCollection")])
    raw_features = document.get("features")
    if not isinstance(raw_features, list):
        raise ImportRejected([RowError(name, 0, "features", "missing or not a list")])
    areas, errors = [], []
    if level is None and raw_features:
        try:
            level = file_level(raw_features[0])
        except _FeatureError as error:
            raise ImportRejected([RowError(name, 1, error.field, error.reason)]) from None
    first_feature_of: dict[str, int] = {}
    for number, raw in enumerate(raw_features, start=1):
        if on_feature is not None:
            on_feature(number, len(raw_features))
        try:
            area = _area(number, raw, level)
        except _FeatureError as error:
            errors.append(RowError(name, number, error.field, error.reason))
            continue
        if area.pcode in first_feature_of:
            reason = f"P-code {area.pcode!r} repeats feature {first_feature_of[area.pcode]}"
            errors.append(RowError(name, number, f"ADM{area.level}_PCODE", reason))
            continue
        first_feature_of[area.pcode] = number
        areas.append(area)
    return areas, errors


class _FeatureError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def file_level(first_feature: Any) -> int:
    """The deepest ``ADMn_PCODE`` attribute name the first feature has (COD-AB schema)."""
    properties = first_feature.get("properties") if isinstance(first_feature, dict) else None
    if isinstance(properties, dict):
        for level in (5, 4, 3, 2, 1, 0):
            if f"ADM{level}_PCODE" in properties:
                return level
    raise _FeatureError("properties", "no ADMn_PCODE attribute (COD-AB schema expected); use --level")


def _area(number: int, raw: Any, level: int | None) -> AreaFeature:
    if not isinstance(raw, dict) or not isinstance(raw.get("properties"), dict):
        raise _FeatureError("properties", "feature has no properties object")
    properties: dict[str, Any] = raw["properties"]
    if level is None:
        raise _FeatureError("properties", "no level: the file has no features to read it from")
    pcode = _code(properties, f"ADM{level}_PCODE")
    if not pcode:
        raise _FeatureError(f"ADM{level}_PCODE", "empty P-code")
    geometry = _geometry(raw.get("geometry"))
    _check_coordinates(geometry)
    try:
        repaired = not geometry.is_valid
        if repaired:
            geometry = shapely.make_valid(geometry)
        if geometry.is_empty or geometry.geom_type not in {"Polygon", "MultiPolygon", "GeometryCollection"}:
            raise _FeatureError("geometry", f"{geometry.geom_type} is not an area")
        display = shapely.simplify(geometry, DISPLAY_TOLERANCE_DEGREES, preserve_topology=True)
        area_m2, _ = GEOD.geometry_area_perimeter(geometry)
    except shapely.errors.GEOSException as error:
        raise _FeatureError("geometry", f"unusable geometry ({error})") from None
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return AreaFeature(
        feature=number,
        pcode=pcode,
        level=level,
        parent_pcode=_code(properties, f"ADM{level - 1}_PCODE") if level > 1 else "",
        country_code=_code(properties, "ADM0_PCODE", max_length=3),
        name_fr=_text(properties.get(f"ADM{level}_FR")),
        name_en=_text(properties.get(f"ADM{level}_EN")),
        name_ht=_text(properties.get(f"ADM{level}_HT")),
        geometry=json.dumps(mapping(geometry)),
        display_geometry=json.dumps(mapping(display)),
        bounds=(min_lon, min_lat, max_lon, max_lat),
        area_km2=abs(area_m2) / 1e6,
        valid_on=_date(properties.get("valid_on")),
        repaired=repaired,
    )


def _geometry(raw: Any) -> BaseGeometry:
    if not isinstance(raw, dict):
        raise _FeatureError("geometry", "missing geometry")
    try:
        with warnings.catch_warnings():
            # NaN coordinates make GEOS warn; _check_coordinates refuses them with a clear reason.
            warnings.simplefilter("ignore", RuntimeWarning)
            return shape(raw)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.GEOSException) as error:
        raise _FeatureError("geometry", f"unreadable geometry ({error})") from None


def _text(value: Any) -> str:
    return "" if value is None else str(value).replace("\x00", "").strip()[:200]


MAX_PCODE = 20


def _code(properties: dict[str, Any], name: str, max_length: int = MAX_PCODE) -> str:
    code = str(properties.get(name) or "").strip()
    if len(code) > max_length or "\x00" in code:
        raise _FeatureError(name, f"not a P-code (at most {max_length} characters, no NUL)")
    return code


def _check_coordinates(geometry: BaseGeometry) -> None:
    """Refuse non-finite or out-of-range coordinates before GEOS sees them (1e308 makes it spin)."""
    coordinates = shapely.get_coordinates(geometry)
    longitudes, latitudes = coordinates[:, 0], coordinates[:, 1]
    # NaN and infinity fail these comparisons too, so they are refused with the rest.
    if not ((abs(longitudes) <= 180).all() and (abs(latitudes) <= 90).all()):
        raise _FeatureError("geometry", "coordinates are not WGS84 longitude/latitude")


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
