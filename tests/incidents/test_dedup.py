import datetime as dt

import pytest

from tests.conftest import session_client
from ulinzi.incidents import dedup
from ulinzi.incidents.corrections import split_report
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.hxl.importer import import_hxl
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import Event, EventChange, EventReport

DAY = dt.date(2024, 3, 2)


def report(
    *,
    key: str = "b:1",
    dataset: str = "b",
    day: dt.date = DAY,
    tp: int = 1,
    lat: float = 18.52,
    lon: float = -72.38,
    gp: int = 1,
    kind: str = "Battles",
    actors: tuple[int, ...] = (1,),
) -> dedup.Report:
    return dedup.Report(key, frozenset({dataset}), day, tp, lat, lon, gp, kind, frozenset(actors))


class TestTheRule:
    def test_same_day_same_place_same_actor_matches(self):
        found = dedup.best_match(report(key="a:1", dataset="a"), [report()])
        assert found is not None
        assert (found.key, found.days_apart, found.km_apart) == ("b:1", 0, 0.0)

    @pytest.mark.parametrize(("tp", "days", "matches"), [(1, 1, True), (1, 2, False), (2, 7, True), (3, 31, True)])
    def test_the_date_window_follows_the_coarser_time_precision(self, tp, days, matches):
        old = report(tp=tp, day=DAY + dt.timedelta(days=days))
        assert (dedup.best_match(report(key="a:1", dataset="a"), [old]) is not None) is matches

    @pytest.mark.parametrize(("gp", "km", "matches"), [(1, 1.5, True), (1, 3.0, False), (2, 9.0, True), (3, 25, True)])
    def test_the_distance_follows_the_coarser_geo_precision(self, gp, km, matches):
        old = report(gp=gp, lat=18.52 + km / 111.2)
        assert (dedup.best_match(report(key="a:1", dataset="a"), [old]) is not None) is matches

    def test_types_of_one_family_match_and_others_do_not(self):
        new = report(key="a:1", dataset="a", kind="Violence against civilians")
        assert dedup.best_match(new, [report(kind="Battles")]) is not None
        assert dedup.best_match(new, [report(kind="Protests")]) is None

    def test_named_actors_must_overlap_unless_one_side_names_none(self):
        new = report(key="a:1", dataset="a", actors=(1, 2))
        assert dedup.best_match(new, [report(actors=(3,))]) is None
        assert dedup.best_match(new, [report(actors=(2, 9))]) is not None
        assert dedup.best_match(new, [report(actors=())]) is not None

    def test_a_dataset_never_matches_itself_and_the_closest_candidate_wins(self):
        assert dedup.best_match(report(key="b:2"), [report()]) is None
        near, far = report(key="b:9", lat=18.521), report(key="b:1", day=DAY + dt.timedelta(days=1))
        found = dedup.best_match(report(key="a:1", dataset="a"), [far, near])
        assert found is not None
        assert found.key == "b:9"


