"""Territorial-control queries over the store: what the caller may see, turned into claims and shares."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet

from shapely.geometry import Point, shape

from ulinzi.accounts.access import readable
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.geo.control import Claim, PopulatedUnit, Share, controllers_at, series, share_on
from ulinzi.geo.models import AdminArea, ControlArea
from ulinzi.incidents import services as incident_services
from ulinzi.incidents.models import Event

# An area parameter names at most this many P-codes, each at most this long.
MAX_AREAS = 50
MAX_PCODE = 20


class UnknownArea(ValueError):
    """A P-code asked for is not a loaded area."""


class BadAreaList(ValueError):
    """An ``area`` parameter that is not a list of P-codes; the message says what is allowed."""


def parse_pcodes(text: str) -> list[str]:
    """The P-codes of a comma-separated list, deduplicated in order; BadAreaList if malformed.

    >>> parse_pcodes(" HT0111, HT0112,HT0111 ")
    ['HT0111', 'HT0112']
    """
    short = len(text) <= MAX_AREAS * (MAX_PCODE + 2)  # before splitting a huge query string
    codes = list(dict.fromkeys(code.strip() for code in text.split(",") if code.strip())) if short else []
    if not codes or len(codes) > MAX_AREAS or any(len(code) > MAX_PCODE for code in codes):
        raise BadAreaList(f"area must be 1 to {MAX_AREAS} P-codes separated by commas")
    return codes


def visible(viewer: Viewer) -> QuerySet[ControlArea]:
    """Control areas the caller may read, each with its sources and the evidence events the caller
    may read (an event they may not read is left out, never shown as a bare id)."""
    readable_events = incident_services.visible(viewer).only("pk")
    return (
        readable(ControlArea.objects.all(), viewer, RecordType.CONTROL_AREA)
        .select_related("actor")
        .prefetch_related("sources", Prefetch("evidence", queryset=readable_events))
    )


# ACLED's sub-event types that record a change of territorial control.
CONTROL_CHANGES = (
    "Non-state actor overtakes territory",
    "Government regains territory",
    "Non-violent transfer of territory",
    "Headquarters or base established",
)


def evidence(viewer: Viewer, area: ControlArea) -> QuerySet[Event]:
    return (
        incident_services.visible(viewer)
        .filter(control_evidence=area)
        .select_related("actor1", "actor2")
        .order_by("event_date", "pk")
    )


def evidence_candidates(viewer: Viewer, area: ControlArea, window_days: int = 30) -> list[Event]:
    """Events the caller may read that may document this claim: a change-of-control sub-event
    inside the polygon within ``window_days`` of the claim's start or end, not yet linked."""
    polygon = shape(json.loads(area.geometry))
    moments = [area.valid_from, *([area.valid_to] if area.valid_to else [])]
    near_a_moment = Q()
    for moment in moments:
        near_a_moment |= Q(
            event_date__range=(moment - timedelta(days=window_days), moment + timedelta(days=window_days))
        )
    found = (
        incident_services.visible(viewer)
        .filter(near_a_moment, sub_event_type__in=CONTROL_CHANGES)
        .filter(longitude__range=(area.min_lon, area.max_lon), latitude__range=(area.min_lat, area.max_lat))
        .exclude(pk__in=area.evidence.values("pk"))
        .select_related("actor1", "actor2")
        .order_by("event_date", "pk")
    )
    return [event for event in found if polygon.intersects(Point(event.longitude, event.latitude))]


def in_force(viewer: Viewer, day: date) -> QuerySet[ControlArea]:
    return visible(viewer).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


def claims(areas: QuerySet[ControlArea] | list[ControlArea]) -> list[Claim]:
    return [Claim(area.actor.name, shape(json.loads(area.geometry)), area.valid_from, area.valid_to) for area in areas]


def units_for(pcodes: list[str]) -> list[PopulatedUnit]:
    """The areas named, or their children when every child has a population (finer spreading)."""
    found = {area.pcode: area for area in AdminArea.objects.filter(pcode__in=pcodes)}
    missing = [code for code in pcodes if code not in found]
    if missing:
        raise UnknownArea(f"not a loaded area: {', '.join(missing)}")
    children: dict[str, list[AdminArea]] = {}
    for child in AdminArea.objects.filter(parent_pcode__in=pcodes):
        children.setdefault(child.parent_pcode, []).append(child)
    units = []
    for code in pcodes:
        own = children.get(code, [])
        chosen = own if own and all(c.population is not None for c in own) else [found[code]]
        units += [PopulatedUnit(a.pcode, shape(json.loads(a.geometry)), a.population) for a in chosen]
    return units


def share(viewer: Viewer, pcodes: list[str], day: date) -> Share:
    return share_on(units_for(pcodes), claims(in_force(viewer, day)), day)


def share_series(viewer: Viewer, pcodes: list[str], since: date, until: date) -> list[Share]:
    return series(units_for(pcodes), claims(visible(viewer)), since, until)


def holders(viewer: Viewer, lon: float, lat: float, day: date) -> list[ControlArea]:
    """Control areas in force on ``day`` that hold the point (several when claims overlap)."""
    box = {"min_lon__lte": lon, "max_lon__gte": lon, "min_lat__lte": lat, "max_lat__gte": lat}
    candidates = list(in_force(viewer, day).filter(**box))
    as_claims = claims(candidates)
    holding = controllers_at(as_claims, lon, lat, day)
    return [area for area, claim in zip(candidates, as_claims, strict=True) if claim in holding]
