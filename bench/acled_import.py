"""ACLED import throughput on synthetic ACLED-shaped rows; see bench/README.md.

The goal of the incident-store issue is 50,000 rows/s end to end; this measures where the
ORM-based importer stands, against reading the same file with ``csv.reader``. The rows come
from ``synthetic_events`` (shared with ``events_store.py``, which adds queries and DuckDB).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from synthetic_events import DATA, write_file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DATA)
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
    write_file(source, options.rows, options.seed, options.data)

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
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
