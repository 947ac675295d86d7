"""The review queue: an analyst accepts, edits, merges or rejects each extracted candidate (issue #5).

Every operation runs in one transaction with the candidate row locked, and checks in the same
order: the candidate must be one the viewer reads (else the same "not found" as a missing one),
one their role may review, still pending, and the record it would make must be one they may
change at the document's label. Nothing is written unless all of that holds and the record is
valid; the record, the candidate's new status and their audit entries are committed together.

What each kind becomes (``review_records``): an event through the importers' event writer, a
deployment as a movement report or a pledge in the force registry, a claim through
``claims.services.create_claim``. Each keeps its way back to the document: the candidate's
``outcome`` points at the record it became, and ``candidates_for`` reads that link backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ulinzi.accounts.access import readable
from ulinzi.accounts.policy import RecordType, Viewer, may_change
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import services as audit
from ulinzi.audit.models import Action
from ulinzi.incidents import services as incidents
from ulinzi.incidents.dedup import Report, best_match, search_box
from ulinzi.incidents.models import Event, EventChange
from ulinzi.intake import review_records as records
from ulinzi.intake.models import Candidate, CandidateStatus, Document
from ulinzi.intake.review_fields import EditRefused, apply_edits

MIN_REASON = 5
MAX_REASON = 2000
MAX_SUGGESTIONS = 10
# Events read from the box around a candidate before the match rule sorts them.
MAX_NEARBY = 500

__all__ = [
    "CandidateNotFound",
    "EditRefused",
    "NotPending",
    "Outcome",
    "ReviewRefused",
    "Suggestion",
    "accept",
    "candidates_for",
    "merge",
    "reject",
    "suggestions",
]


class CandidateNotFound(LookupError):
    """No candidate the viewer may read has that id: hidden and missing look alike."""


class ReviewRefused(PermissionError):
    """The viewer reads the candidate but may not review it, or may not change what it would become."""


class NotPending(ValueError):
    """The candidate was reviewed already; a second review would make a second record."""


@dataclass(frozen=True)
class Outcome:
    """A reviewed candidate and the record it became or joined (None for a rejection)."""

    candidate: Candidate
    record: Model | None
    edited: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A stored event the deduplication rule says the candidate may describe."""

    event: Event
    days_apart: int
    km_apart: float

    @property
    def reason(self) -> str:
        return f"{self.days_apart} day(s) and {self.km_apart:.1f} km apart, compatible type and actors"


def accept(candidate_id: int, viewer: Viewer, user: User | None, edits: dict[str, Any] | None = None) -> Outcome:
    """Make the candidate's record (with the reviewer's edits) and mark the candidate accepted.

    Raises ``CandidateNotFound``, ``ReviewRefused``, ``NotPending`` or ``EditRefused`` (naming
    the field a person must fix); in each case nothing is written.
    """
    with transaction.atomic():
        candidate = _reviewable(candidate_id, viewer)
        document = Document.objects.get(pk=candidate.document_id)
        record, edited = apply_edits(candidate.kind, candidate.record, edits or {})
        target = records.target_type(candidate.kind, record)
        _may_make(viewer, target, document)
        made = records.make(viewer, user, candidate, document, record=record, edited=edited, edits=edits or {})
        _close(candidate, user, CandidateStatus.ACCEPTED, made, "")
        _audit(user, candidate, made, "accepted", edited)
    return Outcome(candidate, made, tuple(edited))


def merge(candidate_id: int, viewer: Viewer, user: User | None, target_event_id: int) -> Outcome:
    """Record an event candidate as one more report of a stored event: the event cites the
    document's source, its history says so, and the candidate is marked merged into it."""
    with transaction.atomic():
        candidate = _reviewable(candidate_id, viewer)
        if candidate.kind != "event":
            raise EditRefused("event_id", f"only an event candidate merges into an event; this is a {candidate.kind}")
        document = Document.objects.get(pk=candidate.document_id)
        _may_make(viewer, RecordType.EVENT, document)
        event = incidents.visible(viewer).select_for_update().filter(pk=target_event_id).first()
        if event is None:
            raise EditRefused("event_id", f"no event {target_event_id} that you may read")
        allowed = may_change(viewer, RecordType.EVENT, Sensitivity(event.sensitivity), event.owner_id)
        if not allowed:
            raise ReviewRefused(allowed.reason)
        source = records.document_source(document)
        event.sources.add(source)
        if source.reference not in event.source.split("; "):
            cited = "; ".join(part for part in (event.source, source.reference) if part)
            Event.objects.filter(pk=event.pk).update(source=cited)
        EventChange.objects.create(
            event=event,
            by=user,
            action=EventChange.Action.MERGED,
            detail=f"candidate {candidate.pk} of intake document {document.pk} merged in by review",
        )
        _close(candidate, user, CandidateStatus.MERGED, event, f"merged into event {event.pk}")
        _audit(user, candidate, event, "merged", [])
    return Outcome(candidate, event)


