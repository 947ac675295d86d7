"""Hostile and malformed input gets a precise refusal on both databases, never a crash or a 500."""

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import session_client, token_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.importers.strength.importer import import_strength
from ulinzi.forces.models import Contingent, MovementReport
from ulinzi.geo.importers.boundaries.features import load_features
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.models import AdminArea
from ulinzi.importing.errors import ImportRejected
from ulinzi.sources.models import Source

pytestmark = pytest.mark.django_db

HEADER = "record,date,country,kind,personnel,sources,contingent,sensitivity\n"


def strength_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "hostile.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def rejected_lines(path: Path) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        import_strength(path)
    return [str(error) for error in rejected.value.errors]


def test_a_nul_byte_is_refused_not_sent_to_the_database(tmp_path):
    path = strength_file(tmp_path, "movement,2024-01-01,KE,arrival,5,ref\x00erence,,P0")
    assert rejected_lines(path) == ["hostile.csv:2: row: contains a NUL character"]
    assert MovementReport.objects.count() == 0


def test_a_far_future_date_is_a_typo(tmp_path):
    path = strength_file(tmp_path, "movement,9999-12-20,KE,arrival,5,ref,,P0")
    assert rejected_lines(path) == ["hostile.csv:2: date: '9999-12-20' is outside 1945–2100"]


def test_non_ascii_digits_are_not_counts(tmp_path):
    path = strength_file(tmp_path, "movement,2024-01-01,KE,arrival,\u0663\u0660,ref,,P0")
    assert rejected_lines(path) == ["hostile.csv:2: personnel: '٣٠' is not a whole number"]


def test_an_overlong_host_name_is_trimmed_to_fit(tmp_path):
    host = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 70 + ".org"
    import_strength(strength_file(tmp_path, f"movement,2024-01-01,KE,arrival,5,https://{host}/x,,P0"))
    assert len(Source.objects.get().publisher) == 200


def test_formula_cells_are_stored_as_text(tmp_path):
    import_strength(strength_file(tmp_path, "movement,2024-01-01,KE,arrival,5,\"=cmd|' /C calc'!A0\",,P0"))
    assert Source.objects.get().reference.startswith("=cmd")


def boundary_file(tmp_path: Path, coordinates: object, **properties: object) -> Path:
    feature = {
        "type": "Feature",
        "properties": {"ADM2_PCODE": "XX0101", "ADM2_FR": "Alpha", **properties},
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }
    path = tmp_path / "hostile.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


@pytest.mark.parametrize(
    "corner",
    [float("inf"), float("nan"), 1e308, 500.0],
    ids=["infinity", "nan", "1e308", "out-of-range"],
)
def test_impossible_coordinates_are_refused_quickly(tmp_path, corner):
    ring = [[[0, 0], [corner, 0], [1, 1], [0, 1], [0, 0]]]
    _, errors = load_features(boundary_file(tmp_path, ring))
    assert [str(error) for error in errors] == [
        "hostile.geojson:1: geometry: coordinates are not WGS84 longitude/latitude"
    ]


def test_an_overlong_pcode_is_refused(tmp_path):
    square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    _, errors = load_features(boundary_file(tmp_path, square, ADM2_PCODE="X" * 500))
    assert [error.field for error in errors] == ["ADM2_PCODE"]


def test_nul_characters_in_names_are_dropped(tmp_path):
    square = [[[0, 0], [0.1, 0], [0.1, 0.1], [0, 0.1], [0, 0]]]
    import_boundaries(boundary_file(tmp_path, square, ADM2_FR="Al\x00pha"))
    assert AdminArea.objects.get().name_fr == "Alpha"


def test_deeply_nested_json_is_refused(tmp_path):
    path = tmp_path / "deep.geojson"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ImportRejected) as rejected:
        load_features(path)
    assert str(rejected.value.errors[0]).startswith("deep.geojson:0: file: not valid JSON")


@pytest.mark.parametrize(
    "query",
    [
        {"offset": "99999999999999999999"},
        {"limit": "1e20"},
        {"limit": "9223372036854775807"},
        {"limit": "0"},
        {"since": "2024-02-30"},
        {"country": "KEN-TOO-LONG"},
    ],
)
def test_odd_list_parameters_are_a_422(alice, query):
    assert token_client(alice).get("/api/forces/movements", query).status_code == 422


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_do_not_break_strength(alice, value):
    assert token_client(alice).get("/api/forces/strength", {"date": value}).status_code == 200


def test_a_confidential_contingent_name_is_hidden_from_partners(charlie, alice, tmp_path):
    import_strength(strength_file(tmp_path, "movement,2024-01-01,KE,arrival,5,ref,Rapid Unit 7,P0"))
    assert Contingent.objects.get().sensitivity == Sensitivity.CONFIDENTIAL
    partner_api = token_client(charlie).get("/api/forces/movements").content.decode()
    partner_page = session_client(charlie).get("/force/").content.decode()
    assert "Rapid Unit 7" not in partner_api
    assert "Rapid Unit 7" not in partner_page
    assert "Rapid Unit 7" in token_client(alice).get("/api/forces/movements").content.decode()


def test_a_departure_shows_as_a_negative_count_on_page_and_api(alice, tmp_path):
    import_strength(
        strength_file(
            tmp_path, "movement,2024-01-01,KE,arrival,50,ref-a,,P0", "movement,2024-02-01,KE,departure,30,ref-b,,P0"
        )
    )
    items = token_client(alice).get("/api/forces/movements").json()["items"]
    assert [item["counted"] for item in items] == [50, -30]
    html = session_client(alice).get("/force/", {"date": date(2024, 3, 1).isoformat()}).content.decode()
    assert '<td class="num">-30</td>' in html
