"""The box-and-time filter gives the same answer through SQLite's R*Tree as through plain columns,
and the index follows every way events are written: bulk imports, edits, deletes, failed imports."""

import datetime as dt

import pytest
from django.db import connection

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents import services
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.models import Event

pytestmark = pytest.mark.django_db

ALPHA = (-72.40, 18.50, -72.36, 18.54)  # holds TST0001 (18.52, -72.385) and TST0004 (18.53, -72.39)


def keys(**wanted) -> list[str]:
    found = services.events(Viewer.operator(Sensitivity.CRITICAL), services.EventFilter(**wanted))
    return sorted(found.values_list("natural_key", flat=True))


def indexed_ids() -> set[int] | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM incidents_event_rtree")
        return {row[0] for row in cursor.fetchall()}


def test_box_and_dates_select_the_same_events_as_the_plain_columns(fixtures_dir):
    import_acled(fixtures_dir / "acled_sample.csv")
    assert keys(bbox=ALPHA) == ["acled:TST0001", "acled:TST0004"]
    assert keys(bbox=ALPHA, since=dt.date(2024, 4, 1)) == ["acled:TST0004"]
    assert keys(bbox=ALPHA, until=dt.date(2024, 3, 2)) == ["acled:TST0001"]
    assert keys(bbox=ALPHA, since=dt.date(2024, 3, 3), until=dt.date(2024, 5, 4)) == []
    assert keys(bbox=(-72.386, 18.519, -72.384, 18.521)) == ["acled:TST0001"]  # a box around one point
    assert keys(bbox=ALPHA, event_type="Protests") == ["acled:TST0004"]
    assert keys(bbox=ALPHA, event_type="Riots") == []
    ids = indexed_ids()
    assert ids is None or ids == set(Event.objects.values_list("pk", flat=True))


def test_the_index_follows_edits_and_deletes(fixtures_dir):
    import_acled(fixtures_dir / "acled_sample.csv")
    Event.objects.filter(natural_key="acled:TST0002").update(longitude=-72.38, event_date=dt.date(2024, 3, 3))
    assert keys(bbox=ALPHA, until=dt.date(2024, 3, 3)) == ["acled:TST0001", "acled:TST0002"]
    Event.objects.filter(natural_key="acled:TST0002").update(event_type="Riots", sub_event_type="Mob violence")
    assert keys(bbox=ALPHA, event_type="Riots") == ["acled:TST0002"]
    Event.objects.filter(natural_key="acled:TST0001").delete()
    assert keys(bbox=ALPHA) == ["acled:TST0002", "acled:TST0004"]
    ids = indexed_ids()
    assert ids is None or ids == set(Event.objects.values_list("pk", flat=True))


def test_a_rejected_import_leaves_the_index_and_its_trigger_as_they_were(fixtures_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text((fixtures_dir / "acled_sample.csv").read_text().replace("Grenade", "Confetti"))
    with pytest.raises(ImportRejected):
        import_acled(bad)
    assert indexed_ids() in (None, set())
    import_acled(fixtures_dir / "acled_sample.csv", skip_invalid=False)
    lone = Event.objects.get(natural_key="acled:TST0003")
    lone.pk = None
    lone.natural_key = "manual:1"
    lone.save()
    assert "manual:1" in keys(bbox=(-72.29, 18.51, -72.27, 18.53))
