import pytest

from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.importers.hxl.importer import import_hxl
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import Event

pytestmark = pytest.mark.django_db


def test_ucdp_rows_keep_low_best_high_and_map_violence_types(areas, fixtures_dir):
    outcome = import_ucdp(fixtures_dir / "ucdp_sample.csv")
    assert (outcome.rows_read, outcome.created, outcome.fatalities) == (2, 2, 7)
    assert outcome.notices == ["extra columns ignored: reviewer_note"]
    clash = Event.objects.get(natural_key="ucdp:900001")
    assert (clash.fatalities_low, clash.fatalities, clash.fatalities_high) == (2, 3, 6)
    assert (clash.event_type, clash.sub_event_type, clash.tags) == (
        "Battles",
        "Armed clash",
        "ucdp: non-state conflict",
    )
    assert (clash.actor1.name, clash.actor2.name, clash.adm2_pcode) == ("Gang A", "Gang B", "XX0101")  # type: ignore[union-attr]
    assert sorted(s.reference for s in clash.sources.all()) == ["Outlet Four", "Outlet One"]
    one_sided = Event.objects.get(natural_key="ucdp:900002")
    assert (one_sided.event_type, one_sided.civilian_targeting) == ("Violence against civilians", True)
    assert (one_sided.time_precision, one_sided.geo_precision) == (3, 2)  # within a month; within 25 km
    assert str(one_sided.event_date) == "2024-04-18"
    again = import_ucdp(fixtures_dir / "ucdp_sample.csv")
    assert (again.created, again.unchanged, Event.objects.count()) == (0, 2, 2)


def test_ucdp_range_out_of_order_is_named(tmp_path, fixtures_dir):
    text = (fixtures_dir / "ucdp_sample.csv").read_text().replace(",3,6,2,,,checked", ",3,6,4,,,checked")
    path = tmp_path / "ged.csv"
    path.write_text(text)
    with pytest.raises(ImportRejected) as rejected:
        import_ucdp(path)
    assert [str(e) for e in rejected.value.errors] == [
        "ged.csv:2: best: low 4, best 3, high 6: expected low ≤ best ≤ high"
    ]
    assert Event.objects.count() == 0


def test_hxl_columns_are_found_by_tag_not_header(areas, fixtures_dir):
    outcome = import_hxl(fixtures_dir / "hxl_sample.csv")
    assert (outcome.rows_read, outcome.created, outcome.fatalities) == (3, 3, 4)
    assert outcome.notices == ["extra columns ignored: Internal memo"]
    first = Event.objects.get(natural_key="hxl:HX-1")
    assert (first.fatalities_low, first.fatalities, first.fatalities_high) == (2, 3, 5)
    assert (first.admin1, first.admin2, first.adm2_pcode, first.location) == (
        "Ouest",
        "Alpha",
        "XX0101",
        "Alpha - Marche Neuf",
    )
    assert (first.actor1.name, first.actor2.name) == ("Gang A", "Police Forces of Haiti (2017-)")  # type: ignore[union-attr]
    assert Event.objects.get(natural_key="hxl:HX-2").actor2 is None
    assert import_hxl(fixtures_dir / "hxl_sample.csv").unchanged == 3


def test_hxl_errors_name_the_line_and_the_tag(tmp_path, fixtures_dir):
    text = (fixtures_dir / "hxl_sample.csv").read_text().replace("Mob violence", "Street party")
    path = tmp_path / "sheet.csv"
    path.write_text(text)
    with pytest.raises(ImportRejected) as rejected:
        import_hxl(path)
    [error] = rejected.value.errors
    assert str(error).startswith("sheet.csv:4: #event+type+sub: 'Street party' is not a sub-event type of 'Riots'")
    outcome = import_hxl(path, skip_invalid=True, reject_file=tmp_path / "rejects.csv")
    assert (outcome.created, len(outcome.rejected)) == (2, 1)


def test_hxl_without_a_hashtag_row_or_a_required_tag_is_refused(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("Date,Killed\n2024-01-01,1\n")
    with pytest.raises(ImportRejected) as rejected:
        import_hxl(plain)
    assert rejected.value.errors[0].field == "hashtag row"
    partial = tmp_path / "partial.csv"
    partial.write_text("Date,Killed\n#date,#affected+killed\n2024-01-01,1\n")
    with pytest.raises(ImportRejected) as rejected:
        import_hxl(partial)
    assert {e.field for e in rejected.value.errors} == {
        "event_type",
        "sub_event_type",
        "actor1",
        "latitude",
        "longitude",
    }


def test_hxl_rows_without_ids_are_keyed_by_their_content(areas, tmp_path, fixtures_dir):
    lines = (fixtures_dir / "hxl_sample.csv").read_text().splitlines()
    path = tmp_path / "noid.csv"
    path.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n")
    assert import_hxl(path).created == 3
    assert import_hxl(path).unchanged == 3


def test_an_hxl_range_out_of_order_names_the_best_estimates_tag(tmp_path, fixtures_dir):
    text = (fixtures_dir / "hxl_sample.csv").read_text().replace(",3,2,5,Outlet Five", ",3,4,5,Outlet Five")
    path = tmp_path / "sheet.csv"
    path.write_text(text)
    with pytest.raises(ImportRejected) as rejected:
        import_hxl(path)
    assert [str(e) for e in rejected.value.errors] == [
        "sheet.csv:3: #affected+killed: low 4, best 3, high 5: expected low ≤ best ≤ high"
    ]
