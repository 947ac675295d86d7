"""Reading area geometries from GeoJSON safely: size and shape limits, validity repair, sizes.

Framework-free; shared by every importer of polygons (boundaries, control areas).
"""

from __future__ import annotations

import json
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapefile

import shapely
from pyproj import Geod
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ulinzi.importing.errors import ImportRejected, RowError

MAX_FILE_BYTES = 500 * 1024 * 1024
DISPLAY_TOLERANCE_DEGREES = 0.0005  # about 50 m: invisible at city zoom, a fifth of the payload
GEOD = Geod(ellps="WGS84")
AREA_TYPES = frozenset({"Polygon", "MultiPolygon", "GeometryCollection"})


class GeometryError(ValueError):
    """A feature's geometry cannot be used; ``field`` names the GeoJSON member at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class CleanArea:
    geometry: BaseGeometry
    display: BaseGeometry
    bounds: tuple[float, float, float, float]
    area_km2: float
    repaired: bool

    @property
    def geojson(self) -> str:
        return json.dumps(mapping(self.geometry))

    @property
    def display_geojson(self) -> str:
        return json.dumps(mapping(self.display))


def read_features(path: Path) -> list[Any]:
    """The features of a GeoJSON FeatureCollection or an ESRI shapefile, as GeoJSON-like dicts,
    or ImportRejected saying why not."""
    name = path.name
    if path.suffix.lower() == ".shp":
        return _shapefile_features(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportRejected([RowError(name, 0, "file", f"larger than {MAX_FILE_BYTES // 2**20} MB")])
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as error:
        raise ImportRejected([RowError(name, 0, "file", f"not valid JSON ({error})")]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportRejected([RowError(name, 0, "type", "expected a GeoJSON FeatureCollection")])
    features = document.get("features")
    if not isinstance(features, list):
        raise ImportRejected([RowError(name, 0, "features", "missing or not a list")])
    return features


def _shapefile_features(path: Path) -> list[Any]:
    """Read with pyshp (pure Python, no GDAL); the .prj must say WGS84, as COD-AB files do."""
    projection = path.with_suffix(".prj")
    if projection.exists() and "WGS" not in projection.read_text(errors="replace").upper().replace(" ", "_"):
        raise ImportRejected([RowError(path.name, 0, "prj", "coordinates must be WGS84 (EPSG:4326); reproject first")])
    try:
        with warnings.catch_warnings():
            # a header whose declared size is not the file's: the file was cut short or damaged
            warnings.simplefilter("error", shapefile.PossiblyCorruptFileHeader)
            with shapefile.Reader(str(path)) as reader:
                return [
                    {
                        "type": "Feature",
                        "properties": {key: _plain(value) for key, value in item.record.as_dict().items()},
                        "geometry": item.shape.__geo_interface__,
                    }
                    for item in reader.iterShapeRecords()
                ]
    # pyshp reports damaged headers and records with whatever the bytes led to (a corrupt dBASE
    # field type is a KeyError), so the reader's lookup errors count as unreadable too
    except (
        shapefile.ShapefileException,
        shapefile.PossiblyCorruptFileHeader,
        OSError,
        ValueError,
        LookupError,
        struct.error,
    ) as error:
        raise ImportRejected([RowError(path.name, 0, "file", f"not a readable shapefile ({error})")]) from None


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def read_area(raw: Any) -> CleanArea:
    """A WGS84 area from a GeoJSON geometry: coordinates checked, repaired if invalid, measured."""
    geometry = _shape(raw)
    _check_coordinates(geometry)
    try:
        repaired = not geometry.is_valid
        if repaired:
            geometry = shapely.make_valid(geometry)
        if geometry.is_empty or geometry.geom_type not in AREA_TYPES:
            raise GeometryError("geometry", f"{geometry.geom_type} is not an area")
        display = shapely.simplify(geometry, DISPLAY_TOLERANCE_DEGREES, preserve_topology=True)
        size = area_km2(geometry)
    except shapely.errors.GEOSException as error:
        raise GeometryError("geometry", f"unusable geometry ({error})") from None
    west, south, east, north = geometry.bounds
    return CleanArea(geometry, display, (west, south, east, north), size, repaired)


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area on the WGS84 ellipsoid, in km²."""
    area_m2, _ = GEOD.geometry_area_perimeter(geometry)
    return abs(area_m2) / 1e6


def _shape(raw: Any) -> BaseGeometry:
    if not isinstance(raw, dict):
        raise GeometryError("geometry", "missing geometry")
    try:
        with warnings.catch_warnings():
            # NaN coordinates make GEOS warn; _check_coordinates refuses them with a clear reason.
            warnings.simplefilter("ignore", RuntimeWarning)
            return shape(raw)
    # ShapelyError covers GEOS failures and GeometryTypeError ({"type": "Sphere"} is no geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.ShapelyError) as error:
        raise GeometryError("geometry", f"unreadable geometry ({error})") from None


def _check_coordinates(geometry: BaseGeometry) -> None:
    """Refuse non-finite or out-of-range coordinates before GEOS sees them (1e308 makes it spin)."""
    coordinates = shapely.get_coordinates(geometry)
    longitudes, latitudes = coordinates[:, 0], coordinates[:, 1]
    # NaN and infinity fail these comparisons too, so they are refused with the rest.
    if not ((abs(longitudes) <= 180).all() and (abs(latitudes) <= 90).all()):
        raise GeometryError("geometry", "coordinates are not WGS84 longitude/latitude")
