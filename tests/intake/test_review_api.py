"""``/api/intake/candidates/{id}/accept|reject|merge|suggestions``: statuses for every refusal,
and the review done through the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import token_client
from tests.intake.conftest import SECOND_ACCOUNT, Ingest, candidate
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import issue_token
from ulinzi.incidents.models import Event
from ulinzi.intake.models import Candidate, CandidateStatus

pytestmark = pytest.mark.django_db

THREE_KILLED = {"fatalities": {"low": 3, "best": 3, "high": 3}}
JSON = "application/json"


def post(client: Client, url: str, body: object) -> tuple[int, object]:
    response = client.post(url, body, content_type=JSON)
    return response.status_code, response.json()


def read_only(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user, 'reader')}"})


@pytest.fixture
def attack(areas, take_in: Ingest) -> Candidate:
    return candidate(take_in(url="https://example.org/alpha"), "event", **THREE_KILLED)


REVIEW_OPERATIONS = [
    ("api:intake-candidate-accept", "accept", {"edits": None}),
    ("api:intake-candidate-reject", "reject", {"reason": "not an event at all"}),
    ("api:intake-candidate-merge", "merge", {"event_id": 1}),
]


@pytest.mark.refused("api:intake-candidate-accept")
@pytest.mark.refused("api:intake-candidate-reject")
@pytest.mark.refused("api:intake-candidate-merge")
@pytest.mark.refused("api:intake-candidate-suggestions")
def test_review_refuses_anonymous_callers_partners_and_accounts_without_a_role(anonymous, charlie, roleless, attack):
    base = f"/api/intake/candidates/{attack.pk}"
    for _, action, body in REVIEW_OPERATIONS:
        assert anonymous.post(f"{base}/{action}", body, content_type=JSON).status_code == 401
        assert post(token_client(charlie), f"{base}/{action}", body)[0] == 404  # the queue is not the partner's
        assert post(token_client(roleless), f"{base}/{action}", body)[0] == 403
    assert anonymous.get(f"{base}/suggestions").status_code == 401
    assert token_client(charlie).get(f"{base}/suggestions").status_code == 404
    assert token_client(roleless).get(f"{base}/suggestions").status_code == 403
    attack.refresh_from_db()
    assert attack.status == CandidateStatus.PENDING


def test_a_commander_reads_the_queue_but_may_not_review(cora, attack):
    for _, action, body in REVIEW_OPERATIONS:
        status, answer = post(token_client(cora), f"/api/intake/candidates/{attack.pk}/{action}", body)
        assert status == 403, answer
    assert token_client(cora).get(f"/api/intake/candidates/{attack.pk}/suggestions").status_code == 200


def test_a_read_only_token_may_not_review(alice, attack):
    for _, action, body in REVIEW_OPERATIONS:
        status, answer = post(read_only(alice), f"/api/intake/candidates/{attack.pk}/{action}", body)
        assert status == 403
        assert "only read" in str(answer)
    assert Candidate.objects.get(pk=attack.pk).status == CandidateStatus.PENDING


def test_a_missing_candidate_and_a_hidden_one_are_both_404(alice, areas, take_in: Ingest):
    hidden = candidate(take_in(label=Sensitivity.STRICTLY_CONFIDENTIAL), "claim")
    for pk in (hidden.pk, 999_999):
        assert post(token_client(alice), f"/api/intake/candidates/{pk}/reject", {"reason": "whatever it is"})[0] == 404


def test_an_analyst_edits_and_accepts_an_event_once(alice, attack):
    url = f"/api/intake/candidates/{attack.pk}/accept"
    status, body = post(token_client(alice), url, {"edits": {"fatalities": {"best": 4, "high": 4}}})
    assert status == 200, body
    assert isinstance(body, dict)
    assert (body["outcome_type"], body["candidate"]["status"]) == ("incidents.event", "accepted")
    assert sorted(body["edited"]) == ["fatalities.best", "fatalities.high"]
    assert Event.objects.get(pk=body["outcome_id"]).fatalities == 4
    again, answer = post(token_client(alice), url, {})
    assert again == 409
    assert "already accepted" in str(answer)
    assert Event.objects.count() == 1


def test_a_bad_edit_is_a_422_naming_the_field(alice, attack):
    url = f"/api/intake/candidates/{attack.pk}/accept"
    status, body = post(token_client(alice), url, {"edits": {"date": "19 January"}})
    assert status == 422
    assert isinstance(body, dict)
    assert body["detail"][0]["loc"] == ["body", "edits", "date"]
    assert post(token_client(alice), url, {"edits": {"location": {"lat": 400}}})[0] == 422
    assert post(token_client(alice), url, {"edits": ["not", "an", "object"]})[0] == 422
    assert not Event.objects.exists()


def test_a_rejection_without_a_reason_is_a_422(alice, attack):
    url = f"/api/intake/candidates/{attack.pk}/reject"
    status, body = post(token_client(alice), url, {"reason": "no"})
    assert status == 422
    assert isinstance(body, dict)
    assert body["detail"][0]["loc"] == ["body", "reason"]
    assert post(token_client(alice), url, {})[0] == 422
    status, body = post(token_client(alice), url, {"reason": "the toll is from another attack"})
    assert status == 200
    assert isinstance(body, dict)
    assert (body["candidate"]["status"], body["outcome_id"]) == ("rejected", None)


def test_an_event_candidate_merges_into_a_suggested_event(alice, attack, take_in: Ingest):
    client = token_client(alice)
    created = post(client, f"/api/intake/candidates/{attack.pk}/accept", {})[1]
    assert isinstance(created, dict)
    second = candidate(take_in(SECOND_ACCOUNT, url="https://example.org/second"), "event")
    suggested = client.get(f"/api/intake/candidates/{second.pk}/suggestions").json()
    assert [one["event_id"] for one in suggested] == [created["outcome_id"]]
    assert "compatible type" in suggested[0]["reason"]
    status, body = post(client, f"/api/intake/candidates/{second.pk}/merge", {"event_id": created["outcome_id"]})
    assert status == 200, body
    assert isinstance(body, dict)
    assert (body["candidate"]["status"], body["outcome_id"]) == ("merged", created["outcome_id"])
    missing = candidate(Candidate.objects.get(pk=second.pk).document, "event")
    assert missing.status == "merged"


def test_merging_into_an_event_you_may_not_read_is_a_422_on_event_id(alice, attack):
    status, body = post(token_client(alice), f"/api/intake/candidates/{attack.pk}/merge", {"event_id": 424242})
    assert status == 422
    assert isinstance(body, dict)
    assert body["detail"][0]["loc"] == ["body", "event_id"]
