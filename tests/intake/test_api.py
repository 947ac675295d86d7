"""``/api/intake/``: what each persona gets, and that outsiders get nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import token_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import AuditEntry
from ulinzi.intake.documents import DocumentText
from ulinzi.intake.extraction.records import Evidence, Record
from ulinzi.intake.models import Candidate, CandidateStatus, Document
from ulinzi.intake.services import ingest

pytestmark = pytest.mark.django_db

ARTICLE = DocumentText(
    text="PORT-AU-PRINCE, Haiti (AP) — Gangs killed 12 people in ARTICLE-CANARY on Sunday.",
    title="Gangs kill 12",
    language="en",
    published=date(2025, 2, 2),
)
NOTE = DocumentText(text="Patrol note: NOTE-CANARY checkpoint moved north.", title="Patrol note", language="fr")


def killed(document: DocumentText, doc_id: str) -> list[Record]:
    start = document.text.find("killed")
    if start < 0:
        return []
    return [Record(doc_id=doc_id, kind="event", evidence=(Evidence(start, start + 6, "killed"),), confidence=0.7)]


@pytest.fixture
def documents() -> dict[str, int]:
    ingest([ARTICLE], extract=killed, label=Sensitivity.PUBLIC)
    ingest([NOTE], label=Sensitivity.CONFIDENTIAL)
    return dict(Document.objects.values_list("title", "pk"))


@pytest.mark.refused("api:intake-documents")
def test_the_document_list_refuses_anonymous_callers_and_shows_a_partner_nothing(anonymous, charlie, documents):
    assert anonymous.get("/api/intake/documents").status_code == 401
    response = token_client(charlie).get("/api/intake/documents")
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.refused("api:intake-documents")
def test_the_document_list_refuses_an_account_without_a_role(roleless, documents):
    assert token_client(roleless).get("/api/intake/documents").status_code == 403


def test_an_analyst_lists_documents_without_their_text_and_filters_by_language(alice, documents):
    client = token_client(alice)
    body = client.get("/api/intake/documents").json()
    assert body["count"] == 2
    assert {item["title"] for item in body["items"]} == {"Gangs kill 12", "Patrol note"}
    assert "CANARY" not in str(body)
    article = next(item for item in body["items"] if item["title"] == "Gangs kill 12")
    assert (article["sensitivity"], article["candidate_count"], article["published"]) == ("P0", 1, "2025-02-02")
    french = client.get("/api/intake/documents", {"language": "fr"}).json()
    assert [item["title"] for item in french["items"]] == ["Patrol note"]


@pytest.mark.refused("api:intake-document")
def test_a_document_is_hidden_from_anonymous_callers_partners_and_roleless_accounts(
    anonymous, charlie, roleless, documents
):
    url = f"/api/intake/documents/{documents['Gangs kill 12']}"
    assert anonymous.get(url).status_code == 401
    assert token_client(charlie).get(url).status_code == 404  # even a public article's copy: the queue is internal
    assert token_client(roleless).get(url).status_code == 403


def test_a_document_shows_its_text_and_candidates_and_its_confidential_read_is_audited(alice, documents):
    client = token_client(alice)
    article = client.get(f"/api/intake/documents/{documents['Gangs kill 12']}").json()
    assert article["text"] == ARTICLE.text
    assert [c["record"]["evidence"] for c in article["candidates"]] == [[{"start": 35, "end": 41, "text": "killed"}]]
    before = AuditEntry.objects.count()
    note = client.get(f"/api/intake/documents/{documents['Patrol note']}").json()
    assert "NOTE-CANARY" in note["text"]
    assert AuditEntry.objects.count() == before + 1
    assert client.get("/api/intake/documents/999999").status_code == 404


@pytest.mark.refused("api:intake-candidates")
def test_candidates_refuse_anonymous_callers_and_show_a_partner_nothing(anonymous, charlie, documents):
    assert anonymous.get("/api/intake/candidates").status_code == 401
    body = token_client(charlie).get("/api/intake/candidates", {"status": "pending"}).json()
    assert body == {"items": [], "count": 0}


@pytest.mark.refused("api:intake-candidates")
def test_candidates_refuse_an_account_without_a_role(roleless, documents):
    assert token_client(roleless).get("/api/intake/candidates").status_code == 403


def test_the_review_queue_filters_by_status_and_kind(alice, documents):
    client = token_client(alice)
    pending = client.get("/api/intake/candidates", {"status": "pending", "kind": "event"}).json()
    assert [item["record"]["kind"] for item in pending["items"]] == ["event"]
    assert pending["items"][0]["document"] == documents["Gangs kill 12"]
    Candidate.objects.update(status=CandidateStatus.REJECTED, reason="duplicate of an ACLED event")
    assert client.get("/api/intake/candidates", {"status": "pending"}).json()["count"] == 0
    assert client.get("/api/intake/candidates", {"kind": "claim"}).json()["count"] == 0
    assert client.get("/api/intake/candidates", {"status": "maybe"}).status_code == 422
