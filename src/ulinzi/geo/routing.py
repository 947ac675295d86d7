"""Routes that avoid blocked roads and areas controlled by chosen actors, and shy away from
roads where violence happened recently.

Framework-free. A ``RoadNetwork`` is built from plain road segments; ``route`` finds the shortest
way between two points on the segments still usable, and when there is none says which
blocked segments and controlled areas closed every way: those leading out of the part of the
network the start can still reach. Recent violence does not close a road; it makes it longer
for the search: a segment's cost is its length times ``1 + weight × (events + fatalities)``
within ``DANGER_RADIUS_KM`` of it, so a detour wins when it is short enough to be worth it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

import shapely
from shapely.geometry.base import BaseGeometry

# Statuses that make a segment unusable; "unknown" and "open" do not.
BLOCKING = frozenset({"blocked", "barricade", "illegal_checkpoint", "flooded"})
SNAP_KM = 5.0  # farthest a start or end point may be from the network
NODE_PRECISION = 5  # decimal degrees of a node's coordinates, about 1 m
DANGER_RADIUS_KM = 1.0  # how near a road an event counts against it
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Segment:
    id: int
    name: str
    line: BaseGeometry  # a LineString in WGS84
    length_km: float


@dataclass(frozen=True)
class Avoided:
    segment_id: int
    segment_name: str
    reason: str  # "blocked (status barricade)" or "inside the control area of X"


@dataclass(frozen=True)
class Danger:
    """Recent violence near one segment."""

    segment_id: int
    segment_name: str
    events: int
    fatalities: int


@dataclass(frozen=True)
class Incident:
    lon: float
    lat: float
    fatalities: int


@dataclass(frozen=True)
class Route:
    segments: tuple[Segment, ...]
    length_km: float
    avoided: tuple[Avoided, ...]  # segments taken out of the network for this request
    exposure: tuple[Danger, ...] = ()  # recent violence near the segments the route still takes


@dataclass(frozen=True)
class NoRoute:
    reasons: tuple[Avoided, ...]  # every avoided segment leading out of what the start can still reach


class OffNetwork(ValueError):
    """A start or end point is too far from every road."""


def km_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (spherical Earth, enough for snapping and coarse networks)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _node(lon: float, lat: float) -> tuple[float, float]:
    return (round(lon, NODE_PRECISION), round(lat, NODE_PRECISION))


class RoadNetwork:
    def __init__(self, segments: Iterable[Segment]) -> None:
        self.segments = {segment.id: segment for segment in segments}
        self.graph: nx.MultiGraph = nx.MultiGraph()
        for segment in self.segments.values():
            coordinates = list(segment.line.coords)
            start, end = _node(*coordinates[0][:2]), _node(*coordinates[-1][:2])
            self.graph.add_edge(start, end, key=segment.id, weight=segment.length_km)

    def nearest_node(self, lon: float, lat: float) -> tuple[float, float]:
        nodes: list[tuple[float, float]] = list(self.graph.nodes)
        best = min(nodes, key=lambda node: km_between(lon, lat, node[0], node[1]), default=None)
        if best is None or km_between(lon, lat, best[0], best[1]) > SNAP_KM:
            raise OffNetwork(f"({lon:.5f}, {lat:.5f}) is more than {SNAP_KM:g} km from every road")
        return best

    def route(
        self,
        start: tuple[float, float],
        end: tuple[float, float],
        statuses: dict[int, str],
        avoid_areas: Sequence[tuple[str, BaseGeometry]] = (),
        *,
        danger: dict[int, Danger] | None = None,
        danger_weight: float = 1.0,
    ) -> Route | NoRoute:
        """The shortest way from ``start`` to ``end`` (lon, lat) on segments not blocked and not
        inside any of ``avoid_areas`` (actor name, polygon), each segment made ``danger_weight``
        lengths longer per recent event and death near it (``danger``)."""
        source, target = self.nearest_node(*start), self.nearest_node(*end)
        avoided = self._avoided(statuses, avoid_areas)
        usable = nx.MultiGraph(self.graph)
        for item in avoided:
            for u, v, key in list(usable.edges(keys=True)):
                if key == item.segment_id:
                    usable.remove_edge(u, v, key)
        danger = danger or {}
        for _, _, key, data in usable.edges(keys=True, data=True):
            near = danger.get(key)
            if near is not None:
                data["weight"] = self.segments[key].length_km * (1 + danger_weight * (near.events + near.fatalities))
        try:
            path = nx.shortest_path(usable, source, target, weight="weight")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return NoRoute(self._reasons(usable, source, avoided))
        segments = self._segments_along(usable, path)
        exposure = tuple(danger[s.id] for s in segments if s.id in danger)
        return Route(tuple(segments), sum(s.length_km for s in segments), tuple(avoided), exposure)

    def danger_near(self, incidents: Sequence[Incident], radius_km: float = DANGER_RADIUS_KM) -> dict[int, Danger]:
        """Events and deaths within ``radius_km`` of each segment, from one spatial index query.

        The radius is converted to degrees at the incidents' mean latitude (longitude degrees
        shrink with latitude), which is close enough over a country the size of Haiti.
        """
        if not incidents or not self.segments:
            return {}
        ids = list(self.segments)
        mean_lat = sum(i.lat for i in incidents) / len(incidents)
        scale = max(0.1, math.cos(math.radians(mean_lat)))
        points = shapely.points([(i.lon * scale, i.lat) for i in incidents])
        lines = [shapely.transform(self.segments[i].line, lambda xy: xy * [scale, 1]) for i in ids]
        tree = shapely.STRtree(lines)
        pairs = tree.query(points, predicate="dwithin", distance=radius_km / KM_PER_DEGREE)
        events: dict[int, int] = {}
        deaths: dict[int, int] = {}
        for point_index, line_index in zip(pairs[0], pairs[1], strict=True):
            segment_id = ids[int(line_index)]
            events[segment_id] = events.get(segment_id, 0) + 1
            deaths[segment_id] = deaths.get(segment_id, 0) + incidents[int(point_index)].fatalities
        return {
            segment_id: Danger(segment_id, self.segments[segment_id].name, count, deaths[segment_id])
            for segment_id, count in events.items()
        }

    def _avoided(self, statuses: dict[int, str], avoid_areas: Sequence[tuple[str, BaseGeometry]]) -> list[Avoided]:
        avoided = []
        for segment in self.segments.values():
            status = statuses.get(segment.id, "unknown")
            if status in BLOCKING:
                avoided.append(Avoided(segment.id, segment.name, f"blocked (status {status})"))
                continue
            for actor, area in avoid_areas:
                if shapely.intersects(segment.line, area):
                    avoided.append(Avoided(segment.id, segment.name, f"inside the control area of {actor}"))
                    break
        return avoided

    def _reasons(
        self, usable: nx.MultiGraph, source: tuple[float, float], avoided: list[Avoided]
    ) -> tuple[Avoided, ...]:
        """The avoided segments that close off the start: every one leaving the part of the
        network still reachable from it."""
        reachable = nx.node_connected_component(usable, source)
        closing = set()
        for u, v, key in self.graph.edges(keys=True):
            if (u in reachable) != (v in reachable):
                closing.add(key)
        return tuple(item for item in avoided if item.segment_id in closing)

    def _segments_along(self, graph: nx.MultiGraph, path: list[tuple[float, float]]) -> list[Segment]:
        segments = []
        for u, v in pairwise(path):
            key = min(graph[u][v], key=lambda k: graph[u][v][k]["weight"])
            segments.append(self.segments[key])
        return segments


def coarse_links(points: Sequence[tuple[str, float, float]], neighbours: int = 3) -> list[tuple[str, str, float]]:
    """Links from each point to its ``neighbours`` nearest others, for a network where no roads are
    loaded: (name A, name B, km), each pair once."""
    links: dict[tuple[str, str], float] = {}
    for name, lon, lat in points:
        ranked = sorted(
            (
                (km_between(lon, lat, other_lon, other_lat), other)
                for other, other_lon, other_lat in points
                if other != name
            )
        )
        for distance, other in ranked[:neighbours]:
            links[tuple(sorted((name, other)))] = distance  # type: ignore[index]
    return [(a, b, km) for (a, b), km in sorted(links.items())]
