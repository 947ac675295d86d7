"""Share of the Port-au-Prince metro under control on one date; see bench/README.md."""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import shapely
from shapely.geometry import shape

from ulinzi.geo.control import Claim, PopulatedUnit, share_on

METRO = {"HT0111", "HT0112", "HT0113", "HT0114", "HT0115", "HT0116", "HT0117", "HT0118", "HT0131"}


def sections(data: Path) -> list[PopulatedUnit]:
    """The metro's sections communales with their 2019 population."""
    with (data / "haiti/population/hti_pop2019_adm3_ihsi_unfpa.csv").open(newline="", encoding="utf-8") as handle:
        people = {row["adm3_pcode"]: int(row["pop_total_2019"]) for row in csv.DictReader(handle)}
    features = json.loads((data / "haiti/boundaries/hti_adm3_sections_communales.geojson").read_text())["features"]
    return [
        PopulatedUnit(f["properties"]["ADM3_PCODE"], shape(f["geometry"]), people.get(f["properties"]["ADM3_PCODE"]))
        for f in features
        if f["properties"]["ADM2_PCODE"] in METRO
    ]


def claims(units: list[PopulatedUnit], count: int, seed: int = 3) -> list[Claim]:
    """Illustrative circles of 0.5-2 km around random points of the metro, for several actors."""
    rng = random.Random(seed)
    west, south, east, north = shapely.union_all([u.geometry for u in units]).bounds
    made = []
    for index in range(count):
        centre = shapely.Point(rng.uniform(west, east), rng.uniform(south, north))
        made.append(Claim(f"group {index % 6}", centre.buffer(rng.uniform(0.005, 0.02)), date(2024, 1, 1)))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=60)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    options = parser.parse_args()
    units = sections(options.data)
    made = claims(units, options.claims)
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        result = share_on(units, made, date(2025, 1, 1))
        timings.append(time.perf_counter() - began)
    print(f"{len(units)} sections of the Port-au-Prince metro, {len(made)} claims of 6 actors")
    print(f"share on a date   median {statistics.median(timings) * 1000:6.0f} ms (goal 200 ms)")
    held = result.any_actor
    print(f"under any control {held.area_share:6.1%} of the area, {held.population_share or 0:6.1%} of people")
    return 0


if __name__ == "__main__":
    sys.exit(main())
