"""Kill ``ulinzi import acled`` with SIGKILL at random moments, then check the database (issue #7).

An import writes a file's events all or nothing, in one transaction (docs/importing.md). SIGKILL
is the hardest stop there is: no signal handler, no ``finally``, no rollback runs in Python, so
only the database's own atomicity stands between a half-written file and the store. Each trial
copies a migrated template database, starts the import of a generated ACLED-style file as a
subprocess, waits until its write transaction is open, kills it after a random delay drawn
across the write phase an uninterrupted import was measured to take, and checks that

- the database is intact: SQLite's ``integrity_check`` says ok and ``foreign_key_check`` finds
  nothing; PostgreSQL accepts a connection and answers the count queries;
- it holds whole batches only: every table has exactly the rows it had before the import or
  exactly the rows an uninterrupted import leaves (the same events, field for field), each import
  batch owns as many events as it says it created, and no event lacks a batch;
- the day totals kept by triggers equal a GROUP BY over the events, and the triggers the import
  switches off for its duration are all back (SQLite drops two inside its transaction);
- importing the same file again ends with exactly the rows of an uninterrupted import, one more
  batch at most, and no natural key twice.

A kill lands *mid-import* when the process was still running (it exits by SIGKILL, not on its
own), and *mid-write* when, besides, the import's write transaction was open an instant before
the kill (SQLite refused another connection's ``BEGIN IMMEDIATE``, or PostgreSQL showed the
import's session with a transaction id) and never committed.

    .venv/bin/python scripts/crash_import.py --database sqlite --trials 50 --rows 3000 --seed 1
    .venv/bin/python scripts/crash_import.py --database postgres --trials 20

Prints one line per failed check and a summary; exits 1 when any check failed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, LiteralString, Protocol
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from ulinzi.incidents.taxonomy import EVENT_TYPES

ULINZI = Path(sys.executable).with_name("ulinzi")
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/"
TEMPLATE_DATABASE = "ulinzi_crash_template"
BATCH_TABLE = "sources_importbatch"
# Start-up (Python, Django, NumPy, Arrow) takes longer than writing a few thousand rows and varies
# by ±0.4 s on two busy cores, so a delay counted from the process's start misses the write phase
# more often than not. A trial therefore waits until the import's write transaction is open, then
# kills after a delay drawn across the write phase an uninterrupted import took, running on past
# its end by LATEST_KILL so some kills land after the commit or after the process has exited.
LATEST_KILL = 1.1  # × the measured write phase
POLL_SECONDS = 0.01  # while waiting for the write to begin
WATCH_SECONDS = 0.05  # while timing the write: polling steals CPU from it on two busy cores
# A run whose kills mostly missed the write would prove little; below this share it fails.
MIN_MID_WRITE_SHARE = 0.5
DISCONNECT_TIMEOUT = 30.0  # seconds for PostgreSQL to end a killed client's session
IMPORT_TIMEOUT = 300.0  # seconds: a hung import fails its trial rather than hanging the suite

Row = tuple[Any, ...]
Query = Callable[[str], list[Row]]

# Haiti-like places: (commune, department, latitude, longitude); events scatter around them.
PLACES = (
    ("Port-au-Prince", "Ouest", 18.543, -72.339),
    ("Cité Soleil", "Ouest", 18.583, -72.333),
    ("Croix-des-Bouquets", "Ouest", 18.577, -72.226),
    ("Pétion-Ville", "Ouest", 18.512, -72.285),
    ("Carrefour", "Ouest", 18.536, -72.409),
    ("Gonaïves", "Artibonite", 19.447, -72.689),
    ("Saint-Marc", "Artibonite", 19.108, -72.694),
    ("Cap-Haïtien", "Nord", 19.757, -72.204),
    ("Les Cayes", "Sud", 18.193, -73.746),
    ("Jacmel", "Sud-Est", 18.234, -72.535),
)
ACTORS = (
    ("Gang de Village (synthetic)", "Political militias"),
    ("Baz Lakay (synthetic)", "Political militias"),
    ("Lame Plaine (synthetic)", "Political militias"),
    ("Police Forces of Haiti (2017-)", "State forces"),
    ("Brigade de quartier (synthetic)", "Identity militias"),
)
OUTLETS = ("Le Nouvelliste", "AlterPresse", "Haiti Libre", "Radio Kiskeya", "Juno7", "RNDDH", "BINUH")
PEACEFUL = {"Protests", "Strategic developments"}
CSV_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "inter1", "actor2", "inter2", "country", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities",
)  # fmt: skip
FIRST_DAY = date(2022, 1, 1)
DAYS = 4 * 365


def say(line: str) -> None:
    print(line, flush=True)  # noqa: T201  a command-line script reports on stdout


def write_events_csv(path: Path, rows: int, rng: random.Random) -> None:
    """An ACLED export of ``rows`` made-up events around Haitian towns; the seed fixes every byte."""
    kinds = sorted(EVENT_TYPES)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for number in range(1, rows + 1):
            kind = rng.choice(kinds)
            town, department, latitude, longitude = rng.choice(PLACES)
            actor, category = rng.choice(ACTORS)
            day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            deaths = 0 if kind in PEACEFUL else min(int(rng.expovariate(0.6)), 40)
            outlets = "; ".join(rng.sample(OUTLETS, rng.randint(1, 2)))
            writer.writerow(
                (
                    f"CRASH{number:06d}", day.isoformat(), day.year, 1, "Political violence", kind,
                    rng.choice(EVENT_TYPES[kind]), actor, category, "Civilians (Haiti)", "Civilians", "Haiti",
                    department, town, town, f"{latitude + rng.gauss(0, 0.02):.5f}",
                    f"{longitude + rng.gauss(0, 0.02):.5f}", rng.randint(1, 3), outlets, "National",
                    f"Synthetic event {number} near {town}.", deaths,
                )
            )  # fmt: skip


class TrialDatabase(Protocol):
    """One copy of the migrated template, and what only its engine can answer."""

    url: str

    def session(self) -> AbstractContextManager[Query]: ...
    def integrity_problems(self, query: Query) -> list[str]: ...
    def table_names(self, query: Query) -> list[str]: ...
    def trigger_names(self, query: Query) -> set[str]: ...
    def write_transaction_open(self) -> bool: ...
    def settle(self) -> None: ...
    def drop(self) -> None: ...


class Backend(Protocol):
    name: str

    def prepare_template(self, work_dir: Path) -> None: ...
    def create_trial(self, label: str) -> TrialDatabase: ...
    def drop_template(self) -> None: ...
    def leftovers(self) -> list[str]: ...


def ulinzi_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    var_dir.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "ULINZI_DATABASE_URL": database_url, "ULINZI_VAR_DIR": str(var_dir)}


def run_ulinzi(arguments: Sequence[str], database_url: str, var_dir: Path) -> None:
    """Run a ``ulinzi`` command to its end; raises with the tail of its output if it failed."""
    finished = subprocess.run(  # noqa: S603  our own entry point, with arguments we build
        [str(ULINZI), *arguments],
        env=ulinzi_environment(database_url, var_dir),
        capture_output=True,
        text=True,
        check=False,
        timeout=IMPORT_TIMEOUT,
    )
    if finished.returncode != 0:
        output = (finished.stdout + finished.stderr)[-800:]
        raise RuntimeError(f"ulinzi {' '.join(arguments[:2])} exited {finished.returncode}: {output}")


def migrate(database_url: str, work_dir: Path) -> None:
    """Migrate the template; its var dir (a generated secret key, static files) is not needed after."""
    var_dir = work_dir / "template-var"
    try:
        run_ulinzi(["migrate"], database_url, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


class SqliteTrial:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"

    @contextmanager
    def session(self) -> Iterator[Query]:
        with closing(sqlite3.connect(self.path, isolation_level=None)) as connection:
            yield lambda statement: connection.execute(statement).fetchall()

    def integrity_problems(self, query: Query) -> list[str]:
        integrity = [str(row[0]) for row in query("PRAGMA integrity_check")]
        problems = [] if integrity == ["ok"] else [f"integrity_check: {'; '.join(integrity)}"]
        orphans = query("PRAGMA foreign_key_check")
        if orphans:
            problems.append(f"foreign_key_check: {len(orphans)} rows point nowhere, first {orphans[0]}")
        return problems

    def table_names(self, query: Query) -> list[str]:
        """Every table, the R*Tree included but not its shadow tables, whose sizes depend on history."""
        tables = query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        virtual = [name for name, text in tables if str(text).upper().startswith("CREATE VIRTUAL TABLE")]
        return [name for name, _ in tables if not any(name.startswith(f"{table}_") for table in virtual)]

    def trigger_names(self, query: Query) -> set[str]:
        return {str(name) for (name,) in query("SELECT name FROM sqlite_master WHERE type = 'trigger'")}

    def write_transaction_open(self) -> bool:
        """Whether the import holds SQLite's write lock. If the probe gets it instead, it lets go
        at once; the import, should it ask meanwhile, waits out its busy timeout."""
        with closing(sqlite3.connect(self.path, timeout=0, isolation_level=None)) as probe:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            probe.execute("ROLLBACK")
            return False

    def settle(self) -> None:
        """Nothing to wait for: the kernel released the killed process's locks with the process."""

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class SqliteBackend:
    name = "sqlite"

    def __init__(self) -> None:
        self.template: Path | None = None

    def prepare_template(self, work_dir: Path) -> None:
        """Migrate once, then fold the WAL into the main file so one file copy is a whole database."""
        self.template = work_dir / "template.sqlite3"
        migrate(f"sqlite:///{self.template}", work_dir)
        with closing(sqlite3.connect(self.template)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def create_trial(self, label: str) -> SqliteTrial:
        assert self.template is not None, "prepare_template first"
        path = self.template.with_name(f"{label}.sqlite3")
        shutil.copyfile(self.template, path)
        return SqliteTrial(path)

    def drop_template(self) -> None:
        if self.template is not None:
            SqliteTrial(self.template).drop()

    def leftovers(self) -> list[str]:
        return sorted(path.name for path in self.template.parent.glob("*.sqlite3*")) if self.template else []


def database_url(server_url: str, database: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{database}"))


class PostgresTrial:
    def __init__(self, server_url: str, database: str) -> None:
        self.server_url = server_url
        self.database = database
        self.url = database_url(server_url, database)
        self._monitor: psycopg.Connection[Row] | None = None

    @contextmanager
    def session(self) -> Iterator[Query]:
        with psycopg.connect(self.url, autocommit=True) as connection:

            def query(statement: str) -> list[Row]:
                cursor = connection.execute(statement)
                return cursor.fetchall() if cursor.description is not None else []

            yield query

    def integrity_problems(self, query: Query) -> list[str]:
        """A killed client is no server crash: reaching the database and counting is the check."""
        return [] if query("SELECT 1") == [(1,)] else ["PostgreSQL did not answer SELECT 1"]

    def table_names(self, query: Query) -> list[str]:
        return [
            str(name)
            for (name,) in query(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        ]

    def trigger_names(self, query: Query) -> set[str]:
        return {str(name) for (name,) in query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}

    def _sessions(self, condition: LiteralString) -> int:
        """Sessions on the trial database meeting ``condition``, asked from the server's own
        database over one connection kept for the trial (polled every few milliseconds)."""
        if self._monitor is None:
            self._monitor = psycopg.connect(database_url(self.server_url, "postgres"), autocommit=True)
        found = self._monitor.execute(
            sql.SQL("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND {}").format(sql.SQL(condition)),
            [self.database],
        ).fetchone()
        return int(found[0]) if found else 0

    def write_transaction_open(self) -> bool:
        """A session has a transaction id only once its transaction wrote something."""
        return self._sessions("backend_xid IS NOT NULL") > 0

    def settle(self) -> None:
        """Wait until the server has ended the killed client's session: until then a commit it had
        already received may still land, and the checks would race it."""
        deadline = time.monotonic() + DISCONNECT_TIMEOUT
        while self._sessions("TRUE") > 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.database}: the killed import's session did not end")
            time.sleep(0.05)

    def drop(self) -> None:
        if self._monitor is not None:
            self._monitor.close()
            self._monitor = None
        with psycopg.connect(database_url(self.server_url, "postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database)))


class PostgresBackend:
    name = "postgres"

    def __init__(self, server_url: str, template: str = TEMPLATE_DATABASE) -> None:
        self.server_url = server_url
        self.template = template
        self._trial_prefix = f"ulinzi_crash_{os.getpid()}_"

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(database_url(self.server_url, "postgres"), autocommit=True) as admin:
            admin.execute(statement)

    def prepare_template(self, work_dir: Path) -> None:
        self.drop_template()
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))
        migrate(database_url(self.server_url, self.template), work_dir)

    def create_trial(self, label: str) -> PostgresTrial:
        name = f"{self._trial_prefix}{label}".replace("-", "_")
        self._admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(self.template))
        )
        return PostgresTrial(self.server_url, name)

    def drop_template(self) -> None:
        PostgresTrial(self.server_url, self.template).drop()

    def leftovers(self) -> list[str]:
        with psycopg.connect(database_url(self.server_url, "postgres"), autocommit=True) as admin:
            found = admin.execute(
                "SELECT datname FROM pg_database WHERE datname = %s OR starts_with(datname, %s) ORDER BY 1",
                [self.template, self._trial_prefix],
            ).fetchall()
        return [str(name) for (name,) in found]


