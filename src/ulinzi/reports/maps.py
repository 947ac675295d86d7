"""The situation report's maps, drawn on the server from plain geometries and points.

Framework-free: ``map_layers`` reads what the reader may see from the store and hands it here, so
the drawing is tested without a database and cannot reach a record by itself. No tiles and no
projection library: the report is rendered disconnected, and at Haiti's latitude an
equirectangular map with the right aspect ratio is accurate enough for a briefing.

Maps are PNG at 150 dpi rather than SVG: a month can hold a thousand points and a country's
communes, which PDF renderers draw far faster as one raster than as thousands of vector paths.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

import matplotlib
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as PlotPath

from shapely.geometry.base import BaseGeometry

from ulinzi.geo.share_chart import ILLUSTRATIVE_NOTE, UNKNOWN_COLOUR

DPI = 150
WIDTH_IN, HEIGHT_IN = 7.2, 5.4
AXES_WIDTH, AXES_HEIGHT = 0.98, 0.98  # of the figure; the title is the report's caption
POINT_LIMIT = 2000  # above this many events in view the map counts them per hexagon instead
BOUNDARY_COLOUR = "#8a9bab"
AREA_COLOUR = "#15324d"
LAND_COLOUR = "#f4f1ea"
WATER_COLOUR = "#dfe9f2"
# ACLED's six event types, each its own colour (colour-blind-safe where the palette allows).
TYPE_COLOURS = {
    "Battles": "#b00020",
    "Violence against civilians": "#e07b39",
    "Explosions/Remote violence": "#7b5ea7",
    "Riots": "#c4a000",
    "Protests": "#1b6ca8",
    "Strategic developments": "#3a9d5d",
}
MAX_NAMES = 30  # more area names than this and the map turns to text
HEX_COLOURS = ("#fde4c8", "#fbb882", "#f4874f", "#d9503a", "#9e1b26")


@dataclass(frozen=True)
class Box:
    """An extent in degrees: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    def grown(self, share: float = 0.06, at_least: float = 0.02) -> Box:
        """The box with a margin, so points on its edge are not cut in half."""
        dx = max((self.east - self.west) * share, at_least)
        dy = max((self.north - self.south) * share, at_least)
        return Box(self.west - dx, self.south - dy, self.east + dx, self.north + dy)

    def holds(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    @property
    def as_tuple(self) -> tuple[float, float, float, float]:
        return self.west, self.south, self.east, self.north


@dataclass(frozen=True)
class Outline:
    """An administrative area drawn for orientation: a boundary, and a name when there is room."""

    name: str
    geometry: BaseGeometry
    level: int
    chosen: bool = False  # the area the report is about, drawn heavier


@dataclass(frozen=True)
class EventPoint:
    """One event where its reader may see it: the true point, or the masked one."""

    lon: float
    lat: float
    event_type: str
    fatalities: int
    masked: bool = False


@dataclass(frozen=True)
class Hexagon:
    """Events counted in one H3 cell, with its outline as (lon, lat) pairs."""

    ring: tuple[tuple[float, float], ...]
    events: int
    fatalities: int


@dataclass(frozen=True)
class EventsMap:
    title: str
    box: Box
    outlines: tuple[Outline, ...]
    points: tuple[EventPoint, ...] = ()
    hexagons: tuple[Hexagon, ...] = ()
    resolution: int | None = None  # the hexagons' H3 resolution; None when points are drawn


@dataclass(frozen=True)
class ControlShape:
    actor: str
    geometry: BaseGeometry
    colour: str
    illustrative: bool


@dataclass(frozen=True)
class ControlMap:
    title: str
    box: Box
    outlines: tuple[Outline, ...]
    shapes: tuple[ControlShape, ...]
    on: date


def draw_events(chosen: EventsMap) -> bytes:
    """Points coloured by event type and sized by fatalities, or hexagons shaded by count."""
    with _drawing():
        figure, axes, shown = _canvas(chosen.box, chosen.outlines)
        if chosen.hexagons:
            _hexagons(figure, axes, chosen.hexagons, chosen.resolution)
        elif chosen.points:
            _points(axes, chosen.points)
        else:
            axes.text(0.5, 0.5, "No event in this extent", ha="center", va="center", transform=axes.transAxes)
        _names(axes, shown, chosen.outlines)
        _scale_bar(axes, shown)
        return _png(figure)


def draw_control(chosen: ControlMap) -> bytes:
    """Control areas in force coloured per actor; illustrative ones hatched and said to be so."""
    with _drawing():
        figure, axes, shown = _canvas(chosen.box, chosen.outlines)
        for shape in chosen.shapes:
            hatch = "////" if shape.illustrative else None
            _fill(axes, shape.geometry, face=shape.colour, edge=shape.colour, alpha=0.45, hatch=hatch, zorder=2)
        _names(axes, shown, chosen.outlines)
        if chosen.shapes:
            actors = dict.fromkeys((shape.actor, shape.colour) for shape in chosen.shapes)
            illustrative = {shape.actor for shape in chosen.shapes if shape.illustrative}
            handles = [
                Patch(facecolor=colour, edgecolor=colour, alpha=0.6, hatch="////" if actor in illustrative else None,
                      label=f"{actor} (illustrative)" if actor in illustrative else actor)
                for actor, colour in actors
            ]  # fmt: skip
            axes.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.9)
            if illustrative:
                axes.text(0.99, 0.99, ILLUSTRATIVE_NOTE, transform=axes.transAxes, ha="right", va="top",
                          fontsize=8, color="#9a5b00", fontweight="bold",
                          bbox={"facecolor": "white", "edgecolor": "#9a5b00", "alpha": 0.95}, zorder=7)  # fmt: skip
        else:
            message = f"No control area in force on {chosen.on.day} {chosen.on:%b %Y} that you may see"
            axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, fontsize=9)
        _scale_bar(axes, shown)
        return _png(figure)


