"""Every difference between SQLite and PostgreSQL lives in this module.

Other modules never branch on ``connection.vendor``; a test enforces it. Keeping the branches
here means the day we add PostGIS-specific paths we know exactly where to look.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import dj_database_url
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import DateField, DateTimeField, F, Func, Model, Q, TextField, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from ulinzi.incidents.taxonomy import EVENT_TYPES

# Durable and concurrent SQLite: WAL keeps readers off the writer's back, synchronous=FULL keeps
# committed transactions through power loss, IMMEDIATE avoids "database is locked" on lock
# upgrades (docs/operations.md, "Durability").
SQLITE_PRAGMAS: dict[str, str] = {
    "journal_mode": "wal",
    "synchronous": "2",
    "foreign_keys": "1",
    "busy_timeout": "5000",
}
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000"
)
POSTGRES_SETTINGS: dict[str, str] = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
}


def database_config(url: str) -> dict[str, Any]:
    """Turn ``ULINZI_DATABASE_URL`` into a Django ``DATABASES`` entry with our engine options."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"init_command": SQLITE_INIT_COMMAND, "transaction_mode": "IMMEDIATE"}
    elif engine == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ValueError(f"unsupported database engine {engine!r}: use sqlite:// or postgres://")
    return config


@dataclass(frozen=True)
class DurabilityProblem:
    setting: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.setting} is {self.actual!r}, expected {self.expected!r}"