@pytest.fixture
def gang_a_aliases(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("name,kind,aliases\nGang A (Haiti),gang,Gang A\n")
    import_actors(path)


@pytest.mark.django_db
class TestImports:
    def test_a_ucdp_row_describing_an_acled_event_becomes_its_report(self, areas, gang_a_aliases, fixtures_dir):
        import_acled(fixtures_dir / "acled_sample.csv")
        outcome = import_ucdp(fixtures_dir / "ucdp_sample.csv")
        assert (outcome.created, outcome.merged) == (1, 1)
        event = Event.objects.get(natural_key="acled:TST0001")
        [merged] = event.reports.all()
        assert (merged.natural_key, merged.dataset, merged.fatalities) == ("ucdp:900001", "ucdp", 3)
        assert merged.match_reason.startswith("0 day(s) and 0.2 km apart")
        assert sorted(s.reference for s in event.sources.all()) == ["Outlet Four", "Outlet One", "Outlet Two"]
        assert [c.action for c in event.changes.all()] == ["merged"]
        again = import_ucdp(fixtures_dir / "ucdp_sample.csv")
        assert (again.created, again.merged, again.unchanged) == (0, 0, 2)

    def test_without_the_alias_the_actors_differ_and_nothing_merges(self, areas, fixtures_dir):
        import_acled(fixtures_dir / "acled_sample.csv")
        assert import_ucdp(fixtures_dir / "ucdp_sample.csv").merged == 0

    def test_a_coalition_matches_its_members_on_the_date(self, areas, fixtures_dir, tmp_path):
        actors = tmp_path / "actors.csv"
        actors.write_text(
            "name,kind,coalition,member_from,member_to\nGang A,gang,Coalition Z,2024-01-01,\n"
            "Gang A (Haiti),gang,Coalition Z,2024-01-01,\n"
        )
        import_actors(actors)
        import_acled(fixtures_dir / "acled_sample.csv")
        assert import_ucdp(fixtures_dir / "ucdp_sample.csv").merged == 1

    def test_one_dataset_reports_an_incident_once(self, areas, gang_a_aliases, fixtures_dir, tmp_path):
        import_ucdp(fixtures_dir / "ucdp_sample.csv")
        lines = (fixtures_dir / "acled_sample.csv").read_text().splitlines()
        twin = lines[1].replace("TST0001", "TST0009")
        path = tmp_path / "acled.csv"
        path.write_text("\n".join([*lines, twin]) + "\n")
        outcome = import_acled(path)
        assert (outcome.created, outcome.merged) == (5, 1)
        assert EventReport.objects.get().natural_key in {"acled:TST0001", "acled:TST0009"}

    def test_hxl_rows_merge_too(self, areas, gang_a_aliases, fixtures_dir):
        import_acled(fixtures_dir / "acled_sample.csv")
        assert import_hxl(fixtures_dir / "hxl_sample.csv").merged == 1
        assert EventReport.objects.get().event.natural_key == "acled:TST0001"


@pytest.mark.django_db
def test_splitting_restores_the_report_as_its_own_event(areas, gang_a_aliases, fixtures_dir, alice):
    import_acled(fixtures_dir / "acled_sample.csv")
    import_ucdp(fixtures_dir / "ucdp_sample.csv")
    report_row = EventReport.objects.get()
    original = report_row.event
    created = split_report(report_row, alice)
    assert (created.natural_key, created.fatalities_low, created.fatalities, created.fatalities_high) == (
        "ucdp:900001",
        2,
        3,
        6,
    )
    assert (created.adm2_pcode, created.actor1.name, created.actor2.name) == ("XX0101", "Gang A (Haiti)", "Gang B")  # type: ignore[union-attr]
    assert sorted(s.reference for s in created.sources.all()) == ["Outlet Four", "Outlet One"]
    assert sorted(s.reference for s in original.sources.all()) == ["Outlet One", "Outlet Two"]
    assert [(c.action, c.by) for c in original.changes.all()] == [("merged", None), ("split", alice)]
    assert [c.action for c in EventChange.objects.filter(event=created)] == ["split_from"]
    assert not EventReport.objects.exists()
    assert import_ucdp(fixtures_dir / "ucdp_sample.csv").unchanged == 2  # never merged again


@pytest.mark.django_db
def test_administrators_split_from_the_admin_and_see_the_history(areas, gang_a_aliases, fixtures_dir, admin):
    import_acled(fixtures_dir / "acled_sample.csv")
    import_ucdp(fixtures_dir / "ucdp_sample.csv")
    client = session_client(admin)
    for page in ("/admin/incidents/event/", "/admin/incidents/eventreport/", "/admin/incidents/eventchange/"):
        assert client.get(page).status_code == 200
    report_row = EventReport.objects.get()
    response = client.post("/admin/incidents/eventreport/", {"action": "split", "_selected_action": [report_row.pk]})
    assert response.status_code == 302
    assert Event.objects.filter(natural_key="ucdp:900001").exists()
    assert not EventReport.objects.exists()