def type_colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, UNKNOWN_COLOUR)


def _canvas(box: Box, outlines: Sequence[Outline]) -> tuple[Figure, Axes, Box]:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    axes = figure.add_axes((0.01, 0.01, AXES_WIDTH, AXES_HEIGHT))
    axes.set_facecolor(WATER_COLOUR)
    for outline in sorted(outlines, key=lambda one: (one.chosen, -one.level)):
        heavy = outline.chosen or outline.level == 1
        _fill(
            axes,
            outline.geometry,
            face=LAND_COLOUR if outline.level == max(o.level for o in outlines) else "none",
            edge=AREA_COLOUR if outline.chosen else BOUNDARY_COLOUR,
            linewidth=1.6 if outline.chosen else (0.9 if heavy else 0.5),
            zorder=3 if outline.chosen else 1,
        )
    shown = fitted(box, AXES_WIDTH * WIDTH_IN / (AXES_HEIGHT * HEIGHT_IN))
    axes.set_xlim(shown.west, shown.east)
    axes.set_ylim(shown.south, shown.north)
    axes.set_aspect(_stretch(box), adjustable="box")
    axes.set_xticks([])
    axes.set_yticks([])
    return figure, axes, shown


def fitted(box: Box, ratio: float) -> Box:
    """The box grown in one direction so that, drawn true to shape, it fills a frame ``ratio``
    times as wide as it is high.

    >>> fitted(Box(0, -1, 1, 1), 1.0)
    Box(west=-0.5, south=-1, east=1.5, north=1)
    """
    wide = (box.east - box.west) / _stretch(box)
    high = box.north - box.south
    if wide / high < ratio:
        grow = (high * ratio - wide) * _stretch(box) / 2
        return Box(box.west - grow, box.south, box.east + grow, box.north)
    grow = (wide / ratio - high) / 2
    return Box(box.west, box.south - grow, box.east, box.north + grow)


def _stretch(box: Box) -> float:
    """Degrees of longitude shrink with latitude: a degree north is this many degrees east long."""
    return 1 / math.cos(math.radians((box.south + box.north) / 2))


def _fill(
    axes: Axes,
    geometry: BaseGeometry,
    *,
    face: str,
    edge: str,
    linewidth: float = 0.8,
    alpha: float = 1.0,
    hatch: str | None = None,
    zorder: float = 1,
) -> None:
    patches = [PathPatch(_path(polygon)) for polygon in _polygons(geometry)]
    if not patches:
        return
    collection = PatchCollection(
        patches, facecolor=face, edgecolor=edge, linewidth=linewidth, alpha=alpha, hatch=hatch, zorder=zorder
    )
    axes.add_collection(collection, autolim=False)


def _polygons(geometry: BaseGeometry) -> list[BaseGeometry]:
    if geometry.geom_type == "Polygon":
        return [geometry]
    if geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [part for piece in getattr(geometry, "geoms", ()) for part in _polygons(piece)]
    return []