def durability_problems(alias: str = "default") -> list[DurabilityProblem]:
    """Compare the live connection's durability settings with what we require."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return _sqlite_problems(cursor, connection)
        if connection.vendor == "postgresql":
            problems = []
            for setting, expected in POSTGRES_SETTINGS.items():
                cursor.execute(f"SHOW {setting}")  # names come from our own constant
                actual = str(cursor.fetchone()[0])
                if actual != expected:
                    problems.append(DurabilityProblem(setting, expected, actual))
            return problems
    return []


def _sqlite_problems(cursor: Any, connection: BaseDatabaseWrapper) -> list[DurabilityProblem]:
    in_memory = bool(getattr(connection, "is_in_memory_db", lambda: False)())
    problems = []
    for pragma, expected in SQLITE_PRAGMAS.items():
        if pragma == "journal_mode" and in_memory:
            continue  # an in-memory database (the test suite's) has no journal file to keep
        cursor.execute(f"PRAGMA {pragma}")  # names come from our own constant
        actual = str(cursor.fetchone()[0]).lower()
        if actual != expected:
            problems.append(DurabilityProblem(pragma, expected, actual))
    return problems


def _is_datetime_column(model: type[Model], column: str) -> bool:
    field = next((f for f in model._meta.concrete_fields if f.column == column), None)
    return isinstance(field, DateTimeField)


def _is_date_column(model: type[Model], column: str) -> bool:
    field = next((f for f in model._meta.concrete_fields if f.column == column), None)
    return isinstance(field, DateField) and not isinstance(field, DateTimeField)


def insert_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert plain rows in one ``executemany``, skipping the ORM's per-field SQL compilation.

    For bulk imports only: the caller gives database-ready values in ``columns`` order (dates as
    ``date`` objects are adapted here; times aware, or naive in UTC, which both backends read as
    UTC because Django runs every connection in UTC). PostgreSQL gets the rows through ``COPY``.
    Measured in bench/events_store.py.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    adapt = connection.ops.adapt_datefield_value
    dated = [index for index, column in enumerate(columns) if _is_date_column(model, column)]
    timed = [index for index, column in enumerate(columns) if _is_datetime_column(model, column)]
    prepared: Sequence[Sequence[Any]] = rows
    if dated or (timed and connection.vendor != "postgresql"):
        # SQLite stores aware times as naive UTC text, as the ORM writes them; COPY takes them as they are.
        adapt_time = connection.ops.adapt_datetimefield_value
        adapted = [list(row) for row in rows]
        for cells in adapted:
            for index in dated:
                cells[index] = adapt(cells[index])
            if connection.vendor != "postgresql":
                for index in timed:
                    cells[index] = adapt_time(cells[index])
        prepared = adapted
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams rows without a statement per row: several times faster than executemany.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
            return
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)  # noqa: S608  names are quoted identifiers from the model


# SQLite answers "events in this box and these days" from a 3-D R*Tree over (lon, lat, day),
# kept in step with the events table by triggers; a B-tree on one of the three columns must scan
# every row matching that column alone (docs/architecture.md, "Spatial filtering"). PostgreSQL
# plans the same filter well from B-trees, so it needs nothing extra here.
# The fourth dimension is the event type's position in ACLED's taxonomy, so a box holding 1k
# events of a rare type does not read every other type's events in the same box first.
_KIND = (
    "CASE {0} "
    + " ".join(f"WHEN '{kind}' THEN {number}" for number, kind in enumerate(EVENT_TYPES))
    + f" ELSE {len(EVENT_TYPES)} END"
)
_RTREE_VALUES = (
    "{0}.id, {0}.longitude, {0}.longitude, {0}.latitude, {0}.latitude, julianday({0}.event_date), "
    "julianday({0}.event_date), " + _KIND.format("{0}.event_type") + ", " + _KIND.format("{0}.event_type")
)
_EVENT_RTREE_INSERT_TRIGGER = (
    "CREATE TRIGGER incidents_event_rtree_insert AFTER INSERT ON incidents_event BEGIN "  # noqa: S608  constants only
    "INSERT INTO incidents_event_rtree VALUES (" + _RTREE_VALUES.format("NEW") + "); END"
)
_EVENT_RTREE_SQL = (
    "CREATE VIRTUAL TABLE incidents_event_rtree USING rtree("
    "id, min_lon, max_lon, min_lat, max_lat, min_day, max_day, min_kind, max_kind)",
    "INSERT INTO incidents_event_rtree SELECT " + _RTREE_VALUES.format("incidents_event") + " FROM incidents_event",  # noqa: S608  constants only
    _EVENT_RTREE_INSERT_TRIGGER,
    "CREATE TRIGGER incidents_event_rtree_update AFTER UPDATE OF longitude, latitude, event_date, event_type "  # noqa: S608  constants only
    "ON incidents_event BEGIN DELETE FROM incidents_event_rtree WHERE id = NEW.id; "
    "INSERT INTO incidents_event_rtree VALUES (" + _RTREE_VALUES.format("NEW") + "); END",
    "CREATE TRIGGER incidents_event_rtree_delete AFTER DELETE ON incidents_event BEGIN "
    "DELETE FROM incidents_event_rtree WHERE id = OLD.id; END",
)
_EVENT_RTREE_DROP_SQL = (
    "DROP TRIGGER IF EXISTS incidents_event_rtree_insert",
    "DROP TRIGGER IF EXISTS incidents_event_rtree_update",
    "DROP TRIGGER IF EXISTS incidents_event_rtree_delete",
    "DROP TABLE IF EXISTS incidents_event_rtree",
)


# PostgreSQL without PostGIS still has geometric points and GiST; migration 0007 indexed each
# event's point, 0011 replaced it (``replace_event_point_index`` says why).
_EVENT_POINT_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS incidents_event_point_gist ON incidents_event USING gist (point(longitude, latitude))"
)
_EVENT_POINT_INDEX_DROP_SQL = "DROP INDEX IF EXISTS incidents_event_point_gist"


def create_event_spatial_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration step: the R*Tree and its triggers on SQLite (PostgreSQL's indexes come later)."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in _EVENT_RTREE_SQL:
            schema_editor.execute(statement)


# With a type filter PostgreSQL does better from a B-tree led by type and date (the point index
# alone: 2.9/8.8 ms p50/p95 against 1.7/4.0 ms on 300k clustered synthetic events); without one,
# from the point index and this together (8.4/18.3 ms against 10.9/28.8 ms). SQLite has the R*Tree.
_EVENT_TYPE_DATE_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS incidents_event_type_date_point "
    "ON incidents_event (event_type, event_date, longitude, latitude)"
)


def add_event_type_date_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        schema_editor.execute(_EVENT_TYPE_DATE_INDEX_SQL)


def drop_event_type_date_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS incidents_event_type_date_point")


def replace_event_point_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """PostgreSQL has no statistics for ``point(lon, lat) <@ box``, so it guessed 300 rows where a
    dense Port-au-Prince box held 21,000 and spent 66 of 81 ms in the point index. On 300k
    clustered synthetic events plain filters over B-trees won every case: typed box + year
    2.9/16.3 ms (p50/p95) against 10.8/69.8; ~2,600 rows untyped 17.6/53.0 against 18.5/117.5."""
    if schema_editor.connection.vendor != "sqlite":
        schema_editor.execute(_EVENT_POINT_INDEX_DROP_SQL)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS incidents_event_date_point ON incidents_event (event_date, longitude, latitude)"
        )


def add_event_point_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration step for stores created before PostgreSQL had the point index."""
    if schema_editor.connection.vendor != "sqlite":
        schema_editor.execute(_EVENT_POINT_INDEX_SQL)


