"""What the report's maps show, read from the store as the reader may see it; ``maps`` draws it.

Events come through ``incidents.services.events``, so a masked event is placed at its released
(displaced) point and counted in the hexagon of that point, never of its true one, exactly as
the Events page's map does. The points are read only when few enough to draw; beyond that the
database counts them per stored H3 cell and only the cells reach Python.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from h3.api import basic_int as h3
from shapely.geometry import shape

from ulinzi.accounts.policy import Viewer
from ulinzi.geo import territory
from ulinzi.geo.models import AdminArea, ControlArea
from ulinzi.incidents import services as incidents
from ulinzi.incidents.models import Event
from ulinzi.incidents.release import column
from ulinzi.incidents.services import EventFilter
from ulinzi.reports.maps import POINT_LIMIT, Box, ControlMap, ControlShape, EventPoint, EventsMap, Hexagon, Outline
from ulinzi.web import services as web

STORED_RESOLUTION = 8  # Event.h3_cell
COARSEST_RESOLUTION = 4
HEXAGONS_ACROSS = 50  # about this many hexagons span the map's width


@dataclass(frozen=True)
class Frame:
    """Where both maps look, and why there (said under the maps)."""

    box: Box
    outlines: tuple[Outline, ...]
    reason: str


@dataclass(frozen=True)
class EventsLayer:
    map: EventsMap
    in_view: int  # events of the month inside the frame
    masked: int  # of those, shown at a displaced point


def frame(viewer: Viewer, month: EventFilter, area: AdminArea | None) -> Frame | None:
    """The area's extent; without one, the Port-au-Prince metropolitan area's when the month has
    events there, else the extent of the month's events, else the country's. None without boundaries."""
    if area is not None:
        box, reason = Box(area.min_lon, area.min_lat, area.max_lon, area.max_lat), f"{area.name} ({area.pcode})"
    else:
        metro = _box_of(AdminArea.objects.filter(pcode__in=web.PAP_METRO_PCODES))
        if metro is not None and incidents.events(viewer, replace(month, bbox=metro.as_tuple)).exists():
            box, reason = metro, web.PAP_METRO_NAME
        elif (spread := _events_box(incidents.events(viewer, month))) is not None:
            box, reason = spread, "the extent of the month's events"
        elif (country := _box_of(AdminArea.objects.all())) is not None:
            box, reason = country, "the whole country (no event this month)"
        else:
            return None
    shown = box.grown()
    return Frame(shown, outlines(shown, area), reason)


def outlines(box: Box, area: AdminArea | None) -> tuple[Outline, ...]:
    """Departments and communes that touch the box, from their simplified geometry."""
    found = AdminArea.objects.filter(
        level__in=(1, 2), min_lon__lte=box.east, max_lon__gte=box.west, min_lat__lte=box.north, max_lat__gte=box.south
    ).only("pcode", "level", "name_fr", "name_en", "name_ht", "display_geometry")
    return tuple(
        Outline(
            one.name, shape(json.loads(one.display_geometry)), one.level, chosen=area is not None and one.pk == area.pk
        )
        for one in found
    )


def events_layer(viewer: Viewer, month: EventFilter, where: Frame, title: str) -> EventsLayer:
    """The month's events in the frame: each one when POINT_LIMIT or fewer, else hexagon counts."""
    found = incidents.events(viewer, replace(month, bbox=where.box.as_tuple)).order_by()
    # Counted apart: an aggregate's FILTER would lose the ``masked`` annotation (see _events_box).
    count, masked = found.count(), found.filter(Q(masked=True)).count()
    if count <= POINT_LIMIT:
        rows = found.values_list(column("longitude"), column("latitude"), "event_type", "fatalities", "masked")
        points = tuple(EventPoint(lon, lat, kind, dead, hidden) for lon, lat, kind, dead, hidden in rows)
        drawn = EventsMap(title, where.box, where.outlines, points=points)
    else:
        resolution = resolution_for(where.box)
        drawn = EventsMap(title, where.box, where.outlines, hexagons=hexagons(found, resolution), resolution=resolution)
    return EventsLayer(drawn, count, masked)


