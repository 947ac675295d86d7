"""Linking events to a patrol as observed or reported (issue #8): the rules the patrol page and
the API share.

Who: the roles that change patrols (``accounts.policy.EDITORS[RecordType.PATROL]``), through
``may_change`` on the patrol, so a label or owner the caller may not touch refuses it as it would
refuse any other change. What: a patrol the caller reads (``services.patrols``) and an event the
caller reads in full (``incidents.services.visible``); a hidden event is answered exactly as a
missing one (``NoSuchEvent``), so a refusal never confirms that it exists. The same holds for an
event linked by someone cleared higher: the caller neither sees nor removes that link.

Linking twice changes nothing, or only the relation; each change is one audit entry, written in
the same transaction as the change, on the patrol, with the event's id and the relation in its
detail and the higher of the two labels (the link reveals both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.contrib.auth.models import User
from django.db import transaction

from ulinzi.accounts.policy import EDITORS, RecordType, Viewer, may_change
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import Action
from ulinzi.audit.services import record
from ulinzi.incidents.models import Event
from ulinzi.incidents.services import visible
from ulinzi.patrols import nearby, services
from ulinzi.patrols.models import Patrol, PatrolEvent

Relation = PatrolEvent.Relation
LINK_REFUSAL = "only commanders, analysts and administrators link events to patrols"
Change = Literal["linked", "relation changed", "unchanged"]


class LinkRefused(PermissionError):
    """The caller's role does not change patrols, or not one of this label or owner (a 403)."""


class NoSuchPatrol(LookupError):
    """Missing, or hidden from the caller: the same answer either way."""


class NoSuchEvent(LookupError):
    """Missing, or not readable in full by the caller: the same answer either way."""


@dataclass(frozen=True)
class Suggestion:
    """An event near the track, with how far the patrol's nearest fix of its day came, and when."""

    event: Event
    distance_m: float
    nearest_fix_at: datetime


@dataclass(frozen=True)
class LinkedEvent:
    event: Event
    relation: str

    @property
    def relation_label(self) -> str:
        return str(Relation(self.relation).label)


@dataclass(frozen=True)
class LinkOutcome:
    link: PatrolEvent
    change: Change


def may_link(viewer: Viewer) -> bool:
    """Whether the role changes patrols at all: the page shows its forms and the edges refuse
    (403) on this, before any one patrol is looked up, so a refusal says nothing about it."""
    return viewer.role in EDITORS[RecordType.PATROL]


def linked(viewer: Viewer, patrol: Patrol) -> list[LinkedEvent]:
    """The events linked to the patrol that the caller reads in full, by date, with the relation."""
    events = list(visible(viewer).filter(patrols=patrol).select_related("actor1").order_by("event_date", "pk"))
    relations = dict(
        PatrolEvent.objects.filter(patrol=patrol, event__in=[event.pk for event in events]).values_list(
            "event_id", "relation"
        )
    )
    return [LinkedEvent(event, relations[event.pk]) for event in events]


def suggestions(
    viewer: Viewer, patrol: Patrol, *, within_m: float = nearby.DEFAULT_WITHIN_M, day_margin: int = 0
) -> list[Suggestion]:
    """Events the caller reads in full, not yet linked, near the patrol's track on their day
    (``nearby.events_near_track``), nearest first."""
    patrol = _editable(viewer, patrol)
    fixes = list(services.track(viewer, patrol).values_list("time", "lat", "lon"))
    times = [fix[0] for fix in fixes]
    dates = nearby.event_dates(times, day_margin)
    if dates is None:
        return []
    already = PatrolEvent.objects.filter(patrol=patrol).values("event_id")
    of_those_days = visible(viewer).filter(event_date__range=dates).exclude(pk__in=already).select_related("actor1")
    candidates = {event.pk: event for event in of_those_days}
    places = [
        nearby.EventPlace(pk, event.event_date, event.latitude, event.longitude) for pk, event in candidates.items()
    ]
    lats, lons = [fix[1] for fix in fixes], [fix[2] for fix in fixes]
    found = nearby.events_near_track(times, lats, lons, places, within_m=within_m, day_margin=day_margin)
    return [Suggestion(candidates[near.event_id], near.distance_m, near.nearest_fix_at) for near in found]


def link(viewer: Viewer, patrol: Patrol, event_id: int, relation: str, user: User | None) -> LinkOutcome:
    """Link the event to the patrol as ``relation``; linked already, set the relation. Refuses a
    relation that is not ``observed`` or ``reported`` (ValueError)."""
    patrol = _editable(viewer, patrol)
    if relation not in Relation.values:
        raise ValueError(f"{str(relation)[:20]!r} is not a relation: choose {' or '.join(Relation.values)}")
    event = _event(viewer, event_id)
    with transaction.atomic():
        found, created = PatrolEvent.objects.get_or_create(patrol=patrol, event=event, defaults={"relation": relation})
        if created:
            _audit(user, patrol, event, {"operation": "link event", "event": event.pk, "relation": relation})
            return LinkOutcome(found, "linked")
        if found.relation == relation:
            return LinkOutcome(found, "unchanged")
        before, found.relation = found.relation, relation
        found.save(update_fields=["relation"])
        detail = {"operation": "change event relation", "event": event.pk, "from": before, "to": relation}
        _audit(user, patrol, event, detail)
    return LinkOutcome(found, "relation changed")


def unlink(viewer: Viewer, patrol: Patrol, event_id: int, user: User | None) -> bool:
    """Remove the event's link to the patrol; False when there was none (nothing changes)."""
    patrol = _editable(viewer, patrol)
    event = _event(viewer, event_id)
    with transaction.atomic():
        removed, _ = PatrolEvent.objects.filter(patrol=patrol, event=event).delete()
        if removed:
            _audit(user, patrol, event, {"operation": "unlink event", "event": event.pk})
    return bool(removed)


def patrol_to_link(viewer: Viewer, patrol_id: int) -> Patrol:
    """The patrol whose links the caller may change. The role is refused first (``LinkRefused``),
    so a refusal says nothing about the patrol; then a patrol the caller does not read is missing
    (``NoSuchPatrol``); then its label and owner are checked as for any change."""
    if not may_link(viewer):
        raise LinkRefused(LINK_REFUSAL)
    patrol = services.patrols(viewer).filter(pk=patrol_id).first()
    if patrol is None:
        raise NoSuchPatrol("No such patrol")
    allowed = may_change(viewer, RecordType.PATROL, Sensitivity(patrol.sensitivity), patrol.owner_id)
    if not allowed:
        raise LinkRefused(allowed.reason)
    return patrol


def _editable(viewer: Viewer, patrol: Patrol) -> Patrol:
    """The patrol as the rule finds it now, whoever handed it in."""
    return patrol_to_link(viewer, patrol.pk)


def _event(viewer: Viewer, event_id: int) -> Event:
    event = visible(viewer).filter(pk=event_id).first()
    if event is None:
        raise NoSuchEvent("No such event")
    return event


def _audit(user: User | None, patrol: Patrol, event: Event, detail: dict[str, object]) -> None:
    label = max(Sensitivity(patrol.sensitivity), Sensitivity(event.sensitivity))
    record(user, Action.CHANGE, Patrol._meta.label_lower, [patrol.pk], label, detail=detail)