def drop_event_spatial_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in _EVENT_RTREE_DROP_SQL:
            schema_editor.execute(statement)
    else:
        schema_editor.execute(_EVENT_POINT_INDEX_DROP_SQL)


@contextmanager
def events_bulk_indexed(batch_id: int, alias: str = "default") -> Iterator[None]:
    """Inside an import's transaction: insert the batch's events without the per-row triggers,
    then index them and add them to the day totals in one statement each (the R*Tree pass about
    2.5 times faster on SQLite, measured in bench/events_store.py). Everything rolls back with
    the import."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER incidents_event_rtree_insert")
            cursor.execute("DROP TRIGGER incidents_event_total_insert")
        else:
            # a transaction-local setting the trigger reads: no DDL, no lock on the events table
            cursor.execute("SET LOCAL ulinzi.bulk_import = 'on'")
    yield
    with connection.cursor() as cursor:
        cursor.execute(_TOTAL_BATCH.format("batch_id = %s"), [batch_id])
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO incidents_event_rtree SELECT "  # noqa: S608  built from constants only
                + _RTREE_VALUES.format("incidents_event")
                + " FROM incidents_event WHERE batch_id = %s ORDER BY event_date, longitude",
                [batch_id],
            )
            cursor.execute(_EVENT_RTREE_INSERT_TRIGGER)
            cursor.execute(_SQLITE_TOTAL_INSERT_TRIGGER)
        else:
            cursor.execute("SET LOCAL ulinzi.bulk_import = 'off'")


def period_start(period: str, column: str, alias: str = "default") -> Expression:
    """The first day of the day, week (Monday) or month holding each date in ``column``.

    Django's Trunc functions run as a Python function per row on SQLite (about 3 µs each, so
    seconds over a year of a large store); SQLite's own ``date()`` modifiers do it in C.
    """
    if connections[alias].vendor != "sqlite":
        return {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}[period](column)
    modifiers = {"day": (), "week": ("-6 days", "weekday 1"), "month": ("start of month",)}[period]
    return Func(F(column), *(Value(modifier) for modifier in modifiers), function="date", output_field=DateField())


def event_box_filter(
    box: tuple[float, float, float, float],
    since: date | None,
    until: date | None,
    event_type: str | None = None,
    alias: str = "default",
) -> Q | None:
    """A condition selecting the events whose point lies in ``box`` (west, south, east, north) and
    whose date lies in [since, until] through the R*Tree on SQLite; None on PostgreSQL, whose
    B-trees on (type, date, point) and (date, point) answer the plain column filters faster than
    a point index would (see ``replace_event_point_index``). Callers keep the exact column filters
    too: the R*Tree stores 32-bit floats, rounded outwards, so it may let through a few points
    just outside the box."""
    west, south, east, north = box
    if connections[alias].vendor != "sqlite":
        return None
    first_day = _julian_day(since) if since else -1e9
    last_day = _julian_day(until) if until else 1e9
    kinds = list(EVENT_TYPES)
    first_kind, last_kind = (kinds.index(event_type),) * 2 if event_type in kinds else (0, len(kinds))
    subquery = RawSQL(
        "SELECT id FROM incidents_event_rtree WHERE max_lon >= %s AND min_lon <= %s AND max_lat >= %s "
        "AND min_lat <= %s AND max_day >= %s AND min_day <= %s AND max_kind >= %s AND min_kind <= %s",
        (west, east, south, north, first_day, last_day, first_kind, last_kind),
    )
    return Q(pk__in=subquery)


def _julian_day(day: date) -> float:
    """SQLite's ``julianday()`` of a date (its midnight), computed in Python."""
    return day.toordinal() + 1721424.5


