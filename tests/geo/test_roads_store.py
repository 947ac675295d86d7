"""Roads through the store and the API: the coarse network, statuses with expiry, routes, refusals."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from shapely.geometry import shape

from tests.conftest import token_client
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.demo import load_demo
from ulinzi.geo import roads
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer
from ulinzi.geo.models import RoadSegment
from ulinzi.geo.routing import NoRoute, Route
from ulinzi.incidents.models import Actor, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")
    import_gazetteer(fixtures_dir / "gazetteer_three_areas.csv")
    roads.build_coarse_network(neighbours=2)


def segment(name: str) -> RoadSegment:
    return RoadSegment.objects.get(name=name)


def block(name: str, status: str = "blocked", hours: int = 72) -> None:
    roads.register_status(segment(name), status, timezone.now() - timedelta(hours=1), hours=hours)


def test_the_coarse_network_links_communes_and_is_idempotent(network):
    names = set(RoadSegment.objects.values_list("name", flat=True))
    assert names == {"Alpha – Bêta-Ville", "Alpha – Gamma", "Bêta-Ville – Gamma"}
    block("Alpha – Gamma")
    assert roads.build_coarse_network(neighbours=2) == 3
    assert segment("Alpha – Gamma").statuses.count() == 1


def test_a_route_avoids_a_blocked_segment_and_says_so(alice, network):
    client = token_client(alice)
    direct = client.get("/api/geo/route", {"from": "Alpha", "to": "Gamma"}).json()
    assert (direct["found"], direct["segments"]) == (True, ["Alpha – Gamma"])
    block("Alpha – Gamma", "barricade")
    detour = client.get("/api/geo/route", {"from": "Alpha", "to": "Gamma"}).json()
    assert detour["segments"] == ["Alpha – Bêta-Ville", "Bêta-Ville – Gamma"]
    assert detour["avoided"] == [
        {"segment_id": segment("Alpha – Gamma").pk, "segment": "Alpha – Gamma", "reason": "blocked (status barricade)"}
    ]
    assert detour["geometry"]["type"] == "MultiLineString"


def test_no_safe_route_lists_every_closed_way(alice, network):
    block("Alpha – Gamma")
    block("Alpha – Bêta-Ville", "illegal_checkpoint")
    body = token_client(alice).get("/api/geo/route", {"from": "Alpha", "to": "Gamma"}).json()
    assert body["found"] is False
    assert sorted(r["segment"] for r in body["reasons"]) == ["Alpha – Bêta-Ville", "Alpha – Gamma"]


def test_an_expired_status_no_longer_blocks(alice, network):
    block("Alpha – Gamma", hours=1)  # observed an hour ago, valid for an hour: expired now
    assert roads.statuses_at(Viewer.operator(Sensitivity.CONFIDENTIAL), timezone.now()) == {}
    body = token_client(alice).get("/api/geo/route", {"from": "Alpha", "to": "Gamma"}).json()
    assert body["segments"] == ["Alpha – Gamma"]


def test_coordinates_work_as_endpoints_and_bad_ones_are_a_422(alice, network):
    client = token_client(alice)
    assert client.get("/api/geo/route", {"from": "-72.38,18.52", "to": "Gamma"}).json()["found"] is True
    assert client.get("/api/geo/route", {"from": "Nowhere-at-all", "to": "Gamma"}).status_code == 422
    assert client.get("/api/geo/route", {"from": "10,10", "to": "Gamma"}).status_code == 422


def test_the_road_map_shows_current_statuses(alice, network):
    block("Alpha – Gamma", "flooded")
    body = token_client(alice).get("/api/geo/roads").json()
    statuses = {f["properties"]["name"]: f["properties"]["status"] for f in body["features"]}
    assert statuses == {"Alpha – Bêta-Ville": "unknown", "Alpha – Gamma": "flooded", "Bêta-Ville – Gamma": "unknown"}


@pytest.mark.refused("api:geo-roads")
def test_road_statuses_are_hidden_from_partners(anonymous, charlie, network):
    block("Alpha – Gamma")  # confidential (P2) by default
    assert anonymous.get("/api/geo/roads").status_code == 401
    body = token_client(charlie).get("/api/geo/roads").json()
    assert {f["properties"]["status"] for f in body["features"]} == {"unknown"}


@pytest.mark.refused("api:geo-route")
def test_routes_refuse_anonymous_callers_and_accounts_without_a_role(anonymous, roleless, network):
    query = {"from": "Alpha", "to": "Gamma"}
    assert anonymous.get("/api/geo/route", query).status_code == 401
    assert token_client(roleless).get("/api/geo/route", query).status_code == 403


@pytest.mark.slow
def test_port_au_prince_to_mirebalais_on_the_demo_network(shared_data):
    load_demo(shared_data)
    clearance, today = Sensitivity.CONFIDENTIAL, timezone.now().date()
    start, end = roads.endpoint("Port-au-Prince"), roads.endpoint("Mirebalais")
    first = roads.route(Viewer.operator(clearance), start, end, today, [])
    assert isinstance(first, Route)
    taken = RoadSegment.objects.get(pk=first.segments[0].id)
    roads.register_status(taken, "barricade", timezone.now() - timedelta(hours=1))
    detour = roads.route(Viewer.operator(clearance), start, end, today, [])
    assert isinstance(detour, Route)
    assert taken.pk not in {s.id for s in detour.segments}
    for way_out in RoadSegment.objects.filter(name__contains="Port-au-Prince"):
        roads.register_status(way_out, "blocked", timezone.now() - timedelta(hours=1))
    closed = roads.route(Viewer.operator(clearance), start, end, today, [])
    assert isinstance(closed, NoRoute)
    assert {r.segment_name for r in closed.reasons} == set(
        RoadSegment.objects.filter(name__contains="Port-au-Prince").values_list("name", flat=True)
    )


def test_recent_violence_near_the_route_is_weighed_and_reported_to_those_who_may_see_it(cora, charlie, network):
    line = shape(json.loads(segment("Alpha – Gamma").geometry))
    middle = line.interpolate(0.5, normalized=True)
    today = timezone.now().date()
    gang = Actor.objects.create(name="Gang A")
    strict = Sensitivity.STRICTLY_CONFIDENTIAL  # P2 would reach a partner masked, at a displaced point
    for days_ago, label in ((2, strict), (3, strict), (200, Sensitivity.PUBLIC)):
        Event.objects.create(
            natural_key=f"test:{days_ago}",
            event_date=today - timedelta(days=days_ago),
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1=gang,
            latitude=middle.y,
            longitude=middle.x,
            fatalities=2,
            fatalities_low=2,
            fatalities_high=2,
            sensitivity=label,
        )
    # The fixture's coarse links lie on one line, so every way passes the events: the route stays
    # direct (tests/geo/test_routing.py shows a route bending) and reports what it passes.
    wanted: dict[str, str | int] = {"from": "Alpha", "to": "Gamma", "violence_days": 30}
    commander = token_client(cora).get("/api/geo/route", wanted).json()
    assert commander["segments"] == ["Alpha – Gamma"]
    assert commander["exposure"] == [
        {"segment_id": segment("Alpha – Gamma").pk, "segment": "Alpha – Gamma", "events": 2, "fatalities": 4}
    ]
    partner = token_client(charlie).get("/api/geo/route", wanted).json()  # P3 events are not theirs to weigh
    assert partner["exposure"] == []
    year = token_client(cora).get("/api/geo/route", {**wanted, "violence_days": 365}).json()
    assert year["exposure"][0]["events"] == 3
    assert token_client(cora).get("/api/geo/route", {**wanted, "violence_days": 400}).status_code == 422
