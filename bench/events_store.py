"""Incident store figures for issue #3 ("Performance"); see bench/README.md.

One backend per process: ``--database sqlite`` (a fresh file in a temporary folder) or
``--database postgres`` (the ``ulinzi_bench`` database, created and dropped here); ``--all`` runs
both in subprocesses over one generated file. Figures, each beside its goal from the issue:

1. ``import_acled`` end to end (validation, P-codes from Haiti's real boundaries, H3), in rows/s,
   against DuckDB's in-memory ``read_csv`` of the same file as the ceiling;
2. box + time + type queries calibrated to return ~1k events, fetched in full, and ~50k events
   written as GeoJSON by ``exports.write_geojson``: p50/p95 over random boxes and windows;
3. monthly fatalities by commune over a year, and H3 cells in the Port-au-Prince viewport over
   90 days, through ``services.stats``: p50/p95.

Boxes are calibrated on DuckDB's copy of the file, so each query is known to return its target
before Django runs it; only the Django side is timed.

    .venv/bin/python bench/events_store.py --rows 200000 --database sqlite
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import psycopg
from psycopg import sql
from synthetic_events import DATA, TYPE_MIX, write_file

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "ulinzi_bench"  # the only database this script creates or drops
BOUNDARIES = ("hti_adm1_departements", "hti_adm2_communes", "hti_adm3_sections_communales")
PAP_VIEWPORT = (-72.45, 18.45, -72.2, 18.65)  # west, south, east, north
MAP_FIELDS = ("pk", "event_date", "event_type", "sub_event_type", "longitude", "latitude", "fatalities")

# Goals from issue #3.
GOAL_IMPORT = 50_000  # rows/s
GOAL_BOX_MS = 20.0  # p95, ~1k events
GOAL_GEOJSON_MS = 400.0  # p95, ~50k events
GOAL_AGGREGATE_MS = 150.0  # p95
BOX_ROWS = 1_000
NAME, VALUE, GOAL = 46, 31, 18  # column widths of the printed table
GEOJSON_ROWS = 50_000


@dataclass(frozen=True)
class Window:
    """One query's filter: a box, a period and, for the ~1k queries, an event type."""

    bbox: tuple[float, float, float, float] | None
    since: date
    until: date
    event_type: str | None
    expected: int  # events DuckDB counts in it


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    size: list[int] = field(default_factory=list)

    def ms(self, percentile: float) -> float:
        return float(np.percentile(self.seconds, percentile)) * 1000


def main() -> int:
    options = parse_args()
    if options.all:
        return run_all(options)
    return run_one(options)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000, help="synthetic events (default 200,000)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--all", action="store_true", help="run SQLite, then PostgreSQL, in subprocesses")
    parser.add_argument("--seed", type=int, default=1, help="seed of the data and of the query windows")
    parser.add_argument("--boxes", type=int, default=50, help="random ~1k box queries (default 50)")
    parser.add_argument("--repeat", type=int, default=20, help="random GeoJSON exports and aggregates (default 20)")
    parser.add_argument("--csv", type=Path, help="use this generated file instead of writing one")
    parser.add_argument("--data", type=Path, default=DATA, help="shared data folder (haiti/boundaries, gazetteer)")
    parser.add_argument("--workdir", type=Path, help="where the temporary folder goes (default: the system's)")
    parser.add_argument("--sqlite-analyze", action="store_true", help="run ANALYZE on SQLite too (the app never does)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and the bench database")
    return parser.parse_args()


