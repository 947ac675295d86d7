"""Roads, their status register and routing, over the store."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shapely.geometry import LineString, mapping, shape

from ulinzi.accounts.access import readable
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo import territory
from ulinzi.geo.geocoding import Result
from ulinzi.geo.models import AdminArea, Place, RoadSegment, RoadStatus
from ulinzi.geo.routing import Incident, NoRoute, RoadNetwork, Route, Segment, coarse_links
from ulinzi.geo.services import geocode
from ulinzi.importing.citations import parse_citations
from ulinzi.incidents.release import column
from ulinzi.incidents.services import EventFilter, events
from ulinzi.sources.services import SourceCache

DEFAULT_STATUS_HOURS = 72


def segments() -> list[Segment]:
    return [
        Segment(road.pk, road.name, shape(json.loads(road.geometry)), road.length_km)
        for road in RoadSegment.objects.all()
    ]


def statuses_at(viewer: Viewer, moment: datetime) -> dict[int, str]:
    """Each segment's latest status in force at ``moment`` that the caller may read."""
    current = (
        readable(RoadStatus.objects.all(), viewer, RecordType.ROAD_STATUS)
        .filter(observed_at__lte=moment, expires_at__gt=moment)
        .order_by("segment_id", "-observed_at")
        .values_list("segment_id", "status")
    )
    found: dict[int, str] = {}
    for segment_id, status in current:
        found.setdefault(segment_id, status)
    return found


def end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)), timezone.get_current_timezone())


@dataclass(frozen=True)
class Endpoint:
    label: str
    lon: float
    lat: float


class UnknownPlace(ValueError):
    """A start or end that is neither coordinates nor a place the gazetteer finds unambiguously."""


def endpoint(text: str) -> Endpoint:
    """``"lon,lat"`` or a place name; an ambiguous or unknown name is refused with the candidates."""
    parts = text.split(",")
    if len(parts) == 2:
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError:
            pass
        else:
            if -180 <= lon <= 180 and -90 <= lat <= 90:
                return Endpoint(text, lon, lat)
    result: Result = geocode(text, limit=5)
    if not result.candidates:
        raise UnknownPlace(f"no place called {text!r}")
    if result.ambiguous:
        names = "; ".join(f"{c.entry.place_name} ({', '.join(c.entry.admin_chain)})" for c in result.candidates[:5])
        raise UnknownPlace(f"{text!r} is ambiguous: {names}")
    best = result.candidates[0].entry
    return Endpoint(best.place_name, best.lon, best.lat)


def route(
    viewer: Viewer,
    start: Endpoint,
    end: Endpoint,
    day: date,
    avoid_actors: list[str],
    *,
    violence_days: int = 0,
    violence_weight: float = 1.0,
) -> Route | NoRoute:
    """The route on ``day``; with ``violence_days``, the events the caller may read from that many
    days up to ``day`` weigh against the roads they happened near."""
    network = RoadNetwork(segments())
    areas = [
        (area.actor.name, shape(json.loads(area.geometry)))
        for area in territory.in_force(viewer, day).filter(actor__name__in=avoid_actors)
    ]
    danger = network.danger_near(recent_incidents(viewer, day, violence_days)) if violence_days else {}
    return network.route(
        (start.lon, start.lat),
        (end.lon, end.lat),
        statuses_at(viewer, end_of(day)),
        areas,
        danger=danger,
        danger_weight=violence_weight,
    )


def recent_incidents(viewer: Viewer, day: date, days: int) -> list[Incident]:
    wanted = EventFilter(since=day - timedelta(days=days - 1), until=day)
    # Released points: a masked event weighs roads where its reader sees it, or routes would betray it.
    rows = events(viewer, wanted).order_by().values_list(column("longitude"), column("latitude"), "fatalities")
    return [Incident(lon, lat, dead) for lon, lat, dead in rows]


@transaction.atomic
def build_coarse_network(neighbours: int = 3) -> int:
    """Straight links between each commune's label point and its nearest communes, for routing
    where no road data is loaded. Idempotent: links (and their statuses) that still apply stay.
    Returns the number of links."""
    communes = set(AdminArea.objects.filter(level=2).values_list("pcode", flat=True))
    points = [
        (place.name, place.lon, place.lat)
        for place in Place.objects.filter(kind="admin", pcode__in=communes).order_by("pcode")
    ]
    located = {name: (lon, lat) for name, lon, lat in points}
    wanted = {
        hashlib.sha256(f"coarse|{a}|{b}".encode()).hexdigest(): (a, b, km)
        for a, b, km in coarse_links(points, neighbours)
    }
    RoadSegment.objects.filter(coarse=True).exclude(natural_key__in=wanted).delete()
    existing = set(RoadSegment.objects.filter(natural_key__in=wanted).values_list("natural_key", flat=True))
    RoadSegment.objects.bulk_create(
        [
            RoadSegment(
                name=f"{a} – {b}",
                coarse=True,
                geometry=json.dumps(mapping(LineString([located[a], located[b]]))),
                length_km=km,
                natural_key=key,
            )
            for key, (a, b, km) in wanted.items()
            if key not in existing
        ]
    )
    return len(wanted)


def register_status(
    segment: RoadSegment,
    status: str,
    observed_at: datetime,
    *,
    hours: int = DEFAULT_STATUS_HOURS,
    note: str = "",
    sources: str = "",
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL,
    owner: str | None = None,
) -> RoadStatus:
    """Record an observation; ``sources`` is cited as in import files (``;``-separated, URLs
    with notes), so a report from the field and one from a file point at the same Source rows."""
    with transaction.atomic():
        entry = RoadStatus.objects.create(
            segment=segment,
            status=status,
            observed_at=observed_at,
            expires_at=observed_at + timedelta(hours=hours),
            note=note,
            sensitivity=int(sensitivity),
            owner_id=owner,
        )
        entry.sources.set(SourceCache().sources(parse_citations(sources)))
    return entry


def roads_with_status(viewer: Viewer, moment: datetime) -> tuple[QuerySet[RoadSegment], dict[int, str]]:
    return RoadSegment.objects.all(), statuses_at(viewer, moment)
