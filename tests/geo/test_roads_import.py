import json
from datetime import date

import pytest

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo import roads
from ulinzi.geo.importers.roads.features import load_lines, split_at_junctions
from ulinzi.geo.importers.roads.importer import import_roads
from ulinzi.geo.models import RoadSegment
from ulinzi.geo.roads import Endpoint
from ulinzi.geo.routing import Route
from ulinzi.importing.errors import ImportRejected


def test_crossing_roads_are_split_at_the_junction_and_keep_their_names(fixtures_dir):
    lines, errors = load_lines(fixtures_dir / "roads_cross.geojson")
    assert errors == []
    pieces = split_at_junctions(lines)
    assert sorted(p.name for p in pieces) == ["RN2", "Route Est", "Route Est", "Rue Nord-Sud", "Rue Nord-Sud"]
    east = [p for p in pieces if p.name == "Route Est"]
    assert {p.ref for p in east} == {"RN9"}
    assert sum(p.length_km for p in east) == pytest.approx(10.55, abs=0.05)  # 0.1° of longitude at 18.5°N


def test_a_feature_that_is_not_a_line_is_refused(tmp_path):
    path = tmp_path / "bad.geojson"
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [0, 0]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    _, errors = load_lines(path)
    assert [str(e) for e in errors] == ["bad.geojson:1: geometry: expected a LineString or MultiLineString"]


@pytest.mark.django_db
def test_imported_roads_route_through_the_junction(fixtures_dir):
    outcome = import_roads(fixtures_dir / "roads_cross.geojson")
    assert (outcome.lines, outcome.created) == (3, 5)
    assert import_roads(fixtures_dir / "roads_cross.geojson").created == 0
    result = roads.route(
        Viewer.operator(Sensitivity.CONFIDENTIAL),
        Endpoint("west", -72.40, 18.52),
        Endpoint("north", -72.35, 18.56),
        date.today(),
        [],
    )
    assert isinstance(result, Route)
    assert [s.name for s in result.segments] == ["Route Est", "Rue Nord-Sud"]


@pytest.mark.django_db
def test_a_bad_file_writes_nothing(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text("{}")
    with pytest.raises(ImportRejected):
        import_roads(path)
    assert RoadSegment.objects.count() == 0