# Day totals (``incidents.EventDayTotal``) follow every insert, update and delete of an event
# through triggers, so no write path (the ORM, a bulk update, the admin, raw SQL) can leave them
# stale; imports switch the insert trigger off and add their batch in one grouped statement.
_TOTAL_KEY = "day, adm1_pcode, adm2_pcode, event_type, sensitivity"
_TOTAL_ADD = (
    "INSERT INTO incidents_eventdaytotal (" + _TOTAL_KEY + ", events, fatalities) "
    "VALUES ({0}.event_date, {0}.adm1_pcode, {0}.adm2_pcode, {0}.event_type, {0}.sensitivity, 1, {0}.fatalities) "
    "ON CONFLICT (" + _TOTAL_KEY + ") DO UPDATE SET events = incidents_eventdaytotal.events + 1, "
    "fatalities = incidents_eventdaytotal.fatalities + excluded.fatalities"
)
_TOTAL_REMOVE = (
    "UPDATE incidents_eventdaytotal SET events = events - 1, fatalities = fatalities - {0}.fatalities "
    "WHERE day = {0}.event_date AND adm1_pcode = {0}.adm1_pcode AND adm2_pcode = {0}.adm2_pcode "
    "AND event_type = {0}.event_type AND sensitivity = {0}.sensitivity"
)
_TOTAL_WATCHED = "event_date, adm1_pcode, adm2_pcode, event_type, sensitivity, fatalities"
_TOTAL_BATCH = (
    "INSERT INTO incidents_eventdaytotal (" + _TOTAL_KEY + ", events, fatalities) "
    "SELECT event_date, adm1_pcode, adm2_pcode, event_type, sensitivity, COUNT(*), SUM(fatalities) "
    "FROM incidents_event WHERE {0} GROUP BY event_date, adm1_pcode, adm2_pcode, event_type, sensitivity "
    "ON CONFLICT (" + _TOTAL_KEY + ") DO UPDATE SET events = incidents_eventdaytotal.events + excluded.events, "
    "fatalities = incidents_eventdaytotal.fatalities + excluded.fatalities"
)
_SQLITE_TOTAL_INSERT_TRIGGER = (
    "CREATE TRIGGER incidents_event_total_insert AFTER INSERT ON incidents_event BEGIN "
    + _TOTAL_ADD.format("NEW")
    + "; END"
)
_SQLITE_TOTAL_SQL = (
    _SQLITE_TOTAL_INSERT_TRIGGER,
    "CREATE TRIGGER incidents_event_total_update AFTER UPDATE OF "
    + _TOTAL_WATCHED
    + " ON incidents_event BEGIN "
    + _TOTAL_REMOVE.format("OLD")
    + "; "
    + _TOTAL_ADD.format("NEW")
    + "; END",
    "CREATE TRIGGER incidents_event_total_delete AFTER DELETE ON incidents_event BEGIN "
    + _TOTAL_REMOVE.format("OLD")
    + "; END",
)
_POSTGRES_TOTAL_SQL = (
    "CREATE OR REPLACE FUNCTION incidents_event_total() RETURNS trigger AS $$ BEGIN "
    # An import in progress adds its whole batch at the end (events_bulk_indexed).
    "IF TG_OP = 'INSERT' AND current_setting('ulinzi.bulk_import', true) = 'on' THEN RETURN NULL; END IF; "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN " + _TOTAL_REMOVE.format("OLD") + "; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN " + _TOTAL_ADD.format("NEW") + "; END IF; "
    "RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER incidents_event_total AFTER INSERT OR DELETE OR UPDATE OF "
    + _TOTAL_WATCHED
    + " ON incidents_event FOR EACH ROW EXECUTE FUNCTION incidents_event_total()",
)


