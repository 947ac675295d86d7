"""What masking adds to an import: masked points for many events against Haiti's real sections.

The importer already assigns P-codes to every point (``AdminIndex.assign``); masking adds
``mask_points`` (HMAC per candidate, then ``AdminIndex.finest`` for each round of candidates).
Both are timed on the same points in the same process; the ratio is the figure to watch. Also
printed: how many points stayed in their section within the donut, and how many went to their
section's inside point.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from bench.geo_lookup import load_units, points

from ulinzi.geo.lookup import AdminIndex
from ulinzi.geo.masking import Donut, mask_points


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    options = parser.parse_args()
    index = AdminIndex(load_units(options.data / "haiti" / "boundaries"))
    lons, lats = points(options.points)
    inside = np.array(index.finest(lons, lats)) != ""
    lons, lats = lons[inside], lats[inside]
    keys = [f"acled:BENCH{n}" for n in range(len(lons))]
    donut = Donut()

    began = time.perf_counter()
    index.assign(lons, lats)
    assigned = time.perf_counter() - began
    began = time.perf_counter()
    shown_lons, shown_lats = mask_points(
        b"bench secret", keys, lons, lats, area_of=index.finest, representative=index.inside_point, donut=donut
    )
    masked = time.perf_counter() - began

    same = int((np.array(index.finest(shown_lons, shown_lats)) == np.array(index.finest(lons, lats))).sum())
    metres = np.hypot((shown_lons - lons) * 111_320 * np.cos(np.radians(lats)), (shown_lats - lats) * 111_320)
    in_donut = int(((metres >= donut.min_m * 0.99) & (metres <= donut.max_m * 1.01)).sum())
    count = len(lons)
    print(f"{count:,} points inside Haiti's sections (of {options.points:,} drawn)")
    print(f"P-codes at 3 levels (what imports do)  {assigned:7.2f} s  {count / assigned:10,.0f} points/s")
    print(f"masked points                          {masked:7.2f} s  {count / masked:10,.0f} points/s")
    print(f"ratio masked / P-codes                 {masked / assigned:7.2f}x")
    print(
        f"in their own section: {same:,} ({same / count:.2%}); within {donut.min_m:.0f}-{donut.max_m:.0f} m: "
        f"{in_donut:,} ({in_donut / count:.2%}); sent to the section's inside point: {count - in_donut:,}"
    )
    # A section's inside point can be claimed by an overlapping neighbour in COD-AB's slivers.
    print(f"assigned to another section by the lookup index: {count - same:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
