from datetime import date

import pytest
from django.test import Client

from tests.conftest import session_client, token_client
from tests.factories import make_movement
from ulinzi.accounts.models import ApiToken
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.importers.strength.importer import import_strength

pytestmark = pytest.mark.django_db


@pytest.fixture
def movements() -> None:
    # Internal (P1) is the widest label a partner may read: the partner tests below depend on it.
    make_movement(iso2="KE", on=date(2024, 6, 25), personnel=200, sensitivity=Sensitivity.INTERNAL)
    make_movement(
        iso2="JM", on=date(2024, 9, 12), personnel=24, sensitivity=Sensitivity.CONFIDENTIAL, note="CANARY-CONFIDENTIAL"
    )
    make_movement(
        iso2="GT",
        on=date(2025, 1, 3),
        personnel=75,
        sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL,
        note="CANARY-STRICT",
    )


def test_strength_on_a_date_sums_visible_movements(alice, movements):
    response = token_client(alice).get("/api/forces/strength", {"date": "2025-01-05"})
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2025-01-05"
    assert {c["iso2"]: c["deployed"] for c in body["countries"]} == {"KE": 200, "JM": 24}
    assert body["total"] == 224


def test_a_commander_sees_strictly_confidential_movements(cora, movements):
    body = token_client(cora).get("/api/forces/strength", {"date": "2025-01-05"}).json()
    assert body["total"] == 299


def test_strength_defaults_to_today(alice, movements):
    body = token_client(alice).get("/api/forces/strength").json()
    assert body["total"] == 224


def test_a_bad_date_is_a_422_not_a_500(alice):
    response = token_client(alice).get("/api/forces/strength", {"date": "2025-13-40"})
    assert response.status_code == 422


def test_the_session_works_for_the_browser(alice, movements):
    assert session_client(alice).get("/api/forces/strength").status_code == 200


@pytest.mark.refused("api:forces-strength")
def test_strength_refuses_anonymous_callers(anonymous, movements):
    response = anonymous.get("/api/forces/strength", {"date": "2025-01-05"})
    assert response.status_code == 401
    assert "deployed" not in response.content.decode()


@pytest.mark.refused("api:forces-strength")
def test_strength_refuses_a_bad_token(movements):
    response = Client(headers={"Authorization": "Bearer ulz_not-a-token"}).get("/api/forces/strength")
    assert response.status_code == 401


@pytest.mark.refused("api:forces-strength")
def test_strength_refuses_an_account_without_a_role(roleless, movements):
    assert token_client(roleless).get("/api/forces/strength").status_code == 403


@pytest.mark.refused("api:forces-strength")
def test_strength_for_a_partner_counts_only_public_and_internal_records(charlie, movements):
    body = token_client(charlie).get("/api/forces/strength", {"date": "2025-01-05"}).json()
    assert {c["iso2"]: c["deployed"] for c in body["countries"]} == {"KE": 200}
    assert body["total"] == 200


def test_timeline_gives_cumulative_series(alice, movements):
    body = token_client(alice).get("/api/forces/timeline").json()
    assert body["dates"] == ["2024-06-25", "2024-09-12"]
    assert {s["iso2"]: s["values"] for s in body["series"]} == {"JM": [0, 24], "KE": [200, 200]}
    assert body["total"] == [200, 224]


@pytest.mark.refused("api:forces-timeline")
def test_timeline_refuses_anonymous_and_hides_confidential_series_from_partners(anonymous, charlie, movements):
    assert anonymous.get("/api/forces/timeline").status_code == 401
    body = token_client(charlie).get("/api/forces/timeline").json()
    assert [s["iso2"] for s in body["series"]] == ["KE"]


def test_movements_list_every_report_with_sources(alice, fixtures_dir):
    import_strength(fixtures_dir / "strength_template.csv")
    page = token_client(alice).get("/api/forces/movements").json()
    assert page["count"] == 3
    body = page["items"]
    first = body[0]
    assert (first["date"], first["iso2"], first["counted"]) == ("2024-03-01", "KE", 100)
    assert [(r["personnel"], r["preferred"]) for r in first["reports"]] == [(100, True), (150, False)]
    assert first["reports"][0]["sources"][0]["reference"] == "https://example.org/a"
    departure = next(m for m in body if m["kind"] == "departure")
    assert departure["counted"] == -30


@pytest.mark.refused("api:forces-movements")
def test_movements_never_show_a_partner_confidential_reports(anonymous, charlie, movements):
    assert anonymous.get("/api/forces/movements").status_code == 401
    response = token_client(charlie).get("/api/forces/movements")
    assert response.status_code == 200
    text = response.content.decode()
    assert "CANARY-CONFIDENTIAL" not in text
    assert "CANARY-STRICT" not in text
    assert [m["iso2"] for m in response.json()["items"]] == ["KE"]


def test_an_analyst_does_not_see_strictly_confidential_reports(alice, movements):
    text = token_client(alice).get("/api/forces/movements").content.decode()
    assert "CANARY-CONFIDENTIAL" in text
    assert "CANARY-STRICT" not in text


def test_a_revoked_token_stops_working_at_once(alice, movements):
    client = token_client(alice)
    assert client.get("/api/forces/strength").status_code == 200
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/forces/strength").status_code == 401


def test_movements_are_paginated_and_filtered(alice, fixtures_dir):
    import_strength(fixtures_dir / "strength_template.csv")
    client = token_client(alice)
    page = client.get("/api/forces/movements", {"limit": 1, "offset": 1}).json()
    assert (page["count"], len(page["items"]), page["items"][0]["iso2"]) == (3, 1, "JM")
    kenya = client.get("/api/forces/movements", {"country": "ke"}).json()
    assert [m["date"] for m in kenya["items"]] == ["2024-03-01", "2024-05-01"]
    spring = client.get("/api/forces/movements", {"since": "2024-04-01", "until": "2024-04-30"}).json()
    assert [m["iso2"] for m in spring["items"]] == ["JM"]
    assert client.get("/api/forces/movements", {"limit": -1}).status_code == 422


def test_api_answers_are_never_cached(alice, movements):
    response = token_client(alice).get("/api/forces/strength")
    assert response["Cache-Control"] == "private, no-store"
