"""Every difference between SQLite and PostgreSQL lives in this module.

Other modules never branch on ``connection.vendor``; a test enforces it. Keeping the branches
here means the day we add PostGIS-specific paths we know exactly where to look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import dj_database_url
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

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


def insert_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert plain rows in one ``executemany``, skipping the ORM's per-field SQL compilation.

    For bulk imports only: the caller gives database-ready values in ``columns`` order (dates as
    ``date`` objects are adapted here). Measured in bench/acled_import.py.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    adapt = connection.ops.adapt_datefield_value
    prepared = [tuple(adapt(value) if type(value) is date else value for value in row) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)  # noqa: S608  names are quoted identifiers from the model