def create_event_day_totals(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration step: fill the day totals from the events there are, then keep them by trigger."""
    schema_editor.execute("DELETE FROM incidents_eventdaytotal")
    schema_editor.execute(_TOTAL_BATCH.format("1 = 1"))
    statements = _SQLITE_TOTAL_SQL if schema_editor.connection.vendor == "sqlite" else _POSTGRES_TOTAL_SQL
    for statement in statements:
        schema_editor.execute(statement)


def drop_event_day_totals(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for name in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS incidents_event_total_{name}")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS incidents_event_total ON incidents_event")
        schema_editor.execute("DROP FUNCTION IF EXISTS incidents_event_total()")


def json_object(pairs: Sequence[tuple[str, Any]], *, as_text: bool = False, alias: str = "default") -> Func:
    """A JSON object built by the database from (key, expression) pairs: SQLite's ``json_object``,
    PostgreSQL's ``json_build_object``. With ``as_text``, it leaves the database as text (the
    PostgreSQL driver would decode ``json`` into a dict), so Python only joins it."""
    arguments = [part for key, value in pairs for part in (Value(key), value)]
    if connections[alias].vendor == "sqlite":
        return Func(*arguments, function="json_object", output_field=TextField())
    template = "%(function)s(%(expressions)s)::text" if as_text else "%(function)s(%(expressions)s)"
    return Func(*arguments, function="json_build_object", template=template, output_field=TextField())


def json_array(items: Sequence[Any], alias: str = "default") -> Func:
    sqlite = connections[alias].vendor == "sqlite"
    return Func(*items, function="json_array" if sqlite else "json_build_array", output_field=TextField())


# The audit log is append-only in the database itself, so no write path (the ORM, the admin, a
# bulk update, raw SQL through the app's connection) can edit or remove an entry (issue #7). On
# PostgreSQL a role that owns the table can still drop the triggers: revoke UPDATE, DELETE and
# TRUNCATE from the app's role for a boundary the app cannot cross (docs/security.md).
_AUDIT_REFUSAL = "audit entries are append-only"
_SQLITE_AUDIT_SQL = tuple(
    f"CREATE TRIGGER audit_auditentry_no_{operation.lower()} BEFORE {operation} ON audit_auditentry "
    f"BEGIN SELECT RAISE(ABORT, '{_AUDIT_REFUSAL}'); END"
    for operation in ("UPDATE", "DELETE")
)
_POSTGRES_AUDIT_SQL = (
    "CREATE OR REPLACE FUNCTION audit_auditentry_refuse() RETURNS trigger AS $$ BEGIN "
    f"RAISE EXCEPTION USING MESSAGE = '{_AUDIT_REFUSAL} (' || TG_OP || ' refused)'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse()",
    "CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON audit_auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse()",
)
# One advisory lock for the whole chain; the number only has to be one no other code takes.
_AUDIT_CHAIN_LOCK = 7_300_700_701


def create_audit_append_only(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration step: triggers refusing UPDATE and DELETE (and TRUNCATE on PostgreSQL) of audit entries."""
    statements = _SQLITE_AUDIT_SQL if schema_editor.connection.vendor == "sqlite" else _POSTGRES_AUDIT_SQL
    for statement in statements:
        schema_editor.execute(statement)


def drop_audit_append_only(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Undo ``create_audit_append_only``: for the migration's reverse, and tests that tamper on purpose."""
    if schema_editor.connection.vendor == "sqlite":
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS audit_auditentry_no_{operation}")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_auditentry_refuse()")


def lock_audit_chain(alias: str = "default") -> None:
    """Inside the transaction appending an audit entry: hold the chain until it commits, so two
    writers cannot both read the same last entry and fork the chain. SQLite needs nothing: every
    transaction here begins IMMEDIATE, holding the database's only write lock. PostgreSQL takes a
    transaction-level advisory lock, released at commit or rollback."""
    connection = connections[alias]
    if not connection.in_atomic_block:
        raise RuntimeError("lock_audit_chain must be called inside transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_CHAIN_LOCK])
