"""Places for the extractor from files, so ``ulinzi extract --boundaries FILE`` needs no database.

Two kinds of file hold Haiti's administrative units and their names: the COD-AB boundaries
(GeoJSON, one file per level, with ``ADM1_PCODE``, ``ADM2_EN`` and the like on each feature) and
the COD-AB admin gazetteer (CSV, every level in one file). Both give every unit's P-code, names
in French, English and Creole, parents and a point. Framework-free.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from ulinzi.intake.extraction.gazetteer import PlaceFact, admin_place

LANGUAGES = ("fr", "en", "ht")
MAX_LEVEL = 5


class PlacesFileError(ValueError):
    """A places file that cannot be read, with the file and what is wrong."""


def places_from_files(paths: Iterable[Path]) -> list[PlaceFact]:
    """Every unit in the files; a unit given by two files (a level's file and the gazetteer) once."""
    found: dict[str, PlaceFact] = {}
    for path in paths:
        reader = _gazetteer_csv if path.suffix.lower() == ".csv" else _boundaries_geojson
        for place in reader(path):
            if place.pcode is not None:
                found.setdefault(place.pcode, place)
    return list(found.values())


def _gazetteer_csv(path: Path) -> list[PlaceFact]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise PlacesFileError(f"{path.name}: cannot be read ({error})") from None
    places = []
    for line, row in enumerate(rows, start=2):
        if not row.get("pcode") or not row.get("level", "").isdigit():
            raise PlacesFileError(f"{path.name}:{line}: pcode and level are required (a COD-AB admin gazetteer)")
        level = int(row["level"])
        names = [row[f"name_{language}"] for language in LANGUAGES if row.get(f"name_{language}")]
        if not names:
            raise PlacesFileError(f"{path.name}:{line}: name_fr: the unit has no name")
        parents = [row.get("adm2_pcode", "") if level >= 3 else "", row.get("adm1_pcode", "") if level >= 2 else ""]
        chain = list(dict.fromkeys(code for code in (row["pcode"], *parents) if code))
        places.append(
            admin_place(row["pcode"], level, names, chain, lat=_float(row, "label_lat"), lon=_float(row, "label_lon"))
        )
    return places


def _float(row: dict[str, str], column: str) -> float | None:
    try:
        return float(row.get(column) or "")
    except ValueError:
        return None


def _boundaries_geojson(path: Path) -> list[PlaceFact]:
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise PlacesFileError(f"{path.name}: not a GeoJSON feature collection ({error})") from None
    places = []
    for number, feature in enumerate(features, start=1):
        properties: dict[str, Any] = feature.get("properties") or {}
        level = max((n for n in range(1, MAX_LEVEL + 1) if properties.get(f"ADM{n}_PCODE")), default=0)
        if level == 0:
            raise PlacesFileError(f"{path.name}: feature {number}: no ADMn_PCODE property (a COD-AB boundaries file)")
        names = [
            str(properties[f"ADM{level}_{language.upper()}"])
            for language in LANGUAGES
            if properties.get(f"ADM{level}_{language.upper()}")
        ]
        if not names:
            raise PlacesFileError(f"{path.name}: feature {number}: ADM{level}_FR: the unit has no name")
        chain = [str(properties[f"ADM{n}_PCODE"]) for n in range(level, 0, -1) if properties.get(f"ADM{n}_PCODE")]
        try:
            point = shape(feature["geometry"]).representative_point()
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise PlacesFileError(f"{path.name}: feature {number}: geometry: {error}") from None
        places.append(admin_place(chain[0], level, names, chain, lat=round(point.y, 5), lon=round(point.x, 5)))
    return places
