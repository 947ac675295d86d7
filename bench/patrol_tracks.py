"""Import a year of synthetic patrol tracks and compute effort per commune and week (issue #8).

Random walks of ~50 devices inside Port-au-Prince (lon -72.36..-72.25, lat 18.50..18.60), one
fix every 30 s on one patrol a day, with a few duplicates and GPS glitches mixed in, are written
to a CSV in a temporary folder; then reading, cleaning, assignment to patrols, P-codes at three
levels (COD-AB) and H3 cells are timed stage by stage and as one streaming pipeline (goal:
200k points/s on one core), and effort per commune and week over the whole year (goal: 1 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import psycopg
from bench.geo_lookup import load_units

from ulinzi.geo.lookup import AdminIndex, h3_cells
from ulinzi.patrols.assign import PatrolWindow, WindowIndex, assign
from ulinzi.patrols.cleaning import ColumnCleaner, clean
from ulinzi.patrols.columns import DeviceNames
from ulinzi.patrols.effort import TrackColumns, effort_by
from ulinzi.patrols.tracks import TrackFile, read_points

WEST, EAST, SOUTH, NORTH = -72.36, -72.25, 18.50, 18.60
STEP_S = 30
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "ulinzi_bench_tracks"  # the only database this script creates or drops
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
T = TypeVar("T")


def synthetic(count: int, devices: int, seed: int = 8) -> tuple[Path, list[PatrolWindow], TrackColumns]:
    """Write the CSV; return it with the patrol windows and the clean columns effort is timed on."""
    rng = np.random.default_rng(seed)
    per_device = count // devices
    per_day = max(2, -(-per_device // 365))
    day = np.arange(per_device) // per_day
    start_of_day = YEAR_START.timestamp() + day * 86_400 + 6 * 3600
    seconds = start_of_day + (np.arange(per_device) % per_day) * STEP_S
    folder = Path(tempfile.mkdtemp(prefix="ulinzi-tracks-"))
    path = folder / "tracks.csv"
    windows: list[PatrolWindow] = []
    columns = []
    with path.open("w", encoding="utf-8") as out:
        out.write("time,lat,lon,device,accuracy\n")
        for d in range(devices):
            steps = rng.normal(0, 0.0003, (per_device, 2))  # ~35 m per 30 s: a walking patrol
            walk = np.cumsum(steps, axis=0) + np.array([rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)])
            lons = WEST + np.abs(np.mod(walk[:, 0] - WEST, 2 * (EAST - WEST)) - (EAST - WEST))
            lats = SOUTH + np.abs(np.mod(walk[:, 1] - SOUTH, 2 * (NORTH - SOUTH)) - (NORTH - SOUTH))
            glitch = rng.random(per_device) < 1e-4
            shown_lats = np.where(glitch, lats + 2.0, lats)  # 220 km north, for one fix
            stamps = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
            device = f"KE-TAK-{d:03d}"
            accuracies = rng.integers(3, 15, per_device)
            rows = [
                f"{s}Z,{la:.6f},{lo:.6f},{device},{a}\n"
                for s, la, lo, a in zip(
                    stamps.tolist(), shown_lats.tolist(), lons.tolist(), accuracies.tolist(), strict=True
                )
            ]
            duplicated = rng.random(per_device) < 1e-3
            out.writelines(row + row if dup else row for row, dup in zip(rows, duplicated.tolist(), strict=True))
            for first in range(0, per_device, per_day):
                begin = datetime.fromtimestamp(seconds[first], UTC) - timedelta(minutes=5)
                end = datetime.fromtimestamp(seconds[min(first + per_day, per_device) - 1], UTC) + timedelta(minutes=5)
                windows.append(PatrolWindow(len(windows), device, begin, end))
            keep = ~glitch
            patrols = d * 1000 + day[keep]
            columns.append((patrols, seconds[keep], lats[keep], lons[keep]))
    patrol, secs, lats_all, lons_all = (np.concatenate([c[i] for c in columns]) for i in range(4))
    track = TrackColumns(patrol.astype(np.int64), (), secs.astype(np.float64), lats_all, lons_all)
    return path, windows, track


def batched(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while batch := list(islice(items, size)):
        yield batch


def timed(label: str, count: int, seconds: float) -> None:
    print(f"{label:38s} {seconds:8.2f} s  {count / seconds:12,.0f} points/s")


def stages(path: Path, windows: list[PatrolWindow], index: AdminIndex) -> float:
    """The import's pipeline without the database, stage by stage, on columns as it runs."""
    devices = DeviceNames()
    began = time.perf_counter()
    batches = list(TrackFile(path).columns(devices))
    read = time.perf_counter() - began
    began = time.perf_counter()
    cleaner = ColumnCleaner()
    kept = [batch.take(cleaner.keep(batch, devices.names)) for batch in batches]
    cleaned = time.perf_counter() - began
    began = time.perf_counter()
    found = WindowIndex(windows)
    ordinals = [found.ordinals(batch, devices.names) for batch in kept]
    assigned = time.perf_counter() - began
    began = time.perf_counter()
    for batch in kept:
        index.assign(batch.lon, batch.lat)
    pcodes = time.perf_counter() - began
    began = time.perf_counter()
    for batch in kept:
        h3_cells(batch.lon, batch.lat)
    hexagons = time.perf_counter() - began
    n = sum(len(batch) for batch in batches)
    k = sum(len(batch) for batch in kept)
    unassigned = sum(int((found < 0).sum()) for found in ordinals)
    print(f"{n:,} rows read; {cleaner.report.summary()}; {unassigned:,} outside every patrol window")
    timed("read CSV (Arrow, to columns)", n, read)
    timed("clean (duplicates, jumps)", n, cleaned)
    timed("assign to patrols", k, assigned)
    timed("P-codes at 3 levels", k, pcodes)
    timed("H3 cells (resolution 8)", k, hexagons)
    total = read + cleaned + assigned + pcodes + hexagons
    timed("sum of stages", n, total)
    return total


