"""Road statuses registered through the API: they close roads to routes until they lapse."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import token_client
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo import roads
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer
from ulinzi.geo.models import RoadSegment, RoadStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(areas, fixtures_dir) -> None:
    """Alpha, Bêta-Ville and Gamma, each linked to the other two."""
    import_gazetteer(fixtures_dir / "gazetteer_three_areas.csv")
    roads.build_coarse_network(neighbours=2)


def segment_id(name: str) -> int:
    return RoadSegment.objects.get(name=name).pk


def register(client: Client, segment: int, **body: object) -> tuple[int, Any]:
    response = client.post(f"/api/geo/roads/{segment}/status", body, content_type="application/json")
    return response.status_code, response.json()


def route(client: Client) -> list[str]:
    return list(client.get("/api/geo/route", {"from": "Alpha", "to": "Gamma"}).json()["segments"])


def statuses(client: Client) -> dict[str, str]:
    features = client.get("/api/geo/roads").json()["features"]
    return {feature["properties"]["name"]: feature["properties"]["status"] for feature in features}


def test_a_registered_barricade_closes_the_road_to_routes(alice, network):
    client = token_client(alice)
    assert route(client) == ["Alpha – Gamma"]
    code, body = register(
        client, segment_id("Alpha – Gamma"), status="barricade", sources="https://example.org/patrol-12"
    )
    assert code == 201
    observed = datetime.fromisoformat(body["observed_at"])
    assert abs(observed - timezone.now()) < timedelta(minutes=1)  # default: now
    assert datetime.fromisoformat(body["expires_at"]) - observed == timedelta(hours=roads.DEFAULT_STATUS_HOURS)
    assert body | {"id": 0, "observed_at": "", "expires_at": ""} == {
        "id": 0,
        "segment_id": segment_id("Alpha – Gamma"),
        "segment": "Alpha – Gamma",
        "status": "barricade",
        "observed_at": "",
        "expires_at": "",
        "note": "",
        "sources": ["https://example.org/patrol-12"],
        "sensitivity": "P2",
    }
    assert statuses(client)["Alpha – Gamma"] == "barricade"
    assert route(client) == ["Alpha – Bêta-Ville", "Bêta-Ville – Gamma"]


def test_an_expired_status_reverts_to_unknown(alice, network):
    client = token_client(alice)
    three_hours_ago = timezone.now() - timedelta(hours=3)
    segment = segment_id("Alpha – Gamma")
    code, _ = register(client, segment, status="flooded", observed_at=three_hours_ago.isoformat(), hours=2)
    assert code == 201
    in_force = roads.statuses_at(Viewer.operator(Sensitivity.CONFIDENTIAL), three_hours_ago + timedelta(hours=1))
    assert in_force == {segment: "flooded"}
    assert statuses(client)["Alpha – Gamma"] == "unknown"
    assert route(client) == ["Alpha – Gamma"]


def test_a_newer_open_status_reopens_the_road(alice, network):
    client = token_client(alice)
    hour_ago = (timezone.now() - timedelta(hours=1)).isoformat()
    register(client, segment_id("Alpha – Gamma"), status="blocked", observed_at=hour_ago)
    assert route(client) != ["Alpha – Gamma"]
    register(client, segment_id("Alpha – Gamma"), status="open", note="cleared by the police")
    assert route(client) == ["Alpha – Gamma"]


def test_a_time_without_offset_is_utc_and_the_label_is_kept(admin, network):
    code, body = register(
        token_client(admin),
        segment_id("Alpha – Gamma"),
        status="illegal_checkpoint",
        observed_at="2024-10-01T08:30:00",
        hours=6,
        sensitivity="P3",
    )
    assert code == 201
    entry = RoadStatus.objects.get(pk=body["id"])
    assert (entry.observed_at, entry.expires_at, entry.sensitivity) == (
        datetime(2024, 10, 1, 8, 30, tzinfo=UTC),
        datetime(2024, 10, 1, 14, 30, tzinfo=UTC),
        3,
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"status": "closed"},
            "status",
            "Input should be 'open', 'blocked', 'barricade', 'illegal_checkpoint', 'flooded' or 'unknown'",
        ),
        ({"status": "blocked", "hours": 0}, "hours", "Input should be greater than or equal to 1"),
        (
            {"status": "blocked", "sensitivity": "P3"},
            "sensitivity",
            "P3 is above your clearance (P2): you could not read it",
        ),
        ({"status": "blocked", "sensitivity": "top"}, "sensitivity", "'top' is not a sensitivity label (P0 to P4)"),
        (
            {"status": "blocked", "observed_at": "2999-01-01T00:00:00Z"},
            "observed_at",
            "2999-01-01T00:00:00+00:00 is in the future",
        ),
        ({"status": "blocked", "note": "a\x00b"}, "note", None),
    ],
    ids=["status", "hours", "above-clearance", "label", "future", "nul"],
)
def test_bad_input_is_a_422_naming_the_field(alice, network, body, field, message):
    code, answer = register(token_client(alice), segment_id("Alpha – Gamma"), **body)
    assert code == 422
    [error] = answer["detail"]
    assert error["loc"] == ["body", "body", field]
    if message is not None:
        assert error["msg"] == message
    assert RoadStatus.objects.count() == 0


def test_an_unknown_segment_is_a_404(alice, network):
    assert register(token_client(alice), 999_999, status="blocked") == (404, {"detail": "Not Found"})


def test_a_commander_may_not_register_a_status(cora, network):
    assert register(token_client(cora), segment_id("Alpha – Gamma"), status="blocked") == (
        403,
        {"detail": "only analysts, monitors and administrators register road statuses"},
    )
    assert RoadStatus.objects.count() == 0


@pytest.mark.refused("api:geo-road-status")
def test_registering_refuses_anonymous_callers_partners_and_accounts_without_a_role(
    anonymous, charlie, roleless, network
):
    segment = segment_id("Alpha – Gamma")
    assert register(anonymous, segment, status="blocked")[0] == 401
    assert register(token_client(charlie), segment, status="blocked", sensitivity="P0")[0] == 403
    assert register(token_client(roleless), segment, status="blocked")[0] == 403
    assert register(token_client(charlie), 999_999, status="blocked")[0] == 403  # before any look-up
    assert RoadStatus.objects.count() == 0
