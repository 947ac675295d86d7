"""``/api/intake/``: documents taken in and the candidates awaiting review.

Readers are the mission's own roles; a partner's lists are empty and its detail reads 404, as
for a document that does not exist (``accounts.policy``: the intake queue is internal).
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from ulinzi.api.auth import caller_viewer
from ulinzi.api.pagination import BoundedPagination
from ulinzi.audit.services import record_read
from ulinzi.intake import services
from ulinzi.intake.models import Candidate, CandidateKind, CandidateStatus, Document

router = Router(tags=["intake"])


class DocumentsQuery(Schema):
    language: str | None = Field(default=None, max_length=16, description="a language code, e.g. en or fr")


class CandidatesQuery(Schema):
    status: CandidateStatus | None = Field(default=None, description="pending, accepted, rejected or merged")
    kind: CandidateKind | None = Field(default=None, description="event, deployment or claim")
    document: int | None = Field(default=None, ge=1, description="only this document's candidates")


class DocumentOut(Schema):
    id: int
    title: str
    publisher: str
    url: str
    language: str
    published: dt.date | None
    published_from: str
    content_sha256: str
    ingested_at: dt.datetime
    sensitivity: str
    owner: str | None = Field(description="the organisation that owns it; empty for the whole mission")
    candidate_count: int = Field(description="how many candidates were extracted from it")

    @staticmethod
    def resolve_sensitivity(document: Document) -> str:
        return f"P{document.sensitivity}"

    @staticmethod
    def resolve_owner(document: Document) -> str | None:
        return document.owner_id


class CandidateOut(Schema):
    id: int
    document: int
    kind: str
    status: str
    confidence: float
    reason: str
    reviewed_at: dt.datetime | None
    sensitivity: str
    record: dict[str, Any] = Field(description="the extracted record, as `ulinzi extract` prints it")

    @staticmethod
    def resolve_document(candidate: Candidate) -> int:
        return candidate.document_id

    @staticmethod
    def resolve_sensitivity(candidate: Candidate) -> str:
        return f"P{candidate.sensitivity}"


class DocumentDetailOut(DocumentOut):
    text: str
    candidates: list[CandidateOut] = Field(description="the candidates extracted from it that you may read")

    @staticmethod
    def resolve_candidates(document: Document) -> list[Candidate]:
        return list(document.shown_candidates)  # type: ignore[attr-defined]  # set by the view, filtered by the policy


@router.get(
    "/documents",
    url_name="intake-documents",
    operation_id="intake_documents",
    response=list[DocumentOut],
    summary="Documents taken in, newest first",
)
@paginate(BoundedPagination)
def documents(request: HttpRequest, query: Query[DocumentsQuery]) -> QuerySet[Document]:
    """Articles, statements and field reports taken in with `ulinzi intake add`, newest first,
    paginated with `limit` and `offset`, without their text (open one for it). Only those your
    role and organisation may read are listed."""
    return services.documents(caller_viewer(request), language=query.language)


@router.get(
    "/documents/{document_id}",
    url_name="intake-document",
    operation_id="intake_document",
    response=DocumentDetailOut,
    summary="One document, its text and its candidates",
)
def document(request: HttpRequest, document_id: int) -> Document:
    """One document with its full text and the candidates extracted from it; 404 when it does not
    exist or you may not read it (the two look the same). Reading a confidential document or
    above is recorded in the audit log."""
    viewer = caller_viewer(request)
    found = services.document(viewer, document_id)
    if found is None:
        raise HttpError(404, "Not Found")
    record_read(request, Document._meta.label_lower, found.pk, found.sensitivity)
    found.shown_candidates = services.candidates(viewer, document_id=found.pk)  # type: ignore[attr-defined]
    return found


@router.get(
    "/candidates",
    url_name="intake-candidates",
    operation_id="intake_candidates",
    response=list[CandidateOut],
    summary="Candidates extracted from documents, for review",
)
@paginate(BoundedPagination)
def candidates(request: HttpRequest, query: Query[CandidatesQuery]) -> QuerySet[Candidate]:
    """Extracted events, deployments and claims in document order, paginated with `limit` and
    `offset`; filter by `status` (the review queue is `status=pending`), `kind` and `document`.
    Only those your role and organisation may read are listed."""
    return services.candidates(
        caller_viewer(request),
        status=query.status.value if query.status else None,
        kind=query.kind.value if query.kind else None,
        document_id=query.document,
    )
