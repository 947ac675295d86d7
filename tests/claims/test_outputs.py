"""The claims API and page: what each shows, to whom, and what it records in the audit log.

Every claim below is about commune XX0101 (Alpha) from February 2024 to 26 January 2025; the
partner reads P0 and P1 claims only.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.claims.factories import make_claim, make_event
from tests.conftest import session_client, token_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import AuditEntry
from ulinzi.claims.models import Claim

pytestmark = pytest.mark.django_db

PAGE = "/claims/"


@pytest.fixture
def figures(areas: None) -> dict[str, Claim]:
    """Over 5,000 (P0), about 3,000 (P1) and 5,600 (P2, the marker speaker "Confidential briefer")."""
    make_event(fatalities=10)
    return {
        "public": make_claim(source="https://example.org/over-5000"),
        "internal": make_claim(value=3000.0, qualifier="approx", sensitivity=Sensitivity.INTERNAL),
        "confidential": make_claim(
            value=5600.0, qualifier=None, sensitivity=Sensitivity.CONFIDENTIAL, speaker="Confidential briefer"
        ),
    }


def listed(client: Client, **params: str) -> list[int]:
    response = client.get("/api/claims", params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_the_api_lists_claims_with_their_scope(alice, figures):
    body = token_client(alice).get("/api/claims").json()
    assert body["count"] == 3
    first = body["items"][0]
    assert first["statement"] == "over 5,000 killed in Alpha from 2024-02 to 2025-01-26"
    assert (first["qualifier"], first["area"], first["period_start"], first["period_end"]) == (
        "gt", "XX0101", "2024-02", "2025-01-26",
    )  # fmt: skip
    assert (first["period_first_day"], first["period_last_day"]) == ("2024-02-01", "2025-01-26")
    assert first["source"] == "https://example.org/over-5000"


def test_the_api_filters_by_metric_and_area(alice, figures):
    client = token_client(alice)
    kidnapped = make_claim(metric="kidnapped", value=10.0, area="XX0102")
    assert listed(client, metric="kidnapped") == [kidnapped.pk]
    assert listed(client, area="XX0102") == [kidnapped.pk]
    assert client.get("/api/claims", {"metric": "deaths"}).status_code == 422


def test_a_list_page_with_confidential_claims_is_audited(alice, figures):
    listed(token_client(alice))
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert (entry.actor, entry.object_type, entry.object_ids) == (
        "alice",
        "claims.claim",
        str(figures["confidential"].pk),
    )


@pytest.mark.refused("api:claims-list")
def test_the_list_refuses_outsiders_and_holds_nothing_above_a_partner(anonymous, roleless, charlie, figures):
    assert anonymous.get("/api/claims").status_code == 401
    assert token_client(roleless).get("/api/claims").status_code == 403
    assert listed(token_client(charlie)) == [figures["public"].pk, figures["internal"].pk]
    assert "Confidential briefer" not in token_client(charlie).get("/api/claims").content.decode()


def test_the_detail_carries_the_event_check(alice, figures):
    body = token_client(alice).get(f"/api/claims/{figures['public'].pk}").json()
    check = body["event_check"]
    assert (check["measured"], check["event_total"], check["event_count"], check["share"]) == (True, 10, 1, 0)
    assert check["sentence"] == (
        "Sources say over 5,000 killed in Alpha from 2024-02 to 2025-01-26; events on record sum to 10 "
        "fatalities over 1 event for that period and area (0% of the claim)."
    )
    assert check["caveat"].startswith("The incident store holds only")


@pytest.mark.refused("api:claims-detail")
def test_a_hidden_claim_is_a_404_like_a_missing_one(anonymous, roleless, charlie, figures):
    hidden = figures["confidential"].pk
    assert anonymous.get(f"/api/claims/{hidden}").status_code == 401
    assert token_client(roleless).get(f"/api/claims/{hidden}").status_code == 403
    partner = token_client(charlie)
    assert partner.get(f"/api/claims/{figures['internal'].pk}").status_code == 200
    refused, missing = partner.get(f"/api/claims/{hidden}"), partner.get("/api/claims/999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content


def test_reading_a_confidential_claim_is_audited(alice, figures):
    token_client(alice).get(f"/api/claims/{figures['confidential'].pk}")
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and (entry.action, entry.object_ids, entry.label) == (
        "read", str(figures["confidential"].pk), 2,
    )  # fmt: skip


def test_the_ledger_sets_conflicting_figures_side_by_side(alice, figures):
    [group] = token_client(alice).get("/api/claims/ledger").json()
    assert (group["metric"], group["area"], group["area_name"], group["conflicts"]) == ("killed", "XX0101", "Alpha", 2)
    assert [claim["value"] for claim in group["claims"]] == [3000, 5000, 5600]
    relations = {(pair["first"], pair["second"]): pair["relation"] for pair in group["pairs"]}
    internal, public, confidential = (figures[name].pk for name in ("internal", "public", "confidential"))
    assert relations == {
        (internal, public): "conflict",
        (internal, confidential): "conflict",
        (public, confidential): "agree",
    }
    assert group["claims"][1]["event_check"]["event_total"] == 10


@pytest.mark.refused("api:claims-ledger")
def test_the_ledger_refuses_outsiders_and_holds_nothing_above_a_partner(anonymous, roleless, charlie, figures):
    assert anonymous.get("/api/claims/ledger").status_code == 401
    assert token_client(roleless).get("/api/claims/ledger").status_code == 403
    response = token_client(charlie).get("/api/claims/ledger", {"metric": "killed", "area": "XX0101"})
    [group] = response.json()
    assert [claim["id"] for claim in group["claims"]] == [figures["internal"].pk, figures["public"].pk]
    assert [pair["relation"] for pair in group["pairs"]] == ["conflict"]
    assert "Confidential briefer" not in response.content.decode()


def page_claims(user: User, params: dict[str, str] | None = None) -> list[int]:
    response = session_client(user).get(PAGE, params or {})
    assert response.status_code == 200
    return [int(found) for found in re.findall(r'data-claim="(\d+)"', response.content.decode())]


def test_the_page_shows_figures_in_words_with_their_sources(alice, figures):
    body = session_client(alice).get(PAGE).content.decode()
    assert "<strong>over 5,000</strong>" in body and "<strong>about 3,000</strong>" in body
    assert '<a href="https://example.org/over-5000" rel="noopener noreferrer" target="_blank">' in body
    assert "2 conflicts: figures that cannot both be true." in body
    assert "events on record sum to 10 fatalities over 1 event" in body
    assert '<a href="/claims/" aria-current="page">Claims</a>' in body


def test_the_page_filters_and_refuses_an_unknown_metric(alice, figures):
    assert page_claims(alice, {"metric": "kidnapped"}) == []
    response = session_client(alice).get(PAGE, {"metric": "deaths"})
    assert response.status_code == 400
    assert "&#x27;deaths&#x27; is not a metric" in response.content.decode()


@pytest.mark.refused("claims:ledger")
def test_the_page_refuses_outsiders_and_shows_a_partner_nothing_above_p1(anonymous, roleless, charlie, figures):
    response = anonymous.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={PAGE}")
    assert session_client(roleless).get(PAGE).status_code == 403
    assert page_claims(charlie) == [figures["internal"].pk, figures["public"].pk]
    assert "Confidential briefer" not in session_client(charlie).get(PAGE).content.decode()
