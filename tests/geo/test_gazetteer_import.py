import pytest

from ulinzi.demo import load_demo
from ulinzi.geo import services
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer
from ulinzi.geo.models import Place, PlaceName
from ulinzi.importing.errors import ImportRejected

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")
    import_gazetteer(fixtures_dir / "gazetteer_three_areas.csv")
    import_gazetteer(fixtures_dir / "places_three_areas.csv")


def test_admin_units_and_places_land_with_names_and_chains(loaded):
    assert Place.objects.filter(kind="admin").count() == 3
    alpha = Place.objects.get(pcode="XX0101")
    assert sorted(alpha.names.values_list("language", "name")) == [("en", "Alpha"), ("fr", "Alpha"), ("ht", "Alfa")]
    market = Place.objects.get(name="Marché Neuf", lon=-72.385)
    assert market.admin_chain == "XX0101"
    assert set(market.names.values_list("name", flat=True)) == {"Marché Neuf", "Mache Nèf", "Marche Neuf"}


def test_reimport_updates_in_place(loaded, fixtures_dir):
    outcome = import_gazetteer(fixtures_dir / "places_three_areas.csv")
    assert (outcome.created, outcome.updated) == (0, 3)
    assert Place.objects.count() == 6


def test_geocoding_through_the_store(loaded):
    result = services.geocode("Mache Nef")
    assert result.candidates[0].entry.place_name == "Marché Neuf"
    assert services.geocode("Marche Neuf").ambiguous
    assert services.geocode("Beta Town").candidates[0].entry.admin_chain[0] == "XX0102"
    assert services.geocode("Alpha - Marche Neuf").candidates[0].entry.lon == -72.385


def test_bad_rows_are_named_and_nothing_is_written(fixtures_dir, tmp_path):
    import_boundaries(fixtures_dir / "three_areas.geojson")
    path = tmp_path / "places.csv"
    path.write_text(
        "name,kind,lat,lon,within\n"
        ",landmark,18.5,-72.3,\n"
        "Somewhere,castle,95,-72.3,\n"
        "Elsewhere,landmark,18.5,-72.3,XX9999\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_gazetteer(path)
    assert [str(error) for error in rejected.value.errors] == [
        "places.csv:2: name: a name is required",
        "places.csv:3: kind: 'castle' is not one of: settlement, neighbourhood, landmark, road",
        "places.csv:3: lat: '95' is outside ±90",
        "places.csv:4: within: 'XX9999' is not a loaded area",
    ]
    assert PlaceName.objects.count() == 0


def test_a_file_of_another_shape_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ImportRejected) as rejected:
        import_gazetteer(path)
    assert str(rejected.value.errors[0]).startswith("other.csv:1: header: not a gazetteer")


@pytest.mark.slow
def test_the_acceptance_names_resolve_on_the_real_gazetteer(shared_data):
    load_demo(shared_data)
    assert services.geocode("Petionville").candidates[0].entry.admin_chain[0] == "HT0114"
    assert services.geocode("Cite Soleil").candidates[0].entry.admin_chain[0] == "HT0117"
    martissant = services.geocode("Port-au-Prince - Martissant").candidates[0]
    assert (martissant.entry.place_name, martissant.entry.admin_chain[0]) == ("Martissant", "HT0111")
    assert services.geocode("Petyonvil").candidates[0].entry.place_name == "Pétion-Ville"
