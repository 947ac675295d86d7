"""ACLED import throughput on synthetic ACLED-shaped rows; see bench/README.md.

The goal of the incident-store issue is 50,000 rows/s end to end; this measures where the
ORM-based importer stands, against reading the same file with ``csv.reader``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from ulinzi.incidents.importers.acled.rows import OPTIONAL, REQUIRED
from ulinzi.incidents.taxonomy import EVENT_TYPES

COLUMNS = (*REQUIRED, *OPTIONAL)
ACTORS = (
    "Gang A (Haiti)",
    "Gang B (Haiti)",
    "Police Forces of Haiti (2017-)",
    "Civilians (Haiti)",
    "Protesters (Haiti)",
)


def write_rows(path: Path, rows: int, seed: int = 9) -> None:
    rng = random.Random(seed)
    types = [(kind, sub) for kind, subs in EVENT_TYPES.items() for sub in subs]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for index in range(rows):
            kind, sub = rng.choice(types)
            writer.writerow(
                {
                    "event_id_cnty": f"SYN{index:08d}",
                    "event_date": (date(2018, 1, 1) + timedelta(days=rng.randrange(2900))).isoformat(),
                    "event_type": kind,
                    "sub_event_type": sub,
                    "actor1": rng.choice(ACTORS),
                    "inter1": str(rng.randint(1, 8)),
                    "actor2": rng.choice(("", *ACTORS)),
                    "latitude": f"{rng.gauss(18.55, 0.05):.4f}",
                    "longitude": f"{rng.gauss(-72.32, 0.05):.4f}",
                    "geo_precision": str(rng.randint(1, 3)),
                    "fatalities": str(rng.choice((0, 0, 0, 1, 2, 5))),
                    "source": rng.choice(("Outlet One", "Outlet Two; Outlet Three")),
                    "notes": "Synthetic row for the benchmark.",
                    "country": "Haiti",
                }
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ulinzi-acled-"))
    os.environ.setdefault("ULINZI_VAR_DIR", str(workdir / "var"))
    os.environ.setdefault("ULINZI_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ulinzi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from ulinzi.geo.importers.boundaries.importer import import_boundaries
    from ulinzi.incidents.importers.acled.importer import import_acled

    call_command("migrate", verbosity=0)
    for name in ("hti_adm1_departements", "hti_adm2_communes", "hti_adm3_sections_communales"):
        import_boundaries(options.data / "haiti" / "boundaries" / f"{name}.geojson")
    source = workdir / "acled.csv"
    write_rows(source, options.rows)

    began = time.perf_counter()
    with source.open(newline="") as handle:
        sum(1 for _ in csv.reader(handle))
    baseline = time.perf_counter() - began
    began = time.perf_counter()
    import_acled(source)
    first = time.perf_counter() - began
    began = time.perf_counter()
    import_acled(source)
    again = time.perf_counter() - began
    print(f"database: {os.environ['ULINZI_DATABASE_URL'].split(':', 1)[0]}, {options.rows:,} rows, 570 sections loaded")
    print(f"csv.reader baseline   {options.rows / baseline:12,.0f} rows/s")
    print(
        f"first import          {options.rows / first:12,.0f} rows/s ({first / baseline:,.0f}x baseline; goal 50,000)"
    )
    print(f"re-import, unchanged  {options.rows / again:12,.0f} rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
