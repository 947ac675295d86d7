"""Valid files the fuzzers damage: the test fixtures, plus seeds built in code where the
fixtures lack a format (actors, a shapefile) or a path through the reader (control areas made
from P-codes or H3 cells)."""

from __future__ import annotations

import io
import json

import shapefile

from tests.conftest import FIXTURES

ACTORS_SEED = """name,kind,aliases,coalition,member_from,member_to,source,description
Coalition Q,coalition,ht:Kowalisyon Q; fr:Coalition Ku,,,,,A made-up coalition
Gang R,gang,fr:Bande R; Gang R Haiti,Coalition Q,2023-09-01,,https://example.org/q (statement),Made up
Gang R,gang,,Coalition P,2021-01-01,2022-12-31,,
"""
# Two devices inside the three test areas, a duplicate and a 200 km jump for the cleaning to drop.
TRACKS_SEED = """time,lat,lon,device,accuracy
2025-06-25T14:00:00Z,18.5200,-72.3850,FUZZ-1,5
2025-06-25T14:00:30Z,18.5205,-72.3840,FUZZ-1,5
2025-06-25T14:00:30Z,18.5205,-72.3840,FUZZ-1,5
2025-06-25T14:00:31Z,20.3205,-72.3840,FUZZ-1,
2025-06-25T10:01:00-04:00,18.5210,-72.3830,FUZZ-1,4.5
2025-06-25T14:00:00Z,18.5200,-72.3300,FUZZ-2,8
2025-06-25T14:01:00Z,18.5200,-72.3280,FUZZ-2,8
"""
BOUNDARY_FIELDS = ("ADM2_PCODE", "ADM2_FR", "ADM1_PCODE", "ADM0_PCODE")
WGS84 = b'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]]]'


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def control_seed() -> str:
    """The two drawn claims of the fixture, plus one built from P-codes and one from H3 cells."""
    document = json.loads(fixture_text("control_two_groups.geojson"))
    document["features"] += [
        {"type": "Feature", "geometry": None, "properties": {"actor": "Group East", "valid_from": "2024-01-01",
                                                            "pcodes": ["XX0103"], "evidence": "acled:TST0003"}},
        {"type": "Feature", "geometry": None, "properties": {"actor": "Group West", "valid_from": "2024-01-01",
                                                            "h3_cells": ["896725cf26bffff", "896725cf267ffff"]}},
    ]  # fmt: skip
    return json.dumps(document)


def boundaries_shapefile() -> tuple[tuple[str, bytes], ...]:
    """The three communes of the fixture as an ESRI shapefile (.shp, .shx, .dbf, .prj), the other
    format the boundaries importer takes."""
    document = json.loads(fixture_text("three_areas.geojson"))
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    for name in BOUNDARY_FIELDS:
        writer.field(name, "C", size=20)
    for feature in document["features"]:
        writer.poly(feature["geometry"]["coordinates"])
        writer.record(*(feature["properties"][name] for name in BOUNDARY_FIELDS))
    writer.close()
    return ((".shp", shp.getvalue()), (".shx", shx.getvalue()), (".dbf", dbf.getvalue()), (".prj", WGS84))
