import pytest

from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.population.importer import import_population
from ulinzi.geo.models import AdminArea
from ulinzi.importing.errors import ImportRejected

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")


def populations() -> dict[str, int | None]:
    return dict(AdminArea.objects.values_list("pcode", "population"))


def test_population_lands_on_each_area_with_its_year(areas, fixtures_dir):
    outcome = import_population(fixtures_dir / "population_three_areas.csv")
    assert (outcome.updated, outcome.year) == (3, 2020)
    assert populations() == {"XX0101": 12000, "XX0102": 8500, "XX0103": 0}
    assert AdminArea.objects.get(pcode="XX0101").population_source == "population_three_areas.csv"
    again = import_population(fixtures_dir / "population_three_areas.csv")
    assert (again.updated, again.unchanged) == (0, 3)


def test_unknown_pcodes_bad_numbers_and_repeats_are_named_and_nothing_is_written(areas, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("pcode,population\nXX0101,100\nXX9999,5\nXX0102,lots\nXX0101,100\n")
    with pytest.raises(ImportRejected) as rejected:
        import_population(path)
    assert [str(error) for error in rejected.value.errors] == [
        "pop.csv:3: pcode: 'XX9999' is not a loaded area",
        "pop.csv:4: population: 'lots' is not a whole number of people",
        "pop.csv:5: pcode: 'XX0101' already given on line 2",
    ]
    assert set(populations().values()) == {None}


def test_a_file_without_the_columns_is_refused(areas, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("name,people\nAlpha,3\n")
    with pytest.raises(ImportRejected) as rejected:
        import_population(path)
    assert [error.field for error in rejected.value.errors] == ["pcode", "population"]


def test_the_real_commune_population_matches_the_boundaries(shared_data):
    import_boundaries(shared_data / "haiti/boundaries/hti_adm2_communes.geojson")
    outcome = import_population(shared_data / "haiti/population/hti_pop2019_adm2_ihsi_unfpa.csv")
    assert (outcome.updated, outcome.year) == (140, 2019)
    assert AdminArea.objects.get(pcode="HT0111").population == 1227540
