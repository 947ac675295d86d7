"""Control areas through the store and the API: import, shares, who holds a point, refusals."""

import json
from datetime import date

import pytest

from h3.api import basic_str as h3

from tests.conftest import token_client
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo import territory
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.models import AdminArea, ControlArea
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.models import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def control(fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")
    import_control(fixtures_dir / "control_two_groups.geojson")


def test_claims_land_with_their_actor_validity_and_sources(control):
    assert ControlArea.objects.count() == 2
    south = ControlArea.objects.get(actor__name="Group South")
    assert (south.valid_to, south.sensitivity, south.actor.kind) == (date(2024, 3, 31), 1, "coalition")
    north = ControlArea.objects.get(actor__name="Group North")
    assert [s.reference for s in north.sources.all()] == ["https://example.org/report-1"]


def test_reimporting_a_claim_with_an_end_date_ends_it_in_place(control, fixtures_dir, tmp_path):
    document = json.loads((fixtures_dir / "control_two_groups.geojson").read_text())
    document["features"][0]["properties"]["valid_to"] = "2024-06-30"
    path = tmp_path / "ended.geojson"
    path.write_text(json.dumps(document))
    outcome = import_control(path)
    assert (outcome.created, outcome.updated) == (0, 2)
    assert ControlArea.objects.get(actor__name="Group North").valid_to == date(2024, 6, 30)


def test_share_changes_when_a_claim_ends(control):
    during = territory.share(Viewer.operator(Sensitivity.CONFIDENTIAL), ["XX0101", "XX0102"], date(2024, 2, 15))
    after = territory.share(Viewer.operator(Sensitivity.CONFIDENTIAL), ["XX0101", "XX0102"], date(2024, 4, 1))
    assert during.any_actor.area_share > after.any_actor.area_share > 0
    assert during.contested_km2 > 0
    assert [a.actor for a in after.actors] == ["Group North"]


def test_a_partner_shares_are_computed_without_confidential_claims(control):
    share = territory.share(Viewer.operator(Sensitivity.INTERNAL), ["XX0101", "XX0102"], date(2024, 2, 15))
    assert [a.actor for a in share.actors] == ["Group South"]


def test_bad_features_are_named_and_nothing_is_written(fixtures_dir, tmp_path):
    import_boundaries(fixtures_dir / "three_areas.geojson")
    document = json.loads((fixtures_dir / "control_two_groups.geojson").read_text())
    document["features"][0]["properties"]["valid_from"] = "2024-13-01"
    document["features"][1]["properties"]["valid_to"] = "2024-01-01"
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(document))
    with pytest.raises(ImportRejected) as rejected:
        import_control(path)
    assert [str(error) for error in rejected.value.errors] == [
        "bad.geojson:1: valid_from: '2024-13-01' is not a date (YYYY-MM-DD)",
        "bad.geojson:2: valid_to: 2024-01-01 is before valid_from 2024-02-01",
    ]
    assert (ControlArea.objects.count(), Actor.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("text", "codes"),
    [("XX0101", ["XX0101"]), (" XX0102, XX0101,XX0102 ,", ["XX0102", "XX0101"]), ("X" * 20, ["X" * 20])],
)
def test_an_area_list_is_parsed_in_order_without_repeats(text, codes):
    assert territory.parse_pcodes(text) == codes


@pytest.mark.parametrize(
    "text",
    ["", " , ,", ",".join(f"XX{n:04}" for n in range(51)), "X" * 21, "XX0101," * 200],
)
def test_a_malformed_area_list_is_refused_with_what_is_allowed(text):
    with pytest.raises(territory.BadAreaList, match=r"^area must be 1 to 50 P-codes separated by commas$"):
        territory.parse_pcodes(text)


def add_parent(pcode: str = "XX01") -> None:
    """A level-1 area over the fixture communes (they name XX01 as their parent)."""
    parent = AdminArea.objects.get(pcode="XX0101")
    parent.pk, parent.pcode, parent.level, parent.parent_pcode = None, pcode, 1, ""
    parent.save()


def test_units_are_found_in_two_queries_however_many_areas_are_named(control, django_assert_num_queries):
    add_parent()
    AdminArea.objects.filter(pcode__in=["XX0101", "XX0102"]).update(population=100)
    AdminArea.objects.filter(pcode="XX0103").update(parent_pcode="XX02")
    with django_assert_num_queries(2):
        units = territory.units_for(["XX0103", "XX01"])
    # XX0103 has no children; every child of XX01 has a population, so they stand in for it.
    assert [unit.pcode for unit in units] == ["XX0103", "XX0101", "XX0102"]


def test_a_parent_is_kept_whole_when_a_child_lacks_a_population(control):
    add_parent()
    AdminArea.objects.filter(pcode__in=["XX0101", "XX0102"]).update(population=100)
    assert [unit.pcode for unit in territory.units_for(["XX01"])] == ["XX01"]  # XX0103 has none


def test_an_unknown_area_is_named(control):
    with pytest.raises(territory.UnknownArea, match=r"^not a loaded area: XX9998, XX9999$"):
        territory.units_for(["XX9998", "XX0101", "XX9999"])


