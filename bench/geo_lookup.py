"""Assign admin P-codes (3 levels) and H3 cells to many points; see bench/README.md."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ulinzi.geo.lookup import AdminIndex, Unit, h3_cells

LAYERS = ((1, "hti_adm1_departements"), (2, "hti_adm2_communes"), (3, "hti_adm3_sections_communales"))


def load_units(boundaries: Path) -> list[Unit]:
    units = []
    for level, name in LAYERS:
        for feature in json.loads((boundaries / f"{name}.geojson").read_text())["features"]:
            properties = feature["properties"]
            parent = properties.get(f"ADM{level - 1}_PCODE", "") if level > 1 else ""
            units.append(Unit(properties[f"ADM{level}_PCODE"], level, parent, shape(feature["geometry"])))
    return units


def points(count: int, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """Seven in ten around Port-au-Prince, the rest anywhere in Haiti's bounding box."""
    rng = np.random.default_rng(seed)
    city = int(count * 0.7)
    lons = np.concatenate([rng.normal(-72.32, 0.05, city), rng.uniform(-74.5, -71.6, count - city)])
    lats = np.concatenate([rng.normal(18.55, 0.04, city), rng.uniform(18.0, 20.1, count - city)])
    return lons, lats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    options = parser.parse_args()
    units = load_units(options.data / "haiti" / "boundaries")
    lons, lats = points(options.points)

    began = time.perf_counter()
    index = AdminIndex(units)
    built = time.perf_counter() - began
    began = time.perf_counter()
    assignment = index.assign(lons, lats)
    assigned = time.perf_counter() - began
    began = time.perf_counter()
    h3_cells(lons, lats)
    hexagons = time.perf_counter() - began

    sections = [unit.geometry for unit in units if unit.level == 3]
    began = time.perf_counter()
    tree = shapely.STRtree(shapely.points(lons, lats))
    tree.query(sections, predicate="contains")
    baseline = time.perf_counter() - began

    located = int((assignment.codes[3] != "").sum())
    print(f"{options.points:,} points, {len(units)} units (levels 1-3); {located:,} fall in a section")
    print(f"index build                          {built * 1000:8.0f} ms")
    print(f"P-codes at 3 levels                  {assigned:8.2f} s  {options.points / assigned:12,.0f} points/s")
    print(f"H3 cells (resolution 8)              {hexagons:8.2f} s  {options.points / hexagons:12,.0f} points/s")
    print(f"P-codes + H3                         {assigned + hexagons:8.2f} s  (goal: 3 s on one core)")
    print(f"baseline: STRtree(points) x sections {baseline:8.2f} s  (level 3 only; {baseline / assigned:.2f}x ours)")
    print(f"DuckDB spatial join                  {duckdb_spatial(sections, lons, lats, assigned)}")
    return 0


def duckdb_spatial(sections: list[BaseGeometry], lons: np.ndarray, lats: np.ndarray, ours: float) -> str:
    """The same level-3 join in DuckDB's spatial extension, when it loads: it is fetched from the
    network on first use, which a disconnected deployment cannot do, so say so rather than fail."""
    import duckdb

    connection = duckdb.connect()
    try:
        connection.execute("LOAD spatial")
    except duckdb.Error as error:
        return f"not measured: the spatial extension does not load offline ({str(error).splitlines()[0]})"
    connection.execute("CREATE TABLE p AS SELECT * FROM (SELECT unnest($1) AS x, unnest($2) AS y)", [lons, lats])
    connection.execute("CREATE TABLE s AS SELECT ST_GeomFromText(unnest($1)) AS g", [[s.wkt for s in sections]])
    began = time.perf_counter()
    connection.execute("SELECT count(*) FROM p JOIN s ON ST_Contains(s.g, ST_Point(p.x, p.y))").fetchall()
    seconds = time.perf_counter() - began
    return f"{seconds:8.2f} s  ({seconds / ours:.2f}x ours)"


if __name__ == "__main__":
    sys.exit(main())
