"""Read control-area GeoJSON features into typed claims, without touching the database.

Each feature is a polygon (or has no geometry and lists the ``pcodes`` of loaded admin units or
the ``h3_cells`` it covers) with properties ``actor`` and ``valid_from`` (required) and
``actor_kind``, ``valid_to``, ``confidence``, ``sources`` (``;``-separated), ``description``,
``sensitivity`` and ``illustrative`` (optional).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from h3.api import basic_str as h3
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.geometry import CleanArea, GeometryError, read_area, read_features
from ulinzi.importing.citations import Citation, parse_citations
from ulinzi.importing.errors import FieldError, RowError

ACTOR_KINDS = ("gang", "coalition", "state_force", "mission", "self_defence", "civilians", "other")
CONFIDENCES = ("high", "medium", "low")
# Every property the parser reads. Files may carry others (ignored); the API refuses them, since
# there an unknown name is a typo that would silently drop a value.
PROPERTIES = (
    "actor",
    "actor_kind",
    "valid_from",
    "valid_to",
    "confidence",
    "sources",
    "description",
    "sensitivity",
    "illustrative",
    "evidence",
    "pcodes",
    "h3_cells",
)


@dataclass(frozen=True)
class ControlFeature:
    feature: int
    actor: str
    actor_kind: str
    area: CleanArea
    valid_from: date
    valid_to: date | None
    confidence: str
    citations: tuple[Citation, ...]
    description: str
    sensitivity: Sensitivity
    illustrative: bool
    evidence: tuple[str, ...] = ()  # natural keys of events, e.g. "acled:HTI1234"

    @property
    def key(self) -> str:
        """The actor, the start and the polygon identify a claim; its end date may come later."""
        basis = f"{self.actor.casefold()}|{self.valid_from.isoformat()}|{self.area.geojson}"
        return hashlib.sha256(basis.encode()).hexdigest()


# Looks up a loaded administrative area's geometry by P-code (None when it is not loaded).
AreaLookup = Callable[[str], BaseGeometry | None]


def load_control(
    path: Path, default_sensitivity: Sensitivity, area_geometry: AreaLookup
) -> tuple[list[ControlFeature], list[RowError]]:
    features, errors = [], []
    for number, raw in enumerate(read_features(path), start=1):
        try:
            features.append(parse_feature(number, raw, default_sensitivity, area_geometry))
        except (FieldError, GeometryError) as error:
            errors.append(RowError(path.name, number, error.field, error.reason))
    return features, errors


def parse_feature(number: int, raw: Any, default_sensitivity: Sensitivity, area_geometry: AreaLookup) -> ControlFeature:
    """One feature of a file, or one drawn on the map: both pass the same checks (FieldError or
    GeometryError naming the property at fault)."""
    properties = raw.get("properties") if isinstance(raw, dict) else None
    if not isinstance(properties, dict):
        raise FieldError("properties", "feature has no properties object")
    actor = _text(properties, "actor", 200)
    if not actor:
        raise FieldError("actor", "the controlling actor is required")
    valid_from = _date(properties, "valid_from", required=True)
    valid_to = _date(properties, "valid_to", required=False)
    if valid_from is None:
        raise FieldError("valid_from", "required (YYYY-MM-DD)")
    if valid_to is not None and valid_to < valid_from:
        raise FieldError("valid_to", f"{valid_to} is before valid_from {valid_from}")
    return ControlFeature(
        feature=number,
        actor=actor,
        actor_kind=_choice(properties, "actor_kind", ACTOR_KINDS, "gang"),
        area=_area(raw.get("geometry"), properties, area_geometry),
        valid_from=valid_from,
        valid_to=valid_to,
        confidence=_choice(properties, "confidence", CONFIDENCES, "medium"),
        citations=tuple(parse_citations(_text(properties, "sources", 5000))),
        description=_text(properties, "description", 5000),
        sensitivity=_sensitivity(properties, default_sensitivity),
        illustrative=properties.get("illustrative") is True,
        evidence=tuple(
            dict.fromkeys(key.strip() for key in _text(properties, "evidence", 5000).split(";") if key.strip())
        ),
    )


def _area(geometry: Any, properties: dict[str, Any], area_geometry: AreaLookup) -> CleanArea:
    """The polygon as drawn, or built from admin units (``pcodes``) or H3 cells (``h3_cells``)."""
    if geometry is not None:
        return read_area(geometry)
    pcodes, cells = properties.get("pcodes"), properties.get("h3_cells")
    if pcodes:
        return read_area(mapping(shapely.union_all(_units(pcodes, area_geometry))))
    if cells:
        return read_area(mapping(shapely.union_all(_cells(cells))))
    raise GeometryError("geometry", "no geometry, and no pcodes or h3_cells to build one from")


def _units(pcodes: Any, area_geometry: AreaLookup) -> list[BaseGeometry]:
    # Length and NUL checked before any look-up: PostgreSQL refuses a NUL in a query parameter.
    if (
        not isinstance(pcodes, list)
        or len(pcodes) > 1000
        or not all(isinstance(code, str) and len(code) <= 20 and "\x00" not in code for code in pcodes)
    ):
        raise FieldError("pcodes", "must be a list of at most 1,000 P-codes")
    shapes: list[BaseGeometry] = []
    for code in pcodes:
        found = area_geometry(code)
        if found is None:
            raise FieldError("pcodes", f"{code!r} is not a loaded area")
        shapes.append(found)
    return shapes


def _cells(cells: Any) -> list[BaseGeometry]:
    if not isinstance(cells, list) or not all(isinstance(cell, str) for cell in cells) or len(cells) > 100_000:
        raise FieldError("h3_cells", "must be a list of at most 100,000 H3 cells (hexadecimal)")
    shapes: list[BaseGeometry] = []
    for cell in cells:
        if not h3.is_valid_cell(cell):
            raise FieldError("h3_cells", f"{cell!r} is not an H3 cell")
        shapes.append(shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(cell)]))
    return shapes


def _text(properties: dict[str, Any], name: str, limit: int) -> str:
    value = properties.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(name, "must be text")
    if len(value) > limit or "\x00" in value:
        raise FieldError(name, f"longer than {limit} characters or holds a NUL")
    return value.strip()


def _date(properties: dict[str, Any], name: str, *, required: bool) -> date | None:
    text = _text(properties, name, 10)
    if not text:
        if required:
            raise FieldError(name, "required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(name, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _choice(properties: dict[str, Any], name: str, options: tuple[str, ...], default: str) -> str:
    value = _text(properties, name, 20).lower() or default
    if value not in options:
        raise FieldError(name, f"{value!r} is not one of: {', '.join(options)}")
    return value


def _sensitivity(properties: dict[str, Any], default: Sensitivity) -> Sensitivity:
    text = _text(properties, "sensitivity", 20)
    if not text:
        return default
    try:
        return Sensitivity.parse(text)
    except ValueError as error:
        raise FieldError("sensitivity", str(error)) from None
