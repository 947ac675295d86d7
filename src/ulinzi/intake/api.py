"""``/api/intake/``: documents taken in, the candidates awaiting review, and their review.

Readers are the mission's own roles; a partner's lists are empty and its detail reads 404, as
for a document that does not exist (``accounts.policy``: the intake queue is internal). Review
(``intake.review``) takes a role that edits candidates and a token that may write.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.api.auth import caller_viewer, require_editor
from ulinzi.api.pagination import BoundedPagination
from ulinzi.audit.services import record_list_read, record_read
from ulinzi.intake import review, services
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


class AcceptIn(Schema):
    edits: dict[str, Any] | None = Field(
        default=None,
        description='changed fields, named as in the record (`{"date": "2025-01-19", "location": {"pcode": "HT0111"}}`'
        ' or `"location.pcode"`); `contingent` (an id) places an arrival or a departure',
    )


class RejectIn(Schema):
    reason: str = Field(max_length=review.MAX_REASON, description="why it is rejected, at least 5 characters")


class MergeIn(Schema):
    event_id: int = Field(ge=1, description="the stored event the candidate reports")


class ReviewOut(Schema):
    candidate: CandidateOut
    outcome_type: str | None = Field(description="what it became: incidents.event, forces.movementreport, ...")
    outcome_id: int | None = Field(description="that record's id; none for a rejection")
    edited: list[str] = Field(description="the fields whose value the reviewer changed")


class SuggestionOut(Schema):
    event_id: int
    event_date: dt.date
    event_type: str
    sub_event_type: str
    location: str
    fatalities: int
    days_apart: int
    km_apart: float
    reason: str


REVIEWERS = "only analysts, monitors and administrators review candidates"


def _review(
    request: HttpRequest, candidate_id: int, operation: Callable[[Viewer, User | None], review.Outcome]
) -> dict[str, Any]:
    """Run one review operation and turn each refusal into its status: 404 for a candidate the
    caller cannot read, 403 for one they may not review, 409 once reviewed, 422 naming the field."""
    viewer = caller_viewer(request)
    if not services.candidates(viewer).filter(pk=candidate_id).exists():
        raise HttpError(404, "Not Found")
    require_editor(request, RecordType.CANDIDATE, REVIEWERS)
    try:
        done = operation(viewer, request.user if isinstance(request.user, User) else None)
    except review.CandidateNotFound:
        raise HttpError(404, "Not Found") from None
    except review.ReviewRefused as refused:
        raise HttpError(403, str(refused)) from None
    except review.NotPending as reviewed:
        raise HttpError(409, str(reviewed)) from None
    except review.EditRefused as edit:
        where = ["body", "edits", edit.field] if edit.field not in ("reason", "event_id") else ["body", edit.field]
        raise ValidationError([{"type": "value_error", "loc": where, "msg": edit.reason}]) from None
    made = done.record
    return {
        "candidate": done.candidate,
        "outcome_type": made._meta.label_lower if made is not None else None,
        "outcome_id": made.pk if made is not None else None,
        "edited": list(done.edited),
    }


@router.post(
    "/candidates/{candidate_id}/accept",
    url_name="intake-candidate-accept",
    operation_id="intake_candidate_accept",
    response=ReviewOut,
    summary="Accept a candidate, with edits, into an event, a movement report, a pledge or a claim",
)
def accept(request: HttpRequest, candidate_id: int, body: AcceptIn) -> dict[str, Any]:
    """Make the record the candidate describes, labelled and owned as its document, citing the
    document's source, and mark the candidate accepted with you as reviewer. `edits` changes fields
    first (422 naming a bad one; an event needs a date and a place). 404 when you may not read the
    candidate, 403 when you may not review it or make that record, 409 once it was reviewed."""
    return _review(request, candidate_id, lambda viewer, user: review.accept(candidate_id, viewer, user, body.edits))


@router.post(
    "/candidates/{candidate_id}/reject",
    url_name="intake-candidate-reject",
    operation_id="intake_candidate_reject",
    response=ReviewOut,
    summary="Reject a candidate, saying why",
)
def reject(request: HttpRequest, candidate_id: int, body: RejectIn) -> dict[str, Any]:
    """Mark the candidate rejected; `reason` (at least 5 characters) is kept with it. Same 404,
    403 and 409 as accepting."""
    return _review(request, candidate_id, lambda viewer, user: review.reject(candidate_id, viewer, user, body.reason))


@router.post(
    "/candidates/{candidate_id}/merge",
    url_name="intake-candidate-merge",
    operation_id="intake_candidate_merge",
    response=ReviewOut,
    summary="Merge an event candidate into a stored event",
)
def merge(request: HttpRequest, candidate_id: int, body: MergeIn) -> dict[str, Any]:
    """The stored event (`event_id`, one you may change; see the suggestions) cites the document's
    source from now on and its history says so; the candidate is marked merged into it. Event
    candidates only (422 otherwise, or for an event you may not read)."""
    return _review(request, candidate_id, lambda viewer, user: review.merge(candidate_id, viewer, user, body.event_id))


@router.get(
    "/candidates/{candidate_id}/suggestions",
    url_name="intake-candidate-suggestions",
    operation_id="intake_candidate_suggestions",
    response=list[SuggestionOut],
    summary="Stored events an event candidate may describe",
)
def suggestions(request: HttpRequest, candidate_id: int) -> list[SuggestionOut]:
    """Events you read in full that the incident deduplication would match with the candidate
    (dates, distance, event type, actors), best first; empty for a claim or a deployment, and for
    an event candidate without a date or a place. 404 when you may not read the candidate. Showing
    confidential events is recorded in the audit log, as a list of events is."""
    viewer = caller_viewer(request)
    candidate = services.candidates(viewer).filter(pk=candidate_id).first()
    if candidate is None:
        raise HttpError(404, "Not Found")
    found = review.suggestions(candidate, viewer)
    record_list_read(request, [one.event for one in found], request.path)
    return [
        SuggestionOut(
            event_id=one.event.pk,
            event_date=one.event.event_date,
            event_type=one.event.event_type,
            sub_event_type=one.event.sub_event_type,
            location=one.event.location,
            fatalities=one.event.fatalities,
            days_apart=one.days_apart,
            km_apart=round(one.km_apart, 2),
            reason=one.reason,
        )
        for one in found
    ]