def run_all(options: argparse.Namespace) -> int:
    """Both backends over the same file, each in its own process (Django has one database per setup)."""
    workdir = Path(tempfile.mkdtemp(prefix="ulinzi-events-all-", dir=options.workdir))
    try:
        source = options.csv or workdir / "events.csv"
        if options.csv is None:
            began = time.perf_counter()
            write_file(source, options.rows, options.seed, options.data)
            print(f"generated {options.rows:,} rows in {time.perf_counter() - began:.1f} s: {source}", flush=True)
        status = 0
        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--database", database, "--csv", str(source)]
            for name in ("rows", "seed", "boxes", "repeat", "data", "workdir"):
                if getattr(options, name) is not None:
                    command += [f"--{name}", str(getattr(options, name))]
            command += ["--sqlite-analyze"] * options.sqlite_analyze + ["--keep"] * options.keep
            print(flush=True)
            done = subprocess.run(command, check=False)  # noqa: S603  this interpreter, this script, our options
            status = max(status, done.returncode)
        return status
    finally:
        if not options.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run_one(options: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix=f"ulinzi-events-{options.database}-", dir=options.workdir))
    postgres = options.database == "postgres"
    try:
        if postgres:
            recreate_postgres()
            url = f"{POSTGRES_SERVER}/{BENCH_DATABASE}"
        else:
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        setup_django(url, workdir / "var")
        Bench(options, workdir, postgres).run()
        return 0
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if postgres and not options.keep:
            drop_postgres()
        if options.keep:
            print(f"kept {workdir}" + (f" and the {BENCH_DATABASE} database" if postgres else ""))
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _admin_connection() -> psycopg.Connection[Any]:
    return psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5)


def postgres_version() -> str:
    """The server's version, for the header of a SQLite run; the run does not need the server."""
    try:
        with _admin_connection() as admin:
            return f"{admin.execute('SHOW server_version').fetchone()[0]} (not used by this run)"
    except (psycopg.Error, OSError) as error:
        return f"not reached ({type(error).__name__})"


def recreate_postgres() -> None:
    drop_postgres()
    with _admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))


def drop_postgres() -> None:
    with _admin_connection() as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE)))


