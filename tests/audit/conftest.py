"""Fixtures for the audit log's tests: made-up events, and a view of what a test appended."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from ulinzi import dbcompat
from ulinzi.audit.models import AuditEntry
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.models import Event


class Log:
    """The entries appended since the test began (transactional tests elsewhere leave theirs)."""

    def __init__(self) -> None:
        last = AuditEntry.objects.order_by("-sequence").first()
        self.start = last.sequence if last else 0

    def new(self) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(sequence__gt=self.start).order_by("sequence"))


@pytest.fixture
def log(db: None) -> Log:
    return Log()


@pytest.fixture
def events(fixtures_dir: Path, db: None) -> dict[str, Event]:
    """The five made-up ACLED events (P2, confidential, as imported), with TST0004 made public."""
    import_boundaries(fixtures_dir / "three_areas.geojson")
    import_acled(fixtures_dir / "acled_sample.csv")
    Event.objects.filter(natural_key="acled:TST0004").update(sensitivity=0)
    return {event.natural_key.removeprefix("acled:"): event for event in Event.objects.all()}


@contextmanager
def unprotected() -> Iterator[None]:
    """Drop the append-only triggers, to tamper as someone with the database file would.

    Inside the test's transaction, so the triggers come back when it rolls back. The schema editor
    is not entered: entering it on SQLite refuses to run inside a transaction.
    """
    dbcompat.drop_audit_append_only(connection.schema_editor())
    yield