def test_the_control_map_on_a_date(alice, control):
    body = token_client(alice).get("/api/geo/control", {"date": "2024-02-15"}).json()
    assert sorted(f["properties"]["actor"] for f in body["features"]) == ["Group North", "Group South"]
    later = token_client(alice).get("/api/geo/control", {"date": "2024-05-01"}).json()
    assert [f["properties"]["actor"] for f in later["features"]] == ["Group North"]


def test_the_share_endpoint_and_its_errors(alice, control):
    client = token_client(alice)
    body = client.get("/api/geo/control/share", {"area": "XX0101,XX0102", "date": "2024-02-15"}).json()
    assert body["any_actor"]["area_share"] == pytest.approx(0.5, abs=0.01)  # -72.40 to -72.36 of 0.08° of width
    assert client.get("/api/geo/control/share", {"area": "XX9999"}).status_code == 422
    refused = client.get("/api/geo/control/share", {"area": ","})
    assert (refused.status_code, refused.json()) == (
        422,
        {"detail": "area must be 1 to 50 P-codes separated by commas"},
    )
    assert client.get("/api/geo/control/series", {"area": "X" * 21, "since": "2024-01-01"}).status_code == 422


def test_the_series_has_a_point_per_change(alice, control):
    body = (
        token_client(alice)
        .get("/api/geo/control/series", {"area": "XX0101,XX0102", "since": "2024-01-01", "until": "2024-12-31"})
        .json()
    )
    assert [point["date"] for point in body] == ["2024-01-01", "2024-02-01", "2024-04-01"]
    assert (
        token_client(alice)
        .get("/api/geo/control/series", {"area": "XX0101", "since": "2024-01-01", "until": "2023-01-01"})
        .status_code
        == 422
    )


def test_who_holds_a_point(alice, control):
    body = (
        token_client(alice).get("/api/geo/control/at", {"lon": "-72.385", "lat": "18.52", "date": "2024-02-15"}).json()
    )
    assert sorted(f["properties"]["actor"] for f in body) == ["Group North", "Group South"]


@pytest.mark.refused("api:geo-control")
def test_the_control_map_hides_confidential_claims_from_partners(anonymous, charlie, control):
    assert anonymous.get("/api/geo/control", {"date": "2024-02-15"}).status_code == 401
    body = token_client(charlie).get("/api/geo/control", {"date": "2024-02-15"}).json()
    assert [f["properties"]["actor"] for f in body["features"]] == ["Group South"]


@pytest.mark.refused("api:geo-control-share")
def test_shares_refuse_anonymous_callers_and_accounts_without_a_role(anonymous, roleless, control):
    assert anonymous.get("/api/geo/control/share", {"area": "XX0101"}).status_code == 401
    assert token_client(roleless).get("/api/geo/control/share", {"area": "XX0101"}).status_code == 403


@pytest.mark.refused("api:geo-control-series")
def test_series_refuse_anonymous_callers_and_accounts_without_a_role(anonymous, roleless, control):
    query = {"area": "XX0101", "since": "2024-01-01"}
    assert anonymous.get("/api/geo/control/series", query).status_code == 401
    assert token_client(roleless).get("/api/geo/control/series", query).status_code == 403


@pytest.mark.refused("api:geo-control-at")
def test_point_control_hides_confidential_claims_from_partners(anonymous, charlie, control):
    query = {"lon": "-72.395", "lat": "18.52", "date": "2024-02-15"}
    assert anonymous.get("/api/geo/control/at", query).status_code == 401
    assert token_client(charlie).get("/api/geo/control/at", query).json() == []


def test_a_claim_can_be_built_from_admin_units_or_h3_cells(fixtures_dir, tmp_path):
    import_boundaries(fixtures_dir / "three_areas.geojson")
    cell = h3.latlng_to_cell(18.52, -72.33, 7)
    features = [
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"actor": "Units", "valid_from": "2024-01-01", "pcodes": ["XX0101", "XX0102"]},
        },
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"actor": "Cells", "valid_from": "2024-01-01", "h3_cells": [cell]},
        },
    ]
    path = tmp_path / "built.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    import_control(path)
    units = ControlArea.objects.get(actor__name="Units")
    assert units.area_km2 == pytest.approx(2 * 18.7, rel=0.03)  # two 0.04° squares
    cells = ControlArea.objects.get(actor__name="Cells")
    assert cells.area_km2 == pytest.approx(h3.cell_area(cell, unit="km^2"), rel=0.02)


def test_unknown_units_and_bad_cells_are_named(fixtures_dir, tmp_path):
    import_boundaries(fixtures_dir / "three_areas.geojson")
    features = [
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"actor": "X", "valid_from": "2024-01-01", "pcodes": ["XX9999"]},
        },
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"actor": "Y", "valid_from": "2024-01-01", "h3_cells": ["not-a-cell"]},
        },
        {"type": "Feature", "geometry": None, "properties": {"actor": "Z", "valid_from": "2024-01-01"}},
    ]
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(ImportRejected) as rejected:
        import_control(path)
    assert [str(error) for error in rejected.value.errors] == [
        "bad.geojson:1: pcodes: 'XX9999' is not a loaded area",
        "bad.geojson:2: h3_cells: 'not-a-cell' is not an H3 cell",
        "bad.geojson:3: geometry: no geometry, and no pcodes or h3_cells to build one from",
    ]