@dataclass(frozen=True)
class StoreState:
    """What a trial is compared on: rows per table, and a digest of the events by natural key
    (surrogate ids are left out: PostgreSQL does not give back ids a rolled-back import took)."""

    counts: Mapping[str, int]
    events_digest: str

    def differences(self, expected: StoreState) -> list[str]:
        changed = [
            f"{table} {self.counts.get(table)} rows, expected {expected.counts.get(table)}"
            for table in sorted(set(self.counts) | set(expected.counts))
            if self.counts.get(table) != expected.counts.get(table)
        ]
        if self.events_digest != expected.events_digest:
            changed.append("the events differ from an uninterrupted import's")
        return changed

    def with_batches(self, batches: int) -> StoreState:
        return replace(self, counts={**self.counts, BATCH_TABLE: batches})


# Plain columns only: free text such as notes may be stored encrypted, differently on every write.
EVENT_FIELDS = (
    "SELECT e.natural_key, e.event_date, e.event_type, e.sub_event_type, a.name, e.latitude, e.longitude, "
    "e.fatalities, e.sensitivity FROM incidents_event e JOIN incidents_actor a ON a.id = e.actor1_id "
    "ORDER BY e.natural_key"
)
EVENT_SOURCES = (
    "SELECT e.natural_key, s.reference FROM incidents_event_sources l "
    "JOIN incidents_event e ON e.id = l.event_id JOIN sources_source s ON s.id = l.source_id ORDER BY 1, 2"
)