def _path(polygon: BaseGeometry) -> PlotPath:
    """A polygon with its holes as one path, each ring closed."""
    rings = [polygon.exterior, *polygon.interiors]  # type: ignore[attr-defined]  # a Polygon, checked by _polygons
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for ring in rings:
        coordinates = [(x, y) for x, y, *_ in ring.coords]
        vertices += coordinates
        codes += [int(PlotPath.MOVETO)] + [int(PlotPath.LINETO)] * (len(coordinates) - 2) + [int(PlotPath.CLOSEPOLY)]
    return PlotPath(vertices, codes)


def _points(axes: Axes, points: Sequence[EventPoint]) -> None:
    order = sorted(points, key=lambda point: -point.fatalities)  # small ones on top, so none is hidden
    axes.scatter(
        [point.lon for point in order],
        [point.lat for point in order],
        s=[28 + 22 * math.sqrt(point.fatalities) for point in order],
        c=[type_colour(point.event_type) for point in order],
        edgecolors="white",
        linewidths=0.6,
        alpha=0.85,
        zorder=4,
    )
    counts = Counter(point.event_type for point in points)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=type_colour(kind), label=f"{kind} ({counts[kind]:,})")
        for kind in sorted(counts, key=lambda kind: (-counts[kind], kind))
    ]
    handles.append(Line2D([], [], linestyle="", label="size: fatalities"))
    axes.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.9)


def _hexagons(figure: Figure, axes: Axes, hexagons: Sequence[Hexagon], resolution: int | None) -> None:
    top = max(hexagon.events for hexagon in hexagons)
    shade = Normalize(vmin=0, vmax=math.log1p(top))
    patches = [PathPatch(PlotPath([*hexagon.ring, hexagon.ring[0]], closed=True)) for hexagon in hexagons]
    colours = [HEX_COLOURS[min(int(shade(math.log1p(h.events)) * len(HEX_COLOURS)), 4)] for h in hexagons]
    axes.add_collection(
        PatchCollection(patches, facecolor=colours, edgecolor="#7a1f1f", linewidth=0.3, alpha=0.9, zorder=4),
        autolim=False,
    )
    steps = sorted({max(1, round(math.expm1(shade.inverse((i + 1) / len(HEX_COLOURS))))) for i in range(5)})
    handles = [Patch(facecolor=HEX_COLOURS[i], edgecolor="#7a1f1f", label=f"up to {n:,}") for i, n in enumerate(steps)]
    where = f"events per H3 hexagon (resolution {resolution})" if resolution is not None else "events per hexagon"
    axes.legend(handles=handles, title=where, title_fontsize=7, loc="lower left", fontsize=7, framealpha=0.9)


def _names(axes: Axes, box: Box, outlines: Sequence[Outline]) -> None:
    """The finest areas' names, when few enough areas are in view."""
    finest = max((outline.level for outline in outlines), default=0)
    inside = [
        (outline, point)
        for outline in outlines
        if outline.level == finest
        for point in [outline.geometry.representative_point()]
        if box.holds(point.x, point.y)
    ]
    if len(inside) > MAX_NAMES:
        return
    for outline, point in inside:
        axes.text(point.x, point.y, outline.name, fontsize=6.5, color="#44515e", ha="center", va="center",
                  zorder=3.5, alpha=0.9)  # fmt: skip


def _scale_bar(axes: Axes, box: Box) -> None:
    """A bar of a round number of kilometres, about a fifth of the map's width."""
    middle = math.radians((box.south + box.north) / 2)
    km_per_degree = 111.32 * math.cos(middle)
    width_km = (box.east - box.west) * km_per_degree
    target = width_km / 5
    length = max((step for step in (1, 2, 5, 10, 20, 50, 100, 200) if step <= target), default=1)
    x0 = box.east - (box.east - box.west) * 0.05 - length / km_per_degree
    y0 = box.south + (box.north - box.south) * 0.04
    axes.plot([x0, x0 + length / km_per_degree], [y0, y0], color="#1d2733", linewidth=2.5, zorder=6)
    axes.text(x0 + length / km_per_degree / 2, y0, f"{length} km", ha="center", va="bottom", fontsize=7, zorder=6,
              bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})  # fmt: skip


def _drawing() -> AbstractContextManager[None]:
    return matplotlib.rc_context({"font.family": "DejaVu Sans"})


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
