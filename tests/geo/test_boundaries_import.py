import json
from pathlib import Path

import pytest

from ulinzi.geo.importers.boundaries.features import SCHEMAS, load_features
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.models import AdminArea
from ulinzi.importing.errors import ImportRejected


def test_features_carry_pcodes_names_box_and_equal_area_size(fixtures_dir):
    areas, errors = load_features(fixtures_dir / "three_areas.geojson")
    assert errors == []
    alpha = next(area for area in areas if area.pcode == "XX0101")
    assert (alpha.level, alpha.parent_pcode, alpha.name_fr, alpha.name_ht) == (2, "XX01", "Alpha", "Alfa")
    assert alpha.bounds == pytest.approx((-72.40, 18.50, -72.36, 18.54))
    # 0.04° squares at 18.5°N: 4.45 km × 4.22 km
    assert alpha.area_km2 == pytest.approx(18.7, rel=0.02)


def test_an_invalid_polygon_is_repaired_and_said_so(fixtures_dir):
    areas, _ = load_features(fixtures_dir / "three_areas.geojson")
    gamma = next(area for area in areas if area.pcode == "XX0103")
    assert gamma.repaired
    assert gamma.area_km2 > 0


def test_a_file_without_pcode_attributes_is_refused(tmp_path):
    path = tmp_path / "bad.geojson"
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(ImportRejected) as rejected:
        load_features(path)
    assert str(rejected.value.errors[0]) == (
        "bad.geojson:1: properties: no ADMn_PCODE attribute to tell the level from; use --level or --schema"
    )


def test_a_feature_with_an_empty_pcode_is_an_error_not_its_parent(tmp_path, fixtures_dir):
    document = json.loads((fixtures_dir / "three_areas.geojson").read_text())
    document["features"][1]["properties"]["ADM2_PCODE"] = None
    path = tmp_path / "gap.geojson"
    path.write_text(json.dumps(document))
    areas, errors = load_features(path)
    assert [str(error) for error in errors] == ["gap.geojson:2: ADM2_PCODE: empty P-code"]
    assert {area.level for area in areas} == {2}


def test_a_forced_level_is_used_even_when_it_is_zero(fixtures_dir):
    areas, errors = load_features(fixtures_dir / "three_areas.geojson", level=0)
    assert [(area.pcode, area.level) for area in areas] == [("XX", 0)]
    assert [str(error) for error in errors] == [
        "three_areas.geojson:2: ADM0_PCODE: P-code 'XX' repeats feature 1",
        "three_areas.geojson:3: ADM0_PCODE: P-code 'XX' repeats feature 1",
    ]


def test_not_json_is_refused(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    with pytest.raises(ImportRejected) as rejected:
        load_features(path)
    assert str(rejected.value.errors[0]).startswith("broken.geojson:0: file: not valid JSON")


@pytest.mark.django_db
def test_import_then_reimport_updates_in_place(fixtures_dir):
    first = import_boundaries(fixtures_dir / "three_areas.geojson")
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert any("repaired" in notice for notice in first.notices)
    again = import_boundaries(fixtures_dir / "three_areas.geojson")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AdminArea.objects.count() == 3


@pytest.mark.django_db
def test_a_bad_feature_stops_the_whole_file(tmp_path, fixtures_dir):
    document = json.loads((fixtures_dir / "three_areas.geojson").read_text())
    document["features"][1]["geometry"] = {"type": "Polygon", "coordinates": "nonsense"}
    path = tmp_path / "one_bad.geojson"
    path.write_text(json.dumps(document))
    with pytest.raises(ImportRejected) as rejected:
        import_boundaries(path)
    assert rejected.value.errors[0].line == 2
    assert AdminArea.objects.count() == 0


@pytest.mark.django_db
def test_the_real_communes_import_with_plausible_areas(shared_data: Path):
    outcome = import_boundaries(shared_data / "haiti/boundaries/hti_adm2_communes.geojson")
    assert outcome.created == 140
    port_au_prince = AdminArea.objects.get(pcode="HT0111")
    assert port_au_prince.name_fr == "Port-au-Prince"
    assert 30 < port_au_prince.area_km2 < 40  # about 34 km² (data/SOURCES.md)


def schema_file(tmp_path, properties: list[dict[str, object]]):
    def square(x: float) -> list[list[list[float]]]:
        return [[[x, 18.5], [x + 0.04, 18.5], [x + 0.04, 18.54], [x, 18.54], [x, 18.5]]]

    features = [
        {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Polygon", "coordinates": square(-72.4 + i * 0.05)},
        }
        for i, props in enumerate(properties)
    ]
    path = tmp_path / "other.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_geoboundaries_files_are_read_with_their_level_from_shape_type(tmp_path):
    path = schema_file(
        tmp_path,
        [
            {"shapeName": "Alpha", "shapeID": "XYZ-ADM2-1", "shapeGroup": "XYZ", "shapeType": "ADM2"},
            {"shapeName": "Beta", "shapeID": "XYZ-ADM2-2", "shapeGroup": "XYZ", "shapeType": "ADM2"},
        ],
    )
    areas, errors = load_features(path, schema=SCHEMAS["geoboundaries"])
    assert errors == []
    assert [(a.pcode, a.level, a.name_en, a.country_code) for a in areas] == [
        ("XYZ-ADM2-1", 2, "Alpha", "XYZ"),
        ("XYZ-ADM2-2", 2, "Beta", "XYZ"),
    ]


def test_gadm_files_keep_their_parents(tmp_path):
    path = schema_file(tmp_path, [{"GID_0": "HTI", "GID_1": "HTI.1_1", "GID_2": "HTI.1.1_1", "NAME_2": "Un"}])
    (area,) = load_features(path, schema=SCHEMAS["gadm"])[0]
    assert (area.pcode, area.level, area.parent_pcode, area.name_en) == ("HTI.1.1_1", 2, "HTI.1_1", "Un")


@pytest.mark.django_db
def test_the_original_cod_ab_shapefile_imports_like_the_geojson(shared_data):
    shapefile = shared_data / "haiti/boundaries/cod-ab-original/hti_admbnda_adm2_cnigs_20181129.shp"
    outcome = import_boundaries(shapefile)
    assert (outcome.created, outcome.levels) == (140, [2])
    delmas = AdminArea.objects.get(pcode="HT0112")
    assert (delmas.name_fr, delmas.parent_pcode) == ("Delmas", "HT01")
    assert 20 < delmas.area_km2 < 32  # about 26 km² (data/SOURCES.md)


def test_a_shapefile_in_another_projection_is_refused(tmp_path):
    (tmp_path / "utm.prj").write_text('PROJCS["WGS_84_UTM_18N_NOT",GEOGCS["X"]]'.replace("WGS_84", "NAD27"))
    (tmp_path / "utm.shp").write_bytes(b"")
    with pytest.raises(ImportRejected) as rejected:
        load_features(tmp_path / "utm.shp")
    assert rejected.value.errors[0].field == "prj"