def resolution_for(box: Box) -> int:
    """The finest H3 resolution (up to the stored one) whose hexagons stay visible on the page."""
    width_km = (box.east - box.west) * 111.32
    for resolution in range(STORED_RESOLUTION, COARSEST_RESOLUTION - 1, -1):
        if h3.average_hexagon_edge_length(resolution, unit="km") * HEXAGONS_ACROSS >= width_km / 2:
            return resolution
    return COARSEST_RESOLUTION


def hexagons(found: QuerySet[Event], resolution: int) -> tuple[Hexagon, ...]:
    """Events and fatalities per hexagon: stored cells grouped in the database; a masked event
    (which has no stored cell for its reader) in the cell of its displaced point."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])

    def add(cell: int, events: int, dead: int) -> None:
        parent = h3.cell_to_parent(cell, resolution) if h3.get_resolution(cell) > resolution else cell
        totals[parent][0] += events
        totals[parent][1] += dead

    full = found.filter(Q(masked=False))
    for row in full.filter(h3_cell__isnull=False).values("h3_cell").annotate(n=Count("pk"), dead=Sum("fatalities")):
        add(int(row["h3_cell"]), row["n"], row["dead"] or 0)
    for lat, lon, dead in full.filter(h3_cell__isnull=True).values_list("latitude", "longitude", "fatalities"):
        add(h3.latlng_to_cell(lat, lon, resolution), 1, dead)
    shown = found.filter(Q(masked=True)).values_list("masked_latitude", "masked_longitude", "fatalities")
    for shown_lat, shown_lon, dead in shown:
        if shown_lat is not None and shown_lon is not None:  # released() holds back events without one
            add(h3.latlng_to_cell(shown_lat, shown_lon, resolution), 1, dead)
    return tuple(
        Hexagon(tuple((lon, lat) for lat, lon in h3.cell_to_boundary(cell)), events, dead)
        for cell, (events, dead) in sorted(totals.items())
    )


def control_map(viewer: Viewer, on: date, where: Frame, title: str) -> tuple[ControlMap, QuerySet[ControlArea]]:
    """Control areas in force on ``on`` that the reader may see and that touch the frame."""
    box = where.box
    found = territory.in_force(viewer, on).filter(
        min_lon__lte=box.east, max_lon__gte=box.west, min_lat__lte=box.north, max_lat__gte=box.south
    )
    colours = web.actor_colours(viewer)
    shapes = tuple(
        ControlShape(
            area.actor.name,
            shape(json.loads(area.display_geometry or area.geometry)),
            colours.get(area.actor.name, "#666666"),
            area.illustrative,
        )
        for area in found
    )
    return ControlMap(title, box, where.outlines, shapes, on), found


def _box_of(areas: QuerySet[AdminArea]) -> Box | None:
    bounds = areas.aggregate(west=Min("min_lon"), south=Min("min_lat"), east=Max("max_lon"), north=Max("max_lat"))
    if bounds["west"] is None:
        return None
    return Box(bounds["west"], bounds["south"], bounds["east"], bounds["north"])


def _events_box(found: QuerySet[Event]) -> Box | None:
    """The extent of the points the reader is shown (displaced ones for masked events).

    Events seen in full and masked ones are bounded apart, each on its own columns: an aggregate
    over ``release.column`` would drop the ``masked`` annotation it names (Django 5.2), and on
    SQLite the CASE would then quietly read every true point.
    """
    boxes = []
    for shown, lon, lat in (
        (Q(masked=False), "longitude", "latitude"),
        (Q(masked=True), "masked_longitude", "masked_latitude"),
    ):
        bounds = found.filter(shown).order_by().aggregate(west=Min(lon), south=Min(lat), east=Max(lon), north=Max(lat))
        if bounds["west"] is not None:
            boxes.append(Box(bounds["west"], bounds["south"], bounds["east"], bounds["north"]))
    if not boxes:
        return None
    return Box(
        min(b.west for b in boxes), min(b.south for b in boxes), max(b.east for b in boxes), max(b.north for b in boxes)
    )