def pipeline(path: Path, windows: list[PatrolWindow], index: AdminIndex) -> float:
    """The import's pass as ``import_tracks`` runs it, minus the inserts: one batch at a time."""
    began = time.perf_counter()
    devices, cleaner, found = DeviceNames(), ColumnCleaner(), WindowIndex(windows)
    count = 0
    for batch in TrackFile(path).columns(devices):
        kept = batch.take(cleaner.keep(batch, devices.names))
        found.ordinals(kept, devices.names)
        index.assign(kept.lon, kept.lat)
        h3_cells(kept.lon, kept.lat)
        count += len(batch)
    seconds = time.perf_counter() - began
    timed("columnar pipeline, one pass", count, seconds)
    return seconds


def point_pipeline(path: Path, windows: list[PatrolWindow], index: AdminIndex, batch: int) -> float:
    """Baseline: the same pass over one ``TrackPoint`` per fix, as the first import did."""
    began = time.perf_counter()
    kept, _report = clean(read_points(path))
    count = 0
    for chunk in batched(assign(kept, windows), batch):
        lons = np.fromiter((point.lon for point, _patrol in chunk), np.float64, len(chunk))
        lats = np.fromiter((point.lat for point, _patrol in chunk), np.float64, len(chunk))
        index.assign(lons, lats)
        h3_cells(lons, lats)
        count += len(chunk)
    seconds = time.perf_counter() - began
    timed("baseline: point-by-point pipeline", count, seconds)
    return seconds


def store(path: Path, windows: list[PatrolWindow], data: Path, points: int, database: str) -> None:
    """``import_tracks`` end to end into a fresh database: the pipeline plus the inserts."""
    folder = Path(tempfile.mkdtemp(prefix="ulinzi-tracks-db-"))
    if database == "postgres":
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as server:
            server.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            server.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    try:
        # Assigned, not defaulted: a database named in the shell must never be written to here.
        os.environ["ULINZI_DATABASE_URL"] = (
            f"{POSTGRES_SERVER}/{BENCH_DATABASE}" if database == "postgres" else f"sqlite:///{folder / 'bench.sqlite3'}"
        )
        os.environ["ULINZI_VAR_DIR"] = str(folder / "var")
        os.environ["ULINZI_DEBUG"] = "false"
        os.environ["DJANGO_SETTINGS_MODULE"] = "ulinzi.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from ulinzi.geo.importers.boundaries.importer import import_boundaries
        from ulinzi.patrols.importer import import_tracks
        from ulinzi.patrols.models import Patrol

        for level in ("adm1_departements", "adm2_communes", "adm3_sections_communales"):
            import_boundaries(data / "haiti" / "boundaries" / f"hti_{level}.geojson")
        Patrol.objects.bulk_create(
            Patrol(
                reference=f"BENCH-{window.patrol_id}",
                kind="foot",
                devices=window.device,
                planned_start=window.start,
                planned_end=window.end,
            )
            for window in windows
        )
        head = folder / "head.csv"
        with path.open(encoding="utf-8") as source, head.open("w", encoding="utf-8") as out:
            out.writelines(islice(source, points + 1))
        began = time.perf_counter()
        outcome = import_tracks(head)
        seconds = time.perf_counter() - began
        print(f"import_tracks into {database}: {outcome.stored:,} stored, {outcome.unassigned:,} unassigned")
        timed("  end to end, inserts included", points, seconds)
    finally:
        shutil.rmtree(folder)
        if database == "postgres":
            from django.db import connections

            connections.close_all()
            with psycopg.connect(POSTGRES_SERVER, autocommit=True) as server:
                server.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


def effort(track: TrackColumns, index: AdminIndex) -> None:
    communes: npt.NDArray[np.str_] = index.assign(track.lons, track.lats).codes[2]
    cells = np.array(h3_cells(track.lons, track.lats), dtype=np.int64)
    for label, with_cells in (("effort per commune and week", False), ("  + per H3 cell and week", True)):
        began = time.perf_counter()
        result = effort_by(communes, cells if with_cells else None, track, period="week")
        seconds = time.perf_counter() - began
        groups = len(result.by_area) + len(result.by_cell)
        print(f"{label:38s} {seconds:8.2f} s  ({len(track.seconds):,} fixes, {groups:,} groups; goal ≤ 1 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=5_000_000)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--baseline", action="store_true", help="also time the point-by-point pipeline")
    parser.add_argument(
        "--store", type=int, default=0, metavar="N", help="also import the first N fixes with import_tracks"
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite", help="where --store imports")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    options = parser.parse_args()
    began = time.perf_counter()
    path, windows, track = synthetic(options.points, options.devices)
    size_mb = path.stat().st_size / 1e6
    print(f"generated {size_mb:,.0f} MB, {len(windows):,} patrols in {time.perf_counter() - began:.0f} s")
    index = AdminIndex(load_units(options.data / "haiti" / "boundaries"))
    try:
        stages(path, windows, index)
        one_pass = pipeline(path, windows, index)
        rate = options.points / one_pass
        print(f"{'':38s} goal ≥ 200,000 points/s: {'met' if rate >= 200_000 else 'missed'}")
        if options.baseline:
            ratio = point_pipeline(path, windows, index, options.batch) / one_pass
            print(f"{'':38s} {ratio:.1f}× faster than the baseline")
        effort(track, index)
        if options.store:
            store(path, windows, options.data, min(options.store, options.points), options.database)
    finally:
        path.unlink()
        path.parent.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
