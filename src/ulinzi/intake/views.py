"""The review pages: the queue of pending candidates, and one candidate beside its document.

Plain forms posted back to the candidate's page (CSRF-protected, no script needed); each action
calls one ``intake.review`` operation and shows its refusal where the reviewer can act on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ulinzi.accounts.policy import RecordType, Viewer, may_change, may_read
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.services import record_list_read, record_read
from ulinzi.intake import review, services
from ulinzi.intake.models import Candidate, CandidateKind, CandidateStatus, Document
from ulinzi.intake.review_fields import CONTINGENT, FieldValue, evidence_spans, fields_of, segments, summary
from ulinzi.web.access import viewer_required

QUEUE_PAGE = 25
ACTIONS = ("accept", "reject", "merge")


@dataclass(frozen=True)
class QueueRow:
    candidate: Candidate
    summary: str
    notes: list[str]


@require_GET
@viewer_required
def queue(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Pending candidates the caller may read, newest documents first, filtered by kind."""
    if not may_read(viewer, RecordType.CANDIDATE, Sensitivity.PUBLIC):
        raise PermissionDenied(
            "the review queue is for the mission's analysts, monitors, commanders and administrators"
        )
    kind = request.GET.get("kind", "")
    context: dict[str, object] = {"kinds": CandidateKind.values, "kind": kind}
    if kind and kind not in CandidateKind.values:
        context["error"] = f"{kind[:20]!r} is not a kind of candidate"
        return render(request, "intake/queue.html", context, status=400)
    pending = services.candidates(viewer, status=CandidateStatus.PENDING, kind=kind or None)
    ordered = pending.select_related("document").order_by("-document__ingested_at", "-document_id", "pk")
    page = Paginator(ordered, QUEUE_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_list_read(request, shown, request.path)
    rows = [
        QueueRow(one, summary(one.kind, one.record), [str(n) for n in one.record.get("notes") or []]) for one in shown
    ]
    context |= {"page": page, "rows": rows}
    return render(request, "intake/queue.html", context)


@require_http_methods(["GET", "POST"])
@viewer_required
def candidate_page(request: HttpRequest, viewer: Viewer, candidate_id: int) -> HttpResponse:
    """The document with this candidate's evidence marked, its fields in a form, and the actions."""
    found = services.candidates(viewer).select_related("document", "reviewer").filter(pk=candidate_id).first()
    if found is None:
        # The same answer for a hidden candidate as for a missing one.
        raise Http404("No such candidate")
    if request.method == "POST":
        return _act(request, viewer, found)
    record_read(request, Document._meta.label_lower, found.document_id, found.document.sensitivity)
    context = _context(viewer, found)
    suggested = context["suggestions"]
    assert isinstance(suggested, list)
    record_list_read(request, [one.event for one in suggested], request.path)
    return render(request, "intake/candidate.html", context)


def _act(request: HttpRequest, viewer: Viewer, candidate: Candidate) -> HttpResponse:
    action = request.POST.get("action", "")
    user = request.user if isinstance(request.user, User) else None
    names = [field.name for field in fields_of(candidate.kind, candidate.record)]
    posted = {name: request.POST[name] for name in names if name in request.POST}
    try:
        if action == "accept":
            review.accept(candidate.pk, viewer, user, posted | {CONTINGENT: request.POST.get(CONTINGENT, "")})
        elif action == "reject":
            review.reject(candidate.pk, viewer, user, request.POST.get("reason", ""))
        elif action == "merge":
            review.merge(candidate.pk, viewer, user, _event_id(request.POST.get("event_id", "")))
        else:
            return _again(
                request, viewer, candidate, posted, field="action", reason="choose accept, reject or merge", status=400
            )
    except review.CandidateNotFound:
        raise Http404("No such candidate") from None
    except review.ReviewRefused as refused:
        raise PermissionDenied(str(refused)) from None
    except review.NotPending as reviewed:
        return _again(request, viewer, candidate, posted, field="", reason=str(reviewed), status=409)
    except review.EditRefused as edit:
        return _again(request, viewer, candidate, posted, field=edit.field, reason=edit.reason, status=422)
    return redirect("intake:candidate", candidate_id=candidate.pk)


def _event_id(text: str) -> int:
    if not text.strip().isdigit():
        raise review.EditRefused("event_id", "choose the event to merge into")
    return int(text)


def _again(
    request: HttpRequest,
    viewer: Viewer,
    candidate: Candidate,
    posted: dict[str, str],
    *,
    field: str,
    reason: str,
    status: int,
) -> HttpResponse:
    """The page again with what was typed kept and the refusal next to the field at fault."""
    candidate.refresh_from_db()
    context = _context(viewer, candidate, posted)
    context |= {"error_field": field, "error": f"{field}: {reason}" if field else reason}
    return render(request, "intake/candidate.html", context, status=status)


def _context(viewer: Viewer, candidate: Candidate, posted: dict[str, str] | None = None) -> dict[str, object]:
    document = candidate.document
    fields = fields_of(candidate.kind, candidate.record)
    if posted:
        fields = [FieldValue(field.spec, posted.get(field.name, field.value)) for field in fields]
    pending = candidate.status == CandidateStatus.PENDING
    may_review = pending and bool(
        may_change(viewer, RecordType.CANDIDATE, Sensitivity(candidate.sensitivity), candidate.owner_id)
    )
    return {
        "candidate": candidate,
        "document": document,
        "segments": segments(document.text, evidence_spans(candidate.record)),
        "evidence": candidate.record.get("evidence") or [],
        "fields": fields,
        "notes": [str(note) for note in candidate.record.get("notes") or []],
        "may_review": may_review,
        "suggestions": review.suggestions(candidate, viewer) if may_review else [],
        "deployment": candidate.kind == CandidateKind.DEPLOYMENT,
        "outcome_is_event": candidate.outcome_type is not None and candidate.outcome_type.model == "event",
    }
