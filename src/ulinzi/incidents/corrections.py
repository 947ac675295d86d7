"""Analysts' corrections to the incident store: undo a wrong merge (a report becomes its own event
again, exactly as it was imported), and move an event through verification. Each is recorded in
the audit log in the same transaction, whoever calls it (the API, the event page, the admin)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import services as audit
from ulinzi.audit.models import Action
from ulinzi.importing.citations import parse_citations
from ulinzi.incidents.importers.records import EventRecord
from ulinzi.incidents.importers.writer import EventsOutcome, EventWriter
from ulinzi.incidents.models import Event, EventChange, EventReport, Verification
from ulinzi.sources.models import ImportBatch, Source


def record_from_json(fields: dict[str, object]) -> EventRecord:
    values = dict(fields)
    values["event_date"] = date.fromisoformat(str(values["event_date"]))
    values["sensitivity"] = Sensitivity(int(str(values["sensitivity"])))
    return EventRecord(**values)  # type: ignore[arg-type]


def split_report(report: EventReport, by: User | None) -> Event:
    """Rebuild the report as its own event (never merged again: its key now names an event), and
    unlink from the original the sources only the report cited."""
    with transaction.atomic():
        original = report.event
        record = record_from_json(report.record)
        batch = report.batch or ImportBatch.objects.create(kind="split", file_name=report.natural_key, sha256="")
        report.delete()
        EventWriter(batch, deduplicate=False).write([record], EventsOutcome(file=report.natural_key))
        created = Event.objects.get(natural_key=record.natural_key)
        still_cited = {c.reference for c in parse_citations(original.source)}
        for remaining in original.reports.all():
            still_cited.update(c.reference for c in parse_citations(str(remaining.record.get("source", ""))))
        orphaned = Source.objects.filter(reference__in=[c.reference for c in record.citations()]).exclude(
            reference__in=still_cited
        )
        original.sources.remove(*orphaned)
        EventChange.objects.create(
            event=original,
            by=by,
            action=EventChange.Action.SPLIT,
            detail=f"{record.natural_key} split out as event {created.pk}",
        )
        EventChange.objects.create(
            event=created,
            by=by,
            action=EventChange.Action.SPLIT_FROM,
            detail=f"split out of event {original.pk} ({original.natural_key})",
        )
        touched = max(original.sensitivity, created.sensitivity)
        detail = {"operation": "split", "report": record.natural_key}
        audit.record(by, Action.CHANGE, Event._meta.label_lower, [original.pk, created.pk], touched, detail=detail)
    return created


def set_verification(event: Event, state: str, by: User | None, note: str = "") -> Event:
    """Move an event to a verification state, recording who and when, and say so in its history."""
    if state not in Verification.values:
        raise ValueError(f"{state!r} is not a verification state ({', '.join(Verification.values)})")
    with transaction.atomic():
        was = event.verification
        before = event.get_verification_display()
        event.verification = state
        event.verified_by = by
        event.verified_at = timezone.now()
        event.save(update_fields=["verification", "verified_by", "verified_at"])
        detail = f"{before} → {event.get_verification_display()}" + (f": {note}" if note else "")
        EventChange.objects.create(event=event, by=by, action=EventChange.Action.VERIFICATION, detail=detail[:500])
        # The note stays in the event's history: free text may hold what the log must not copy.
        moved = {"operation": "verification", "from": was, "to": state}
        audit.record(by, Action.CHANGE, Event._meta.label_lower, [event.pk], event.sensitivity, detail=moved)
    return event
