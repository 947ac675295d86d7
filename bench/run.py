"""Print import and query figures for the force registry; see bench/README.md."""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

COUNTRIES = (
    "KE",
    "JM",
    "BZ",
    "BS",
    "GT",
    "SV",
    "BD",
    "TD",
    "BJ",
    "SN",
    "RW",
    "NP",
    "PK",
    "IN",
    "GH",
    "NG",
    "ET",
    "EG",
    "ID",
    "MY",
    "BR",
    "UY",
    "AR",
    "CL",
    "PE",
    "FJ",
    "MN",
    "JO",
    "TZ",
    "ZM",
)
DAYS = 5 * 365


def write_template(path: Path, rows: int, seed: int = 7) -> None:
    """Synthetic movements over five years; departures never exceed what a country has deployed."""
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    # One movement per country and day: two on the same day would be two reports of one movement.
    slots = sorted(rng.sample(range(len(COUNTRIES) * DAYS), rows))
    deployed = dict.fromkeys(COUNTRIES, 0)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record", "date", "country", "kind", "personnel", "sources", "sensitivity"])
        for index, slot in enumerate(sorted(slots, key=lambda slot: slot % DAYS)):
            country, day = COUNTRIES[slot // DAYS], start + timedelta(days=slot % DAYS)
            personnel = rng.randint(1, 400)
            kind = rng.choice(("arrival", "arrival", "rotation_in", "rotation_out", "departure"))
            if kind in {"rotation_out", "departure"}:
                if deployed[country] == 0:
                    kind = "arrival"
                else:
                    personnel = min(personnel, deployed[country])
            deployed[country] += personnel if kind in {"arrival", "rotation_in"} else -personnel
            writer.writerow(
                [
                    "movement",
                    day.isoformat(),
                    country,
                    kind,
                    personnel,
                    f"https://example.org/report/{index}",
                    rng.choice(("P0", "P1", "P2")),
                ]
            )


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ulinzi-bench-"))
    os.environ.setdefault("ULINZI_VAR_DIR", str(workdir / "var"))
    os.environ.setdefault("ULINZI_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ulinzi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from ulinzi.accounts.sensitivity import Sensitivity
    from ulinzi.forces import services
    from ulinzi.forces.importers.strength.importer import import_strength

    call_command("migrate", verbosity=0)
    source = workdir / "movements.csv"
    write_template(source, options.rows)
    size_mb = source.stat().st_size / 2**20

    def read_only() -> None:
        with source.open(newline="") as handle:
            for _ in csv.reader(handle):
                pass

    baseline = timed(read_only, repeat=3)
    first = timed(lambda: import_strength(source))
    again = timed(lambda: import_strength(source))
    snapshot = timed(lambda: services.snapshot(Sensitivity.CONFIDENTIAL, date(2026, 1, 1)), repeat=5)
    timeline = timed(lambda: services.timeline(Sensitivity.CONFIDENTIAL), repeat=3)

    print(f"database: {os.environ['ULINZI_DATABASE_URL'].split(':', 1)[0]}, {options.rows:,} rows, {size_mb:.1f} MB")
    print(f"strength_import  csv.reader baseline   {baseline * 1000:9.1f} ms  {options.rows / baseline:12,.0f} rows/s")
    print(
        f"strength_import  first import          {first * 1000:9.1f} ms  {options.rows / first:12,.0f} rows/s"
        f"  ({first / baseline:,.0f}x baseline)"
    )
    print(
        f"strength_import  re-import (no change) {again * 1000:9.1f} ms  {options.rows / again:12,.0f} rows/s"
        f"  ({again / baseline:,.0f}x baseline)"
    )
    print(f"strength_queries snapshot on a date    {snapshot * 1000:9.1f} ms")
    print(f"strength_queries timeline              {timeline * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
