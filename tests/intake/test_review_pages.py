"""``/intake/`` and ``/intake/candidates/<id>/``: the queue, the highlighted document, the forms."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import session_client
from tests.intake.conftest import ARTICLE, SECOND_ACCOUNT, Ingest, candidate
from ulinzi.accounts.services import issue_token
from ulinzi.incidents.models import Event
from ulinzi.intake.models import Candidate, CandidateStatus, Document

pytestmark = pytest.mark.django_db

THREE_KILLED = {"fatalities": {"low": 3, "best": 3, "high": 3}}
MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


@pytest.fixture
def article(areas, take_in: Ingest) -> Document:
    return take_in(url="https://example.org/alpha")


@pytest.mark.refused("intake:queue")
def test_the_queue_refuses_anonymous_callers_partners_roleless_accounts_and_bare_tokens(
    anonymous, charlie, roleless, alice, article
):
    assert anonymous.get("/intake/").status_code == 302
    assert session_client(charlie).get("/intake/").status_code == 403
    assert session_client(roleless).get("/intake/").status_code == 403
    token = Client(headers={"Authorization": f"Bearer {issue_token(alice, 'reader')}"})
    assert token.get("/intake/").status_code == 302  # pages answer sessions only


@pytest.mark.refused("intake:candidate")
def test_a_candidate_page_is_hidden_from_outsiders_and_refuses_their_posts(anonymous, charlie, roleless, article):
    pending = candidate(article, "claim")
    url = f"/intake/candidates/{pending.pk}/"
    assert anonymous.get(url).status_code == 302
    assert anonymous.post(url, {"action": "reject", "reason": "not for you"}).status_code == 302
    assert session_client(charlie).get(url).status_code == 404
    assert session_client(charlie).post(url, {"action": "reject", "reason": "not for you"}).status_code == 404
    assert session_client(roleless).post(url, {"action": "reject", "reason": "not for you"}).status_code == 403
    assert Candidate.objects.get(pk=pending.pk).status == CandidateStatus.PENDING


def test_the_queue_lists_pending_candidates_by_kind_newest_documents_first(alice, article, take_in: Ingest):
    later = take_in(SECOND_ACCOUNT)
    body = session_client(alice).get("/intake/").content.decode()
    listed = [int(pk) for pk in re.findall(r'data-candidate="(\d+)"', body)]
    assert listed[0] == later.candidates.get().pk
    assert set(listed) == set(Candidate.objects.values_list("pk", flat=True))
    claims = session_client(alice).get("/intake/", {"kind": "claim"}).content.decode()
    assert re.findall(r'data-candidate="(\d+)"', claims) == [str(candidate(article, "claim").pk)]
    assert session_client(alice).get("/intake/", {"kind": "rumour"}).status_code == 400


def test_the_queue_is_paginated_and_leaves_out_reviewed_candidates(alice, article):
    for n in range(30):
        Candidate.objects.create(
            document=article, kind="claim", record={"kind": "claim", "notes": [f"n{n}"]}, confidence=0.5, sensitivity=0
        )
    Candidate.objects.filter(pk=candidate(article, "event", **THREE_KILLED).pk).update(
        status="rejected", reason="a test"
    )
    first = session_client(alice).get("/intake/").content.decode()
    second = session_client(alice).get("/intake/", {"page": 2}).content.decode()
    shown = re.findall(r'data-candidate="(\d+)"', first) + re.findall(r'data-candidate="(\d+)"', second)
    assert len(re.findall(r'data-candidate="(\d+)"', first)) == 25
    pending = Candidate.objects.filter(status="pending").count()
    assert len(shown) == len(set(shown)) == pending == 33
    assert "page 1 of 2" in first


def test_the_page_marks_exactly_the_candidates_evidence_in_the_text(alice, article):
    attack = candidate(article, "event", **THREE_KILLED)
    body = session_client(alice).get(f"/intake/candidates/{attack.pk}/").content.decode()
    assert MARK.findall(body) == [span["text"] for span in attack.record["evidence"]]
    assert 'name="fatalities.best" value="3"' in body
    assert 'name="location.pcode" value="XX0101"' in body
    assert 'value="accept"' in body and 'value="reject"' in body


def test_a_document_holding_markup_is_shown_as_text(alice, areas, take_in: Ingest):
    hostile = ARTICLE.replace("Gangs attack Alpha\n", "Gangs attack Alpha <script>alert(1)</script>\n")
    attack = candidate(take_in(hostile), "event", **THREE_KILLED)
    body = session_client(alice).get(f"/intake/candidates/{attack.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert MARK.findall(body)[0] == "Gang members"


def test_an_analyst_edits_and_accepts_from_the_page_and_the_event_leads_back(alice, article):
    attack = candidate(article, "event", **THREE_KILLED)
    client = session_client(alice)
    url = f"/intake/candidates/{attack.pk}/"
    response = client.post(url, {"action": "accept", "fatalities.best": "4", "fatalities.high": "4"})
    assert response.status_code == 302
    attack.refresh_from_db()
    assert attack.status == CandidateStatus.ACCEPTED
    event = Event.objects.get()
    assert event.fatalities == 4
    again = client.post(url, {"action": "accept"})
    assert again.status_code == 409
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert f"document {article.pk}</a>, spans" in page
    assert "“Gang members”" in page


def test_refusals_on_the_page_name_the_field(alice, cora, article):
    attack = candidate(article, "event", **THREE_KILLED)
    url = f"/intake/candidates/{attack.pk}/"
    client = session_client(alice)
    bad = client.post(url, {"action": "accept", "date": "the 19th"})
    assert bad.status_code == 422
    assert 'data-field="date"' in bad.content.decode()
    assert 'value="the 19th"' in bad.content.decode()
    assert client.post(url, {"action": "reject", "reason": "no"}).status_code == 422
    assert session_client(cora).post(url, {"action": "reject", "reason": "not mine to do"}).status_code == 403
    assert 'value="accept"' not in session_client(cora).get(url).content.decode()
    assert client.post(url, {"action": "reject", "reason": "duplicate of a wire story"}).status_code == 302
    attack.refresh_from_db()
    assert (attack.status, attack.reason) == ("rejected", "duplicate of a wire story")


def test_the_page_offers_the_suggested_events_to_merge_with(alice, article, take_in: Ingest):
    client = session_client(alice)
    first = candidate(article, "event", **THREE_KILLED)
    client.post(f"/intake/candidates/{first.pk}/", {"action": "accept"})
    event = Event.objects.get()
    second = candidate(take_in(SECOND_ACCOUNT), "event")
    page = client.get(f"/intake/candidates/{second.pk}/").content.decode()
    assert f'name="event_id" value="{event.pk}"' in page
    assert (
        client.post(f"/intake/candidates/{second.pk}/", {"action": "merge", "event_id": str(event.pk)}).status_code
        == 302
    )
    second.refresh_from_db()
    assert (second.status, second.outcome) == ("merged", event)


def test_the_review_link_is_shown_to_reviewers_only(alice, cora):
    assert 'href="/intake/"' in session_client(alice).get("/").content.decode()
    assert 'href="/intake/"' not in session_client(cora).get("/").content.decode()