def setup_django(url: str, var_dir: Path) -> None:
    # Assigned, not defaulted: a ULINZI_DATABASE_URL left in the shell must never be benchmarked on.
    os.environ["ULINZI_DATABASE_URL"] = url
    os.environ["ULINZI_VAR_DIR"] = str(var_dir)
    os.environ["ULINZI_DEBUG"] = "false"  # DEBUG keeps every query in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "ulinzi.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Bench:
    def __init__(self, options: argparse.Namespace, workdir: Path, postgres: bool) -> None:
        self.options = options
        self.workdir = workdir
        self.postgres = postgres
        self.rng = random.Random(options.seed + 1)
        self.duck = duckdb.connect(":memory:")

    def run(self) -> None:
        self.header()
        areas = self.load_boundaries()
        source = self.options.csv or self.workdir / "events.csv"
        if self.options.csv is None:
            began = time.perf_counter()
            write_file(source, self.options.rows, self.options.seed, self.options.data)
            made = f"generated in {time.perf_counter() - began:.1f} s"
        else:
            made = "given"
        size = source.stat().st_size / 2**20
        print(f"data      {self.options.rows:,} rows, {size:,.0f} MB CSV, seed {self.options.seed}")
        print(f"          ({made}); {areas} admin areas loaded ({', '.join(BOUNDARIES)})")
        print()
        self.measure_import(source)
        self.measure_boxes()
        self.measure_geojson()
        self.measure_aggregates()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
        print(f"\npeak memory of this process {peak:,.0f} MB")

    def header(self) -> None:
        from django import get_version
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version" if self.postgres else "SELECT sqlite_version()")
            server = str(cursor.fetchone()[0])
        backend = f"PostgreSQL {server.split(maxsplit=1)[0]}" if self.postgres else f"SQLite {server}"
        postgres = server if self.postgres else postgres_version()
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        print(f"== incident store on {backend}: {self.options.rows:,} synthetic ACLED rows ==")
        print(f"date      {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        print(f"machine   {os.cpu_count()} CPUs ({cpu_model()}), {memory:.0f} GiB RAM, load {os.getloadavg()[0]:.2f}")
        print(f"          {platform.platform()}, Python {platform.python_version()}")
        print(f"versions  SQLite {sqlite3.sqlite_version}, PostgreSQL {postgres}")
        print(f"          DuckDB {duckdb.__version__}, Django {get_version()}, NumPy {np.__version__}")

    def load_boundaries(self) -> int:
        from ulinzi.geo.importers.boundaries.importer import import_boundaries
        from ulinzi.geo.models import AdminArea

        for name in BOUNDARIES:
            import_boundaries(self.options.data / "haiti" / "boundaries" / f"{name}.geojson")
        return AdminArea.objects.count()

    def measure_import(self, source: Path) -> None:
        from ulinzi.incidents.importers.acled.importer import import_acled

        began = time.perf_counter()
        self.duck.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(source)])
        ceiling = time.perf_counter() - began
        # Keep only what calibrating the query windows needs.
        self.duck.execute("CREATE TABLE cal AS SELECT event_type, event_date, longitude, latitude FROM t")
        self.duck.execute("DROP TABLE t")

        began = time.perf_counter()
        outcome = import_acled(source)
        elapsed = time.perf_counter() - began
        rows = outcome.rows_read
        ours, best = rows / elapsed, rows / ceiling
        print(f"{'figure':<{NAME}} {'p50 / value':<{VALUE}} {'goal':<{GOAL}} verdict")
        line("import_acled, end to end", f"{ours:,.0f} rows/s", f"≥ {GOAL_IMPORT:,} rows/s", ours >= GOAL_IMPORT)
        print(f"  {rows:,} rows in {elapsed:.1f} s")
        line("  ceiling: DuckDB read_csv, in memory", f"{best:,.0f} rows/s", "")
        print(
            f"  import_acled takes {elapsed / ceiling:,.1f}× as long as DuckDB "
            f"({ceiling:.2f} s on {duckdb_threads(self.duck)} threads)"
        )
        self.check_import(outcome)

    def check_import(self, outcome: Any) -> None:
        from django.db import connection

        from ulinzi.incidents.models import Event

        stored = Event.objects.count()
        placed = Event.objects.exclude(adm2_pcode="").count()
        print(
            f"  {outcome.created:,} created, {outcome.unchanged:,} unchanged, {outcome.merged:,} merged, "
            f"{len(outcome.rejected):,} rejected; {placed / max(stored, 1):.1%} of events have a commune P-code"
        )
        if self.postgres or self.options.sqlite_analyze:
            began = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            why = "as autovacuum would" if self.postgres else "--sqlite-analyze"
            print(f"  ANALYZE ({why}): {time.perf_counter() - began:.1f} s; store size {self.store_size()}")
        else:
            print(f"  no ANALYZE (the app never runs it on SQLite); store size {self.store_size()}")
        print()

    def store_size(self) -> str:
        from django.db import connection

        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                return f"{int(cursor.fetchone()[0]) / 2**20:,.0f} MB"
        main, wal = (self.workdir / "bench.sqlite3", self.workdir / "bench.sqlite3-wal")
        size = f"{main.stat().st_size / 2**20:,.0f} MB"
        # The import is one transaction, so its pages wait in the WAL until the next checkpoint.
        return size + (f" + {wal.stat().st_size / 2**20:,.0f} MB WAL not yet checkpointed" if wal.exists() else "")

    def measure_boxes(self) -> None:
        from ulinzi.accounts.sensitivity import Sensitivity
        from ulinzi.incidents import services

        windows = self.calibrated(self.options.boxes, BOX_ROWS, typed=True)

        def objects(window: Window) -> tuple[int, int]:
            return len(list(services.events(Sensitivity.CRITICAL, event_filter(window)))), 0

        def values(window: Window) -> tuple[int, int]:
            found = services.events(Sensitivity.CRITICAL, event_filter(window)).values_list(*MAP_FIELDS)
            return len(list(found)), 0

        report("box+time+type ~1k, model objects (the API's)", timed(objects, windows), GOAL_BOX_MS)
        fetched = timed(values, windows)
        report(f"  same boxes, values_list of {len(MAP_FIELDS)} fields", fetched, GOAL_BOX_MS)
        # A rare type needs a box holding many more events of other types, which the index returns too.
        by_kind: dict[str, list[float]] = {}
        for window, seconds in zip(windows, fetched.seconds, strict=True):
            by_kind.setdefault(window.event_type or "any", []).append(seconds * 1000)
        medians = (f"{kind} {np.median(ms):,.1f} ({len(ms)})" for kind, ms in by_kind.items())
        print(f"  values_list median ms by type (runs): {'; '.join(medians)}")

    def measure_geojson(self) -> None:
        from ulinzi.accounts.sensitivity import Sensitivity
        from ulinzi.incidents import exports, services

        target = min(GEOJSON_ROWS, self.options.rows // 4)
        windows = self.calibrated(self.options.repeat, target, typed=False)

        for brief in (True, False):

            def geojson(window: Window, brief: bool = brief) -> tuple[int, int]:
                out = io.BytesIO()
                events = services.events(Sensitivity.CRITICAL, event_filter(window))
                written = exports.write_geojson(events, out, brief=brief)
                return written, out.tell()

            timing = timed(geojson, windows)
            label = "brief (13 properties, JSON built in SQL)" if brief else "full (38 properties)"
            report(f"box+time ~{target / 1000:,.0f}k GeoJSON, {label}", timing, GOAL_GEOJSON_MS)
            print(f"  {np.mean(timing.size) / 2**20:,.1f} MB of GeoJSON each on average", end="")
            print(
                ""
                if target == GEOJSON_ROWS
                else f"; ~{target:,} rather than ~50k events: only {self.options.rows:,} stored"
            )

    def measure_aggregates(self) -> None:
        from ulinzi.accounts.sensitivity import Sensitivity
        from ulinzi.incidents import services

        first, last = self.date_range()
        years = [self.window(first, last, 365) for _ in range(self.options.repeat)]
        quarters = [self.window(first, last, 90) for _ in range(self.options.repeat)]

        def communes(window: tuple[date, date]) -> tuple[int, int]:
            wanted = services.EventFilter(since=window[0], until=window[1])
            return len(services.stats(Sensitivity.CRITICAL, wanted, period="month", by="adm2")), 0

        def hexagons(window: tuple[date, date]) -> tuple[int, int]:
            wanted = services.EventFilter(since=window[0], until=window[1], bbox=PAP_VIEWPORT)
            return len(services.stats(Sensitivity.CRITICAL, wanted, period="month", by="h3")), 0

        report("monthly fatalities × commune, 365 days", timed(communes, years), GOAL_AGGREGATE_MS, unit="groups")
        report(
            "H3 cells, Port-au-Prince viewport, 90 days", timed(hexagons, quarters), GOAL_AGGREGATE_MS, unit="groups"
        )

    # -- calibration on DuckDB's copy ------------------------------------------------------------

    def date_range(self) -> tuple[date, date]:
        first, last = self.duck.execute("SELECT min(event_date), max(event_date) FROM cal").fetchone() or (None, None)
        assert isinstance(first, date)
        assert isinstance(last, date)
        return first, last

    def window(self, first: date, last: date, days: int) -> tuple[date, date]:
        """A random period of ``days`` days inside the data, as (since, until), both inclusive."""
        days = min(days, (last - first).days + 1)
        until = first + timedelta(days=days - 1 + self.rng.randrange((last - first).days - days + 2))
        return until - timedelta(days=days - 1), until

    def calibrated(self, count: int, target: int, *, typed: bool) -> list[Window]:
        """``count`` random windows, each a square box around a random event, sized so that its
        ``target``-th nearest event (by the larger of the two degree distances) is on its edge."""
        first, last = self.date_range()
        totals = dict(self.duck.execute("SELECT event_type, count(*) FROM cal GROUP BY ALL").fetchall())
        kinds = [kind for kind in TYPE_MIX if totals.get(kind, 0) >= 2 * target] if typed else []
        weights = [TYPE_MIX[kind] for kind in kinds]
        lengths = (7, 30, 90, 180, 365) if typed else (30, 90, 180, 365, 730)
        windows = []
        while len(windows) < count:
            kind = self.rng.choices(kinds, weights)[0] if kinds else None
            for attempt in range(60):
                since, until = self.window(first, last, self.rng.choice(lengths) * 2 ** (attempt // 10))
                found = self.box(kind, since, until, target)
                if found is not None:
                    windows.append(found)
                    break
            else:
                raise RuntimeError(f"no window holds {target:,} events of type {kind!r}: use more --rows")
        return windows

    def box(self, kind: str | None, since: date, until: date, target: int) -> Window | None:
        where = "event_date BETWEEN ? AND ?" + (" AND event_type = ?" if kind else "")
        params: list[object] = [since, until, *([kind] if kind else [])]
        total = self.count(where, params)
        if total < target:
            return None
        centre = self.duck.execute(
            f"SELECT longitude, latitude FROM cal WHERE {where} ORDER BY rowid LIMIT 1 OFFSET ?",  # noqa: S608  our own fragments
            [*params, self.rng.randrange(total)],
        ).fetchone()
        assert centre is not None
        lon, lat = centre
        edge = self.duck.execute(
            f"SELECT greatest(abs(longitude - ?), abs(latitude - ?)) AS d FROM cal WHERE {where} "  # noqa: S608  our own fragments
            "ORDER BY d LIMIT 1 OFFSET ?",
            [lon, lat, *params, target - 1],
        ).fetchone()
        assert edge is not None
        bbox = (lon - edge[0], lat - edge[0], lon + edge[0], lat + edge[0])
        inside = self.count(
            where + " AND longitude BETWEEN ? AND ? AND latitude BETWEEN ? AND ?", [*params, *bbox[::2], *bbox[1::2]]
        )
        return Window(bbox, since, until, kind, inside)

    def count(self, where: str, params: list[object]) -> int:
        found = self.duck.execute(f"SELECT count(*) FROM cal WHERE {where}", params).fetchone()  # noqa: S608  our own fragments
        assert found is not None
        return int(found[0])


def event_filter(window: Window) -> Any:
    from ulinzi.incidents.services import EventFilter

    return EventFilter(bbox=window.bbox, since=window.since, until=window.until, event_type=window.event_type)


def timed(action: Callable[[Any], tuple[int, int]], cases: list[Any]) -> Timing:
    """Each case once, after one untimed warm-up run of the first."""
    timing = Timing()
    if cases:
        action(cases[0])
    for case in cases:
        began = time.perf_counter()
        rows, size = action(case)
        timing.seconds.append(time.perf_counter() - began)
        timing.rows.append(rows)
        timing.size.append(size)
    return timing


def report(name: str, timing: Timing, goal_ms: float, unit: str = "rows") -> None:
    rows = timing.rows
    p95 = timing.ms(95)
    line(name, f"p50 {timing.ms(50):7,.1f} ms  p95 {p95:7,.1f} ms", f"p95 ≤ {goal_ms:,.0f} ms", p95 <= goal_ms)
    print(f"  {len(rows)} runs, {min(rows):,}–{max(rows):,} {unit} each, mean {np.mean(rows):,.0f}")


def line(name: str, value: str, goal: str, met: bool | None = None) -> None:
    print(f"{name:<{NAME}} {value:<{VALUE}} {goal:<{GOAL}} {'' if met is None else verdict(met)}".rstrip(), flush=True)


def verdict(met: bool) -> str:
    return "meets" if met else "MISSES"


def duckdb_threads(connection: duckdb.DuckDBPyConnection) -> int:
    found = connection.execute("SELECT current_setting('threads')").fetchone()
    return int(found[0]) if found else 0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