def reject(candidate_id: int, viewer: Viewer, user: User | None, reason: str) -> Outcome:
    """Mark the candidate rejected; the reason is required, so the next reader knows why."""
    with transaction.atomic():
        candidate = _reviewable(candidate_id, viewer)
        reason = (reason or "").strip()
        if len(reason) < MIN_REASON:
            raise EditRefused("reason", f"say why it is rejected, in at least {MIN_REASON} characters")
        if len(reason) > MAX_REASON:
            raise EditRefused("reason", f"at most {MAX_REASON} characters")
        _close(candidate, user, CandidateStatus.REJECTED, None, reason)
        _audit(user, candidate, None, "rejected", [])
    return Outcome(candidate, None)


def suggestions(candidate: Candidate, viewer: Viewer, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Stored events the viewer reads in full that the incident deduplication would match with
    the candidate, best first (fewest days, then fewest km apart).

    The rule's "one report per dataset" clause is left out: it says one dataset never lists an
    incident twice, while articles (and sentences of one article) report the same incident all the
    time, and the reviewer decides. A candidate without a usable date or place has none.
    """
    if candidate.kind != "event":
        return []
    try:
        new = records.event_report(candidate.record)
    except EditRefused:
        return []
    since, until, west, south, east, north = search_box([new])
    nearby = list(
        incidents.visible(viewer)
        .filter(event_date__range=(since, until), longitude__range=(west, east), latitude__range=(south, north))
        .order_by("event_date", "pk")[:MAX_NEARBY]
    )
    names = records.ActorNames([pk for event in nearby for pk in (event.actor1_id, event.actor2_id) if pk])
    found = []
    for event in nearby:
        old = Report(
            key=event.natural_key,
            datasets=frozenset({"stored"}),
            event_date=event.event_date,
            time_precision=event.time_precision,
            latitude=event.latitude,
            longitude=event.longitude,
            geo_precision=event.geo_precision,
            event_type=event.event_type,
            actors=names.named([pk for pk in (event.actor1_id, event.actor2_id) if pk], event.event_date),
        )
        match = best_match(new, [old])
        if match is not None:
            found.append(Suggestion(event, match.days_apart, match.km_apart))
    found.sort(key=lambda one: (one.days_apart, one.km_apart, one.event.natural_key))
    return found[:limit]


def candidates_for(obj: Model, viewer: Viewer) -> list[Candidate]:
    """The candidates the viewer reads that became or were merged into ``obj``: the way back from
    a record to the document spans it rests on."""
    kind = ContentType.objects.get_for_model(obj)
    found = readable(Candidate.objects.filter(outcome_type=kind, outcome_id=obj.pk), viewer, RecordType.CANDIDATE)
    return list(found.order_by("document_id", "pk"))


def _reviewable(candidate_id: int, viewer: Viewer) -> Candidate:
    """The candidate, locked for this transaction, once the viewer may review it and it is pending."""
    locked = readable(Candidate.objects.select_for_update(), viewer, RecordType.CANDIDATE)
    candidate = locked.filter(pk=candidate_id).first()
    if candidate is None:
        raise CandidateNotFound(f"no candidate {candidate_id}")
    allowed = may_change(viewer, RecordType.CANDIDATE, Sensitivity(candidate.sensitivity), candidate.owner_id)
    if not allowed:
        raise ReviewRefused(allowed.reason)
    if candidate.status != CandidateStatus.PENDING:
        raise NotPending(f"candidate {candidate.pk} is already {candidate.status}")
    return candidate


def _may_make(viewer: Viewer, target: RecordType, document: Document) -> None:
    """The record carries the document's label and owner, so the viewer must be able to change a
    record of that type at that label: an analyst cannot turn a P3 report into a P3 event."""
    label = Sensitivity(document.sensitivity)
    allowed = may_change(viewer, target, label, document.owner_id, new_label=label)
    if not allowed:
        raise ReviewRefused(allowed.reason)


def _close(candidate: Candidate, user: User | None, status: str, outcome: Model | None, reason: str) -> None:
    candidate.status = status
    candidate.reviewer = user
    candidate.reviewed_at = timezone.now()
    candidate.reason = reason
    candidate.outcome_type = ContentType.objects.get_for_model(outcome) if outcome is not None else None
    candidate.outcome_id = outcome.pk if outcome is not None else None
    candidate.save(update_fields=["status", "reviewer", "reviewed_at", "reason", "outcome_type", "outcome_id"])


def _audit(user: User | None, candidate: Candidate, made: Model | None, operation: str, edited: Sequence[str]) -> None:
    """One entry for the candidate; the record's own entry is written where it is made. The edited
    field names go in, never their values: the log must not copy what a document says."""
    detail: dict[str, object] = {"operation": operation}
    if made is not None:
        detail["outcome"] = f"{made._meta.label_lower}:{made.pk}"
    if edited:
        detail["edited"] = sorted(edited)
    audit.record(user, Action.CHANGE, Candidate._meta.label_lower, [candidate.pk], candidate.sensitivity, detail=detail)