def store_state(trial: TrialDatabase, query: Query) -> StoreState:
    tables = trial.table_names(query)
    counted = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM \"{table}\"" for table in tables)  # noqa: S608  names from the catalog
    digest = hashlib.sha256()
    for row in (*query(EVENT_FIELDS), *query(EVENT_SOURCES)):
        digest.update(repr(tuple(str(value) for value in row)).encode())
    return StoreState({str(table): int(rows) for table, rows in query(counted)}, digest.hexdigest())


def batch_problems(query: Query, rows: int) -> list[str]:
    """Each batch read the whole file and owns exactly the events it says it created."""
    problems = [
        f"batch {batch} read {read} of {rows} rows, says it created {created}, owns {owned} events"
        for batch, read, created, owned in query(
            "SELECT b.id, b.rows_read, b.rows_created, (SELECT COUNT(*) FROM incidents_event e "  # noqa: S608  a constant table name
            f"WHERE e.batch_id = b.id) FROM {BATCH_TABLE} b"
        )
        if read != rows or created != owned
    ]
    orphans = query("SELECT COUNT(*) FROM incidents_event WHERE batch_id IS NULL")[0][0]
    if orphans:
        problems.append(f"{orphans} events belong to no batch")
    return problems


def day_total_problems(query: Query) -> list[str]:
    counted = {
        (str(day), adm1, adm2, kind, label): (int(events), int(deaths))
        for day, adm1, adm2, kind, label, events, deaths in query(
            "SELECT event_date, adm1_pcode, adm2_pcode, event_type, sensitivity, COUNT(*), SUM(fatalities) "
            "FROM incidents_event GROUP BY event_date, adm1_pcode, adm2_pcode, event_type, sensitivity"
        )
    }
    kept = {
        (str(day), adm1, adm2, kind, label): (int(events), int(deaths))
        for day, adm1, adm2, kind, label, events, deaths in query(
            "SELECT day, adm1_pcode, adm2_pcode, event_type, sensitivity, events, fatalities "
            "FROM incidents_eventdaytotal WHERE events <> 0 OR fatalities <> 0"
        )
    }
    if counted == kept:
        return []
    wrong = len(set(counted.items()) ^ set(kept.items()))
    return [f"day totals disagree with the events on {wrong} (day, area, type, label) groups"]


