"""Read COD-AB GeoJSON features into typed areas: validity repair, box, equal-area size.

Framework-free; the importer module writes the results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ulinzi.geo.geometry import GeometryError, read_area, read_features
from ulinzi.importing.errors import ImportRejected, RowError

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


@dataclass(frozen=True)
class Schema:
    """Which attributes hold what, with ``{n}`` for the level and ``{p}`` for the parent's level."""

    pcode: str
    parent: str
    country: str
    name_fr: str = ""
    name_en: str = ""
    name_ht: str = ""
    valid_on: str = ""

    def field(self, template: str, level: int) -> str:
        return template.format(n=level, p=level - 1) if template else ""


SCHEMAS = {
    "cod-ab": Schema("ADM{n}_PCODE", "ADM{p}_PCODE", "ADM0_PCODE", "ADM{n}_FR", "ADM{n}_EN", "ADM{n}_HT", "valid_on"),
    # geoBoundaries: one file per level, no parent codes (parents come from a spatial lookup later).
    "geoboundaries": Schema("shapeID", "", "shapeGroup", name_en="shapeName"),
    "gadm": Schema("GID_{n}", "GID_{p}", "GID_0", name_en="NAME_{n}"),
}


def load_features(
    path: Path,
    level: int | None = None,
    on_feature: FeatureProgress | None = None,
    schema: Schema = SCHEMAS["cod-ab"],
) -> tuple[list[AreaFeature], list[RowError]]:
    """Parse every feature; a problem is reported as ``file:N: field: reason`` for feature N.

    The level is the file's, read once from the first feature's attribute names, so a feature
    whose P-code is empty is an error rather than silently an area of its parent's level.
    """
    name = path.name
    raw_features = read_features(path)
    areas, errors = [], []
    if level is None and raw_features:
        try:
            level = file_level(raw_features[0], schema)
        except GeometryError as error:
            raise ImportRejected([RowError(name, 1, error.field, error.reason)]) from None
    first_feature_of: dict[str, int] = {}
    for number, raw in enumerate(raw_features, start=1):
        if on_feature is not None:
            on_feature(number, len(raw_features))
        try:
            area = _area(number, raw, level, schema)
        except GeometryError as error:
            errors.append(RowError(name, number, error.field, error.reason))
            continue
        if area.pcode in first_feature_of:
            reason = f"P-code {area.pcode!r} repeats feature {first_feature_of[area.pcode]}"
            errors.append(RowError(name, number, schema.field(schema.pcode, area.level), reason))
            continue
        first_feature_of[area.pcode] = number
        areas.append(area)
    return areas, errors


def file_level(first_feature: Any, schema: Schema = SCHEMAS["cod-ab"]) -> int:
    """The deepest level whose P-code attribute the first feature has, or geoBoundaries' shapeType."""
    properties = first_feature.get("properties") if isinstance(first_feature, dict) else None
    if isinstance(properties, dict):
        shape_type = str(properties.get("shapeType") or "")
        if schema == SCHEMAS["geoboundaries"] and shape_type[:3] == "ADM" and shape_type[3:].isdigit():
            return int(shape_type[3:])
        for level in (5, 4, 3, 2, 1, 0):
            if "{n}" in schema.pcode and schema.field(schema.pcode, level) in properties:
                return level
    attribute = schema.pcode.replace("{n}", "n")
    raise GeometryError("properties", f"no {attribute} attribute to tell the level from; use --level or --schema")


def _area(number: int, raw: Any, level: int | None, schema: Schema) -> AreaFeature:
    if not isinstance(raw, dict) or not isinstance(raw.get("properties"), dict):
        raise GeometryError("properties", "feature has no properties object")
    properties: dict[str, Any] = raw["properties"]
    if level is None:
        raise GeometryError("properties", "no level: the file has no features to read it from")
    pcode_field = schema.field(schema.pcode, level)
    pcode = _code(properties, pcode_field)
    if not pcode:
        raise GeometryError(pcode_field, "empty P-code")
    area = read_area(raw.get("geometry"))
    return AreaFeature(
        feature=number,
        pcode=pcode,
        level=level,
        parent_pcode=_code(properties, schema.field(schema.parent, level)) if level > 1 and schema.parent else "",
        country_code=_code(properties, schema.country, max_length=3) if schema.country else "",
        name_fr=_text(properties.get(schema.field(schema.name_fr, level))),
        name_en=_text(properties.get(schema.field(schema.name_en, level))),
        name_ht=_text(properties.get(schema.field(schema.name_ht, level))),
        geometry=area.geojson,
        display_geometry=area.display_geojson,
        bounds=area.bounds,
        area_km2=area.area_km2,
        valid_on=_date(properties.get(schema.valid_on)) if schema.valid_on else None,
        repaired=area.repaired,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).replace("\x00", "").strip()[:200]


MAX_PCODE = 20


def _code(properties: dict[str, Any], name: str, max_length: int = MAX_PCODE) -> str:
    code = str(properties.get(name) or "").strip()
    if len(code) > max_length or "\x00" in code:
        raise GeometryError(name, f"not a P-code (at most {max_length} characters, no NUL)")
    return code


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
