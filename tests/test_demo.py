import csv
from datetime import date

import pytest

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.demo import create_demo_admin, load_demo, needs_demo
from ulinzi.forces import services
from ulinzi.forces.models import Movement
from ulinzi.geo.models import AdminArea
from ulinzi.incidents.actor_store import ActorStore
from ulinzi.incidents.models import Event

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_timeline_communes_and_the_founding_article(shared_data):
    assert needs_demo()
    report = load_demo(shared_data)
    assert report.missing == []
    assert AdminArea.objects.filter(level=2).count() == 140
    first = Movement.objects.get(contributor__iso2="KE", date=date(2024, 6, 25))
    assert sorted((r.personnel, r.preferred) for r in first.reports.all()) == [(200, True), (400, False)]
    january = Movement.objects.get(contributor__iso2="KE", date=date(2025, 1, 18))
    assert sorted(r.personnel for r in january.reports.all()) == [200, 217]
    assert any("Founding article" in s.reference for s in january.reports.get(personnel=200).sources.all())


def test_the_total_on_5_january_2025_is_the_sum_of_earlier_movements(shared_data):
    load_demo(shared_data)
    snapshot = services.snapshot(Viewer.operator(Sensitivity.PUBLIC), date(2025, 1, 5))
    with (shared_data / "haiti/timeline/mss_timeline.csv").open(newline="") as handle:
        earlier = sum(
            int(row["personnel_arrived"])
            for row in csv.DictReader(handle)
            if row["event_type"] in {"arrival", "departure"} and row["date"] <= "2025-01-05"
        )
    assert snapshot.total == earlier == 590
    assert snapshot.ceiling is None
    assert services.snapshot(Viewer.operator(Sensitivity.PUBLIC), date(2025, 10, 1)).ceiling == 5550


def test_kenya_rises_in_mid_2024_and_early_2025(shared_data):
    load_demo(shared_data)
    kenya = {c.on: c.delta for c in services.changes(Viewer.operator(Sensitivity.PUBLIC)) if c.country == "KE"}
    assert kenya == {date(2024, 6, 25): 200, date(2024, 7, 16): 200, date(2025, 1, 18): 217, date(2025, 2, 6): 144}


def test_loading_twice_changes_nothing(shared_data):
    load_demo(shared_data)
    before = Movement.objects.count()
    load_demo(shared_data)
    assert Movement.objects.count() == before


def test_a_missing_data_folder_is_said_plainly(tmp_path):
    report = load_demo(tmp_path)
    assert any("not found" in line for line in report.missing)
    assert Movement.objects.count() == 2  # the founding article's two movements still load


def test_the_demo_admin_is_created_once_with_a_random_password():
    account = create_demo_admin()
    assert account is not None and len(account.password) >= 20
    assert create_demo_admin() is None
    assert not needs_demo()


def test_the_demo_has_illustrative_events_labelled_as_such_and_actors_with_aliases(shared_data):
    load_demo(shared_data)
    events = Event.objects.all()
    assert events.count() == 120
    assert set(events.values_list("sensitivity", flat=True)) == {int(Sensitivity.INTERNAL)}
    assert all(note.startswith("ILLUSTRATIVE") for note in events.values_list("notes", flat=True))
    assert events.exclude(adm2_pcode="").count() == 120  # every point lies in a loaded commune
    assert ActorStore().get("Viv Ansam").name == "Viv Ansanm"
    load_demo(shared_data)
    assert Event.objects.count() == 120
