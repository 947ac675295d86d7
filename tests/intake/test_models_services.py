"""Storing documents and candidates: deduplication, labels, encryption, and refusals that store nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from ulinzi.accounts.models import Organisation, OrganisationKind
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import UnknownOrganisation
from ulinzi.intake.documents import DocumentText
from ulinzi.intake.extraction.records import Evidence, Record
from ulinzi.intake.models import Candidate, CandidateStatus, Document
from ulinzi.intake.services import ingest
from ulinzi.sources.models import ImportBatch, Source

pytestmark = pytest.mark.django_db

REPORT = DocumentText(
    text="NAIROBI, Kenya, Jan 26 – An additional 200 Kenyan police officers arrived in Port-au-Prince.",
    title="Kenyan police arrive",
    publisher="Island Wire",
    url="https://wire.example/kenya-200",
    published=date(2025, 1, 26),
    published_from="metadata",
)
FIELD_NOTE = DocumentText(text="Informant FIELD-CANARY says the road to Kenscoff is blocked.", title="Road note")


def arrival(document: DocumentText, doc_id: str) -> list[Record]:
    start = document.text.index("arrived")
    return [
        Record(
            doc_id=doc_id,
            kind="deployment",
            evidence=(Evidence(start, start + 7, "arrived"),),
            confidence=0.8,
            country="KE",
            personnel=200,
            qualifier="increment",
            movement="arrival",
        )
    ]


def test_a_document_is_stored_once_and_the_second_time_reported_as_held():
    first = ingest([REPORT], extract=arrival)
    second = ingest([DocumentText(text=REPORT.text.replace(" ", "\n  "))], extract=arrival)
    assert [o.status for o in first.outcomes] == ["stored"]
    assert [o.status for o in second.outcomes] == ["already held"]
    assert second.outcomes[0].document_id == first.outcomes[0].document_id
    assert Document.objects.count() == 1
    assert Candidate.objects.count() == 1


def test_the_same_text_twice_in_one_batch_is_stored_once():
    report = ingest([REPORT, REPORT], names=["a.html", "b.html"])
    assert [(o.name, o.status) for o in report.outcomes] == [("a.html", "stored"), ("b.html", "already held")]
    batch = ImportBatch.objects.get(kind="intake")
    assert (batch.rows_read, batch.rows_created, batch.rows_unchanged) == (2, 1, 1)


def test_a_candidate_holds_exactly_the_extracted_record_with_the_documents_label_and_owner():
    Organisation.objects.create(code="ke-police", name="Kenya police", kind=OrganisationKind.CONTINGENT)
    ingest([REPORT], extract=arrival, label=Sensitivity.STRICTLY_CONFIDENTIAL, owner="ke-police")
    candidate = Candidate.objects.get()
    assert candidate.record == arrival(REPORT, REPORT.content_sha256)[0].as_json()
    assert candidate.record["doc_id"] == REPORT.content_sha256
    assert (candidate.kind, candidate.status, candidate.confidence) == ("deployment", "pending", 0.8)
    assert (candidate.sensitivity, candidate.owner_id) == (Sensitivity.STRICTLY_CONFIDENTIAL, "ke-police")
    document = Document.objects.get()
    assert (document.sensitivity, document.owner_id, document.source) == (3, "ke-police", None)


def test_documents_are_confidential_unless_labelled_otherwise():
    ingest([FIELD_NOTE])
    assert Document.objects.get().sensitivity == Sensitivity.CONFIDENTIAL


def test_a_public_document_gets_a_source_to_cite_and_a_labelled_one_does_not():
    ingest([REPORT], label=Sensitivity.PUBLIC)
    ingest([FIELD_NOTE])
    public = Document.objects.get(title="Kenyan police arrive")
    assert public.source == Source.objects.get(reference="https://wire.example/kenya-200")
    assert (public.source.publisher, public.source.published_on) == ("Island Wire", date(2025, 1, 26))
    assert Document.objects.get(title="Road note").source is None
    assert "Road note" not in str(list(Source.objects.values_list("reference", "publisher")))


def test_text_and_records_are_ciphertext_in_the_database_but_the_hash_is_queryable():
    def quote(document: DocumentText, doc_id: str) -> list[Record]:
        return [Record(doc_id=doc_id, kind="claim", evidence=(Evidence(10, 22, "FIELD-CANARY"),), confidence=0.5)]

    ingest([FIELD_NOTE], extract=quote)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text, content_sha256 FROM intake_document")
        text, digest = cursor.fetchone()
        cursor.execute("SELECT record FROM intake_candidate")
        (record,) = cursor.fetchone()
    assert "CANARY" not in text and "CANARY" not in record
    assert digest == FIELD_NOTE.content_sha256
    assert Document.objects.get(content_sha256=digest).text == FIELD_NOTE.text


def test_evidence_that_does_not_quote_the_text_refuses_the_document_and_stores_nothing():
    def wrong(document: DocumentText, doc_id: str) -> list[Record]:
        return [Record(doc_id=doc_id, kind="event", evidence=(Evidence(0, 7, "killed"),), confidence=0.9)]

    report = ingest([REPORT], extract=wrong)
    assert report.outcomes[0].status == "refused"
    assert "does not quote the text" in report.outcomes[0].reason
    assert not Document.objects.exists() and not Candidate.objects.exists()


def test_an_extractor_that_fails_refuses_its_document_only():
    def fragile(document: DocumentText, doc_id: str) -> list[Record]:
        if "Informant" in document.text:
            raise RuntimeError("the tagger fell over")
        return arrival(document, doc_id)

    report = ingest([FIELD_NOTE, REPORT], extract=fragile)
    assert [o.status for o in report.outcomes] == ["refused", "stored"]
    assert report.outcomes[0].reason == "extraction failed: the tagger fell over"
    assert list(Document.objects.values_list("title", flat=True)) == ["Kenyan police arrive"]


def test_an_unknown_owner_is_refused_before_anything_is_stored():
    with pytest.raises(UnknownOrganisation):
        ingest([REPORT], owner="nowhere")
    assert not Document.objects.exists()


def test_a_rejection_needs_a_reason():
    ingest([REPORT], extract=arrival)
    candidate = Candidate.objects.get()
    candidate.status = CandidateStatus.REJECTED
    with pytest.raises(IntegrityError), transaction.atomic():
        candidate.save()
    candidate.reason = "the 200 were already counted on 24 January"
    candidate.save()


def test_an_accepted_candidate_names_what_it_became_and_a_pending_one_nothing():
    ingest([REPORT], extract=arrival)
    candidate = Candidate.objects.get()
    candidate.status = CandidateStatus.ACCEPTED
    with pytest.raises(IntegrityError), transaction.atomic():
        candidate.save()
    source = Source.objects.create(reference="stand-in for the record acceptance makes")
    candidate.outcome_type = ContentType.objects.get_for_model(Source)
    candidate.outcome_id = source.pk
    candidate.save()
    assert Candidate.objects.get().outcome == source