def duplicate_key_problems(query: Query) -> list[str]:
    twice = query("SELECT natural_key FROM incidents_event GROUP BY natural_key HAVING COUNT(*) > 1")
    return [f"{len(twice)} natural keys stored twice, first {twice[0][0]}"] if twice else []


@dataclass(frozen=True)
class Reference:
    """The store before any import and after an uninterrupted one, how long that import took,
    and for how long of it the write transaction was seen open."""

    empty: StoreState
    full: StoreState
    triggers: set[str]
    import_seconds: float
    write_seconds: float


@dataclass
class Trial:
    """One kill: how far into the write it was aimed, where it landed, and what the checks found."""

    number: int
    delay: float
    killed: bool = False
    mid_write: bool = False
    committed: bool = False
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        moment = "mid-write" if self.mid_write else "mid-import" if self.killed else "after the process exited"
        outcome = "the batch had committed" if self.committed else "nothing had committed"
        verdict = f"{len(self.problems)} problems" if self.problems else "ok"
        return (
            f"trial {self.number}: kill {self.delay:.2f} s into the write, {moment}; {outcome}; {verdict} "
            f"({self.seconds:.1f} s)"
        )


@dataclass
class CrashReport:
    """Every trial of a run, and the figures its summary prints."""

    backend: str
    rows: int
    reference: Reference
    trials: list[Trial] = field(default_factory=list)
    seconds: float = 0.0
    left_behind: list[str] = field(default_factory=list)

    @property
    def killed_mid_import(self) -> int:
        return sum(trial.killed for trial in self.trials)

    @property
    def killed_mid_write(self) -> int:
        return sum(trial.mid_write for trial in self.trials)

    @property
    def failures(self) -> list[str]:
        found = [f"trial {trial.number}: {problem}" for trial in self.trials for problem in trial.problems]
        if self.trials and self.killed_mid_write < MIN_MID_WRITE_SHARE * len(self.trials):
            found.append(
                f"only {self.killed_mid_write} of {len(self.trials)} kills landed mid-write: the kill "
                "delays miss the write phase, so the run proves too little"
            )
        if self.left_behind:
            found.append(f"left behind: {', '.join(self.left_behind)}")
        return found

    def summary(self) -> list[str]:
        count = len(self.trials)
        per_trial = statistics.fmean(trial.seconds for trial in self.trials) if self.trials else 0.0
        return [
            f"crash_import: {self.backend} {count} trials, {self.killed_mid_import} killed mid-import "
            f"({self.killed_mid_write} mid-write), {len(self.failures)} failures",
            f"crash_import: {count - self.killed_mid_import} had exited before the kill, "
            f"{sum(trial.killed and trial.committed for trial in self.trials)} killed imports had committed; "
            f"{per_trial:.1f} s a trial, {self.seconds:.0f} s in all; an uninterrupted import of {self.rows} rows "
            f"takes {self.reference.import_seconds:.2f} s, {self.reference.write_seconds:.2f} s of it writing",
        ]


