"""Sensitive text is encrypted at rest under keys outside the database.

The decisive test plants a person's name in an event's notes, a merged source row and a road
status note through the real import command, then reads every byte of the SQLite database and
its WAL: the name must not be there, yet Ulinzi must still give it back to a reader.
"""

from __future__ import annotations

import csv
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.test_cli import run
from ulinzi.encryption import UnreadableField, create_key_file, keys_from, reseal, seal, unseal
from ulinzi.geo.models import RoadSegment, RoadStatus
from ulinzi.incidents.models import Actor, Event, EventReport

CANARY = "Wanjiru Canaryname-Pierre"  # made up; appears nowhere else in the repository
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "field_keys"
    create_key_file(path)
    return path


def test_a_sealed_text_opens_again_and_never_twice_the_same(key_file: Path) -> None:
    with override_settings(FIELD_KEY_FILE=key_file):
        first, second = seal(CANARY), seal(CANARY)
        assert first != second
        assert CANARY not in first
        assert unseal(first) == unseal(second) == CANARY
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_a_new_key_on_top_still_opens_old_values_and_reseals_them(key_file: Path, tmp_path: Path) -> None:
    with override_settings(FIELD_KEY_FILE=key_file):
        old = seal(CANARY)
    rotated = tmp_path / "rotated_keys"
    create_key_file(rotated)
    rotated.write_text(rotated.read_text() + key_file.read_text())
    with override_settings(FIELD_KEY_FILE=rotated):
        assert unseal(old) == CANARY
        fresh = reseal(old)
    only_new = tmp_path / "only_new"
    only_new.write_text(rotated.read_text().splitlines()[0] + "\n")
    with override_settings(FIELD_KEY_FILE=only_new):
        assert unseal(fresh) == CANARY
        with pytest.raises(UnreadableField, match="could not be opened"):
            unseal(old)


def test_a_key_file_without_keys_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("# no key yet\n")
    with pytest.raises(UnreadableField, match="holds no key"):
        keys_from(empty)


@pytest.mark.django_db
def test_the_columns_hold_ciphertext_and_the_models_plain_text(areas: None) -> None:
    actor = Actor.objects.create(name="Gang A (Haiti)")
    event = Event.objects.create(
        natural_key="canary:1", event_date=timezone.now().date(), event_type="Battles", sub_event_type="Armed clash",
        actor1=actor, latitude=18.52, longitude=-72.33, notes=f"Witness {CANARY} saw it",
    )  # fmt: skip
    EventReport.objects.create(
        event=event, natural_key="canary:report", dataset="ucdp", record={"notes": CANARY}, match_reason="test"
    )
    segment = RoadSegment.objects.create(name="road", geometry="{}", length_km=1, natural_key="road")
    now = timezone.now()
    RoadStatus.objects.create(
        segment=segment, status="blocked", observed_at=now, expires_at=now + timedelta(hours=1), note=CANARY
    )
    with connection.cursor() as cursor:
        for table, column in (
            ("incidents_event", "notes"),
            ("incidents_eventreport", "record"),
            ("geo_roadstatus", "note"),
        ):
            cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608  fixed names
            stored = [str(value) for (value,) in cursor.fetchall()]
            assert stored, table
            assert not any(CANARY in value for value in stored), table
    assert CANARY in Event.objects.get().notes
    assert EventReport.objects.get().record == {"notes": CANARY}
    assert RoadStatus.objects.get().note == CANARY
    assert list(Event.objects.filter(notes="").values_list("pk", flat=True)) == []


def planted_file(tmp_path: Path) -> Path:
    """The ACLED sample with the canary in one row's notes."""
    with (FIXTURES / "acled_sample.csv").open(newline="") as source:
        rows = list(csv.DictReader(source))
    rows[0]["notes"] = f"Made-up test event: {CANARY} was named by a witness."
    planted = tmp_path / "planted.csv"
    with planted.open("w", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return planted


@pytest.mark.slow
def test_a_planted_name_is_not_in_the_database_file_but_ulinzi_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "scratch.sqlite3"
    assert run(["migrate"], tmp_path).returncode == 0
    imported = run(["import", "acled", str(planted_file(tmp_path))], tmp_path)
    assert imported.returncode == 0, imported.stderr
    exported = run(["export", "events", "--format", "csv"], tmp_path)
    assert CANARY in exported.stdout  # stored, and readable through Ulinzi
    files = [database, database.with_name(database.name + "-wal")]
    scanned = 0
    for path in files:
        if path.exists():
            content = path.read_bytes()
            scanned += len(content)
            assert CANARY.encode() not in content, path.name
            assert CANARY.encode("utf-16-le") not in content, path.name
    with sqlite3.connect(database) as db:  # the WAL folded into the main file, then read again
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert CANARY.encode() not in database.read_bytes()
    with capsys.disabled():
        print(f"\nencryption: planted name found in 0 of {scanned:,} bytes of database and WAL; export gives it back")  # noqa: T201
    assert (tmp_path / "var" / "field_keys").exists()  # the key sits beside, not inside, the database
