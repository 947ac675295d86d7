import json

import pytest

from tests.conftest import token_client
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")


def test_areas_come_back_as_geojson(alice, areas):
    body = token_client(alice).get("/api/geo/areas", {"level": 2}).json()
    assert body["type"] == "FeatureCollection"
    assert sorted(f["properties"]["pcode"] for f in body["features"]) == ["XX0101", "XX0102", "XX0103"]
    assert body["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_an_out_of_range_level_is_a_422(alice, areas):
    assert token_client(alice).get("/api/geo/areas", {"level": 99}).status_code == 422
    assert token_client(alice).get("/api/geo/areas", {"level": "x"}).status_code == 422


def test_levels_list_what_is_loaded(alice, areas):
    assert token_client(alice).get("/api/geo/levels").json() == {"levels": [2]}


@pytest.mark.refused("api:geo-areas")
def test_areas_refuse_anonymous_callers(anonymous, areas):
    response = anonymous.get("/api/geo/areas")
    assert response.status_code == 401
    assert "XX0101" not in response.content.decode()


@pytest.mark.refused("api:geo-areas")
def test_areas_refuse_an_account_without_a_role(roleless, areas):
    assert token_client(roleless).get("/api/geo/areas").status_code == 403


@pytest.mark.refused("api:geo-levels")
def test_levels_refuse_anonymous_callers_and_accounts_without_a_role(anonymous, roleless, areas):
    assert anonymous.get("/api/geo/levels").status_code == 401
    assert token_client(roleless).get("/api/geo/levels").status_code == 403


def test_partners_see_public_boundaries(charlie, areas):
    assert len(token_client(charlie).get("/api/geo/areas").json()["features"]) == 3


def test_a_point_is_located_in_its_areas_with_its_h3_cell(alice, areas):
    body = token_client(alice).get("/api/geo/locate", {"lon": "-72.38", "lat": "18.52"}).json()
    assert [area["pcode"] for area in body["areas"]] == ["XX0101"]
    assert len(body["h3_cell"]) == 15


def test_a_point_outside_every_area_has_none(alice, areas):
    assert token_client(alice).get("/api/geo/locate", {"lon": "10", "lat": "10"}).json()["areas"] == []


def test_impossible_coordinates_are_a_422(alice, areas):
    assert token_client(alice).get("/api/geo/locate", {"lon": 200, "lat": 10}).status_code == 422


@pytest.mark.refused("api:geo-locate")
def test_locate_refuses_anonymous_callers_and_accounts_without_a_role(anonymous, roleless, areas):
    assert anonymous.get("/api/geo/locate", {"lon": "-72.38", "lat": "18.52"}).status_code == 401
    assert token_client(roleless).get("/api/geo/locate", {"lon": "-72.38", "lat": "18.52"}).status_code == 403


@pytest.fixture
def places(fixtures_dir, areas) -> None:
    import_gazetteer(fixtures_dir / "gazetteer_three_areas.csv")
    import_gazetteer(fixtures_dir / "places_three_areas.csv")


def test_geocode_answers_with_ranked_candidates(alice, places):
    body = token_client(alice).get("/api/geo/geocode", {"q": "marche neuf"}).json()
    assert body["ambiguous"] is True
    assert [c["admin_chain"][0] for c in body["candidates"]] == ["XX0101", "XX0102"]
    assert body["candidates"][0]["match"] in {"exact", "compact"}


def test_geocode_validates_its_parameters(alice, places):
    assert token_client(alice).get("/api/geo/geocode", {"q": ""}).status_code == 422
    assert token_client(alice).get("/api/geo/geocode", {"q": "x" * 201}).status_code == 422


@pytest.mark.refused("api:geo-geocode")
def test_geocode_refuses_anonymous_callers_and_accounts_without_a_role(anonymous, roleless, places):
    assert anonymous.get("/api/geo/geocode", {"q": "Alpha"}).status_code == 401
    assert token_client(roleless).get("/api/geo/geocode", {"q": "Alpha"}).status_code == 403


def test_low_zooms_get_coarser_geometry(alice, shared_data):
    import_boundaries(shared_data / "haiti/boundaries/hti_adm2_communes.geojson")
    client = token_client(alice)

    def vertices(query: dict[str, str]) -> int:
        body = client.get("/api/geo/areas", query).json()
        return sum(len(json.dumps(f["geometry"]["coordinates"])) for f in body["features"])

    assert vertices({"level": "2", "zoom": "7"}) < vertices({"level": "2", "zoom": "12"}) <= vertices({"level": "2"})
    assert client.get("/api/geo/areas", {"zoom": "40"}).status_code == 422
