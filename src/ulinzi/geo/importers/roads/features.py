"""Read road lines from GeoJSON and split them where they cross, without touching the database.

Routing needs a graph whose edges meet at junctions; exported ways often cross or touch
mid-line, so the lines are noded (split at every intersection) and each piece keeps the name
and road number of the line it came from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, mapping
from shapely.geometry.base import BaseGeometry

from ulinzi.geo.geometry import GeometryError, read_features
from ulinzi.geo.routing import km_between
from ulinzi.importing.errors import RowError

LINE_TYPES = frozenset({"LineString", "MultiLineString"})


@dataclass(frozen=True)
class RoadLine:
    feature: int
    name: str
    ref: str
    line: BaseGeometry


@dataclass(frozen=True)
class RoadPiece:
    name: str
    ref: str
    line: LineString
    length_km: float

    @property
    def key(self) -> str:
        rounded = shapely.set_precision(self.line, 1e-6)
        return hashlib.sha256(f"road|{shapely.to_wkt(rounded)}".encode()).hexdigest()

    @property
    def geojson(self) -> dict[str, Any]:
        return dict(mapping(self.line))


def load_lines(path: Path) -> tuple[list[RoadLine], list[RowError]]:
    lines, errors = [], []
    for number, raw in enumerate(read_features(path), start=1):
        try:
            lines.append(_line(number, raw))
        except GeometryError as error:
            errors.append(RowError(path.name, number, error.field, error.reason))
    return lines, errors


def _line(number: int, raw: Any) -> RoadLine:
    properties = raw.get("properties") if isinstance(raw, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    geometry = raw.get("geometry") if isinstance(raw, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in LINE_TYPES:
        raise GeometryError("geometry", "expected a LineString or MultiLineString")
    try:
        line = shapely.from_geojson(json.dumps(geometry))
    except shapely.errors.GEOSException as error:
        raise GeometryError("geometry", f"unreadable line ({error})") from None
    coordinates = shapely.get_coordinates(line)
    if not len(coordinates) or not ((abs(coordinates[:, 0]) <= 180).all() and (abs(coordinates[:, 1]) <= 90).all()):
        raise GeometryError("geometry", "coordinates are not WGS84 longitude/latitude")
    name = str(properties.get("name") or properties.get("ref") or f"road {number}")[:200]
    return RoadLine(number, name, str(properties.get("ref") or "")[:50], line)


def split_at_junctions(lines: list[RoadLine]) -> list[RoadPiece]:
    """Every piece between junctions, named after the line it lies on."""
    if not lines:
        return []
    noded = shapely.union_all([line.line for line in lines])
    tree = shapely.STRtree([line.line for line in lines])
    pieces = []
    for part in getattr(noded, "geoms", [noded]):
        if part.is_empty or part.length == 0:
            continue
        owner = lines[int(tree.query_nearest(part.interpolate(0.5, normalized=True))[0])]
        pieces.append(RoadPiece(owner.name, owner.ref, part, _length_km(part)))
    return pieces


def _length_km(line: LineString) -> float:
    coordinates = list(line.coords)
    return sum(km_between(a[0], a[1], b[0], b[1]) for a, b in pairwise(coordinates))