class ImportRunner:
    """Starts ``ulinzi import acled FILE`` against one trial database, with the trial's own var dir."""

    def __init__(self, events_file: Path, work_dir: Path) -> None:
        self.events_file = events_file
        self.work_dir = work_dir

    def start(self, trial: TrialDatabase, label: str) -> subprocess.Popen[bytes]:
        var_dir = self.work_dir / f"{label}-var"
        environment = ulinzi_environment(trial.url, var_dir)
        with (var_dir / "import.log").open("wb") as output:
            return subprocess.Popen(  # noqa: S603  our own entry point, with arguments we build
                [str(ULINZI), "import", "acled", str(self.events_file)],
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def complete(self, trial: TrialDatabase, label: str) -> None:
        run_ulinzi(["import", "acled", str(self.events_file)], trial.url, self.work_dir / f"{label}-var")

    def log_tail(self, label: str) -> str:
        log = self.work_dir / f"{label}-var" / "import.log"
        return log.read_text(errors="replace")[-800:] if log.is_file() else ""

    def discard(self, label: str) -> None:
        shutil.rmtree(self.work_dir / f"{label}-var", ignore_errors=True)


def wait_for_write(
    process: subprocess.Popen[bytes], database: TrialDatabase, *, until_open: bool = True, every: float = POLL_SECONDS
) -> bool:
    """Poll until the import's write transaction is open (or closed again); False if it exited first."""
    while process.poll() is None:
        if database.write_transaction_open() == until_open:
            return True
        time.sleep(every)
    return False


def measure(backend: Backend, runner: ImportRunner, rows: int) -> Reference:
    """Import the file uninterrupted, watching how long its write transaction stays open, and
    record the store before and after."""
    reference = backend.create_trial("reference")
    try:
        with reference.session() as query:
            empty = store_state(reference, query)
            triggers = reference.trigger_names(query)
        started = time.monotonic()
        process = runner.start(reference, "reference")
        write_opened = wait_for_write(process, reference)
        opened_at = time.monotonic()
        wait_for_write(process, reference, until_open=False, every=WATCH_SECONDS)
        write_seconds = time.monotonic() - opened_at
        process.wait(IMPORT_TIMEOUT)
        import_seconds = time.monotonic() - started
        if process.returncode != 0:
            raise RuntimeError(f"an uninterrupted import failed: {runner.log_tail('reference')}")
        with reference.session() as query:
            full = store_state(reference, query)
            problems = [*batch_problems(query, rows), *day_total_problems(query)]
    finally:
        reference.drop()
        runner.discard("reference")
    if problems or full.counts["incidents_event"] != rows:
        raise RuntimeError(f"an uninterrupted import fails the checks itself: {problems or full.counts}")
    if not write_opened:
        raise RuntimeError("the write transaction was too short to watch: import more --rows")
    return Reference(empty, full, triggers, import_seconds, write_seconds)


def check_after_kill(trial: TrialDatabase, reference: Reference, rows: int) -> tuple[bool, list[str]]:
    """Whether the killed import had committed, and what is wrong with what it left."""
    with trial.session() as query:
        problems = trial.integrity_problems(query)
        state = store_state(trial, query)
        committed = state.counts.get("incidents_event") == rows
        expected = reference.full if committed else reference.empty
        problems += [f"after the kill: {difference}" for difference in state.differences(expected)]
        problems += batch_problems(query, rows) + day_total_problems(query)
        if trial.trigger_names(query) != reference.triggers:
            problems.append(f"triggers after the kill: {sorted(trial.trigger_names(query) ^ reference.triggers)}")
    return committed, problems


def check_after_rerun(trial: TrialDatabase, reference: Reference, rows: int, committed: bool) -> list[str]:
    with trial.session() as query:
        problems = trial.integrity_problems(query)
        expected = reference.full.with_batches(reference.full.counts[BATCH_TABLE] + int(committed))
        problems += [f"after the rerun: {difference}" for difference in store_state(trial, query).differences(expected)]
        problems += batch_problems(query, rows) + day_total_problems(query) + duplicate_key_problems(query)
    return problems


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Harness:
    """What every trial of a run shares."""

    backend: Backend
    runner: ImportRunner
    reference: Reference
    rows: int


def run_trial(harness: Harness, trial: Trial) -> None:
    """One trial on its own copy of the template, removed afterwards whatever happened."""
    label = f"trial-{trial.number}"
    started = time.monotonic()
    with ExitStack() as cleanup:
        database = harness.backend.create_trial(label)
        cleanup.callback(database.drop)
        cleanup.callback(harness.runner.discard, label)
        process = harness.runner.start(database, label)
        cleanup.callback(stop, process)
        try:
            kill_and_check(harness, process, database, trial)
        except (RuntimeError, TimeoutError, subprocess.TimeoutExpired, sqlite3.Error, psycopg.Error) as error:
            trial.problems.append(f"{type(error).__name__}: {error}")
    trial.seconds = time.monotonic() - started


def kill_and_check(harness: Harness, process: subprocess.Popen[bytes], database: TrialDatabase, trial: Trial) -> None:
    """Kill the import ``trial.delay`` seconds into its write, check, import again, check again."""
    label = f"trial-{trial.number}"
    runner, reference, rows = harness.runner, harness.reference, harness.rows
    writing_at_kill = False
    if wait_for_write(process, database):
        time.sleep(trial.delay)
        if process.poll() is None:
            writing_at_kill = database.write_transaction_open()
            process.send_signal(signal.SIGKILL)
    trial.killed = process.wait(IMPORT_TIMEOUT) == -signal.SIGKILL
    if process.returncode not in (0, -signal.SIGKILL):
        trial.problems.append(f"the import failed on its own ({process.returncode}): {runner.log_tail(label)}")
        return
    database.settle()
    trial.committed, trial.problems = check_after_kill(database, reference, rows)
    # Open an instant before the kill and never committed: the kill cut the write short. (Open and
    # committed means the commit won the race between the probe and the signal.)
    trial.mid_write = writing_at_kill and trial.killed and not trial.committed
    runner.complete(database, label)
    trial.problems += check_after_rerun(database, reference, rows, trial.committed)


def run_trials(
    backend: Backend,
    trials: int,
    rows: int,
    seed: int,
    work_dir: Path,
    *,
    on_trial: Callable[[Trial], None] | None = None,
) -> CrashReport:
    """Prepare the template, measure an uninterrupted import, then kill ``trials`` imports."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311  reproducible test data and delays, not secrets
    events_file = work_dir / "events.csv"
    write_events_csv(events_file, rows, rng)
    runner = ImportRunner(events_file, work_dir)
    backend.prepare_template(work_dir)
    try:
        reference = measure(backend, runner, rows)
        report = CrashReport(backend.name, rows, reference)
        harness = Harness(backend, runner, reference, rows)
        for number in range(1, trials + 1):
            trial = Trial(number, rng.uniform(0, LATEST_KILL * reference.write_seconds))
            run_trial(harness, trial)
            report.trials.append(trial)
            if on_trial is not None:
                on_trial(trial)
    finally:
        backend.drop_template()
    report.left_behind = backend.leftovers()
    report.seconds = time.monotonic() - started
    return report


def make_backend(name: str, postgres_url: str) -> Backend:
    return SqliteBackend() if name == "sqlite" else PostgresBackend(postgres_url)


def positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return number


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--trials", type=positive, default=50, help="imports to kill (default 50)")
    parser.add_argument("--rows", type=positive, default=3000, help="events in the generated file (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="seeds the file and the kill delays (default 1)")
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES_URL, help=f"the PostgreSQL server (default {DEFAULT_POSTGRES_URL})"
    )
    parser.add_argument("--work-dir", type=Path, help="where files go (default: a temporary directory, removed)")
    parser.add_argument("--verbose", action="store_true", help="print a line per trial")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if not ULINZI.is_file():
        say(f"crash_import: {ULINZI} is missing: run with the virtualenv's python (.venv/bin/python)")
        return 2
    backend = make_backend(arguments.database, arguments.postgres_url)
    with tempfile.TemporaryDirectory(prefix="crash_import-") as scratch:
        work_dir = arguments.work_dir or Path(scratch)
        work_dir.mkdir(parents=True, exist_ok=True)
        show = (lambda trial: say(f"crash_import: {trial}")) if arguments.verbose else None
        report = run_trials(backend, arguments.trials, arguments.rows, arguments.seed, work_dir, on_trial=show)
    for failure in report.failures:
        say(f"crash_import: FAILED {failure}")
    for line in report.summary():
        say(line)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
