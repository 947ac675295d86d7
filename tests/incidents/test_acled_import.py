import csv

import pytest

from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents import taxonomy
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.models import Actor, Event
from ulinzi.sources.models import Source

pytestmark = pytest.mark.django_db


def test_every_row_lands_with_pcodes_cells_actors_and_sources(areas, fixtures_dir):
    outcome = import_acled(fixtures_dir / "acled_sample.csv")
    assert (outcome.rows_read, outcome.created, outcome.fatalities) == (5, 5, 10)
    assert outcome.notices == ["extra columns ignored: analyst_comment"]
    first = Event.objects.get(natural_key="acled:TST0001")
    assert (first.adm2_pcode, first.adm1_pcode) == ("XX0101", "")
    assert first.h3_cell is not None
    assert (first.actor1.name, first.actor1.kind, first.actor2.name) == (  # type: ignore[union-attr]
        "Gang A (Haiti)",
        "gang",
        "Police Forces of Haiti (2017-)",
    )
    assert sorted(s.reference for s in first.sources.all()) == ["Outlet One", "Outlet Two"]
    assert Event.objects.get(natural_key="acled:TST0003").inter1 == "Political militias"
    assert str(Event.objects.get(natural_key="acled:TST0004").event_date) == "2024-05-05"
    assert Event.objects.get(natural_key="acled:TST0005").civilian_targeting


def test_totals_match_the_file_and_a_second_import_adds_nothing(areas, fixtures_dir):
    import_acled(fixtures_dir / "acled_sample.csv")
    with (fixtures_dir / "acled_sample.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(e.fatalities for e in Event.objects.all()) == sum(int(r["fatalities"]) for r in rows)
    again = import_acled(fixtures_dir / "acled_sample.csv")
    assert (again.created, again.unchanged) == (0, 5)
    assert (Event.objects.count(), Actor.objects.count(), Source.objects.count()) == (5, 6, 3)


def test_one_bad_row_fails_the_file_with_one_message(areas, fixtures_dir, tmp_path):
    text = (fixtures_dir / "acled_sample.csv").read_text().replace("Grenade", "Pie in the face")
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ImportRejected) as rejected:
        import_acled(path)
    assert [str(e) for e in rejected.value.errors] == [
        "bad.csv:6: sub_event_type: 'Pie in the face' is not a sub-event type of 'Explosions/Remote violence' "
        "(Chemical weapon, Air/drone strike, Suicide bomb, Shelling/artillery/missile attack, "
        "Remote explosive/landmine/IED, Grenade)"
    ]
    assert Event.objects.count() == 0
    rejects = tmp_path / "rejects.csv"
    outcome = import_acled(path, skip_invalid=True, reject_file=rejects)
    assert (outcome.created, len(outcome.rejected)) == (4, 1)
    assert len(rejects.read_text().splitlines()) == 2


def test_a_missing_required_column_is_named(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("event_id_cnty,event_date\nX1,2024-01-01\n")
    with pytest.raises(ImportRejected) as rejected:
        import_acled(path)
    assert {e.field for e in rejected.value.errors} == {
        "event_type",
        "sub_event_type",
        "actor1",
        "latitude",
        "longitude",
        "fatalities",
    }


def test_the_taxonomy_has_acleds_six_event_types():
    assert len(taxonomy.EVENT_TYPES) == 6
    assert sum(len(subs) for subs in taxonomy.EVENT_TYPES.values()) == 25
