"""Render the share of an area under control over time as step lines in SVG, on the server.

Framework-free, like ``forces/chart.py``: the Map page shows the picture without chart
JavaScript, and text stays SVG text so screen readers and tests can read the labels.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import matplotlib
from matplotlib.dates import DateFormatter, MonthLocator, date2num
from matplotlib.figure import Figure

from ulinzi.geo.control import Share

# Warm colours first, so control areas stand apart from the map's blue administrative areas.
PALETTE = ("#b8405e", "#e07b39", "#7b5ea7", "#3a9d5d", "#8c6d31", "#c4a000", "#4c9fb5", "#1b6ca8")
UNKNOWN_COLOUR = "#666666"
ALL_ACTORS_COLOUR = "#1d2733"
ILLUSTRATIVE_NOTE = "Illustrative data — not an assessment"


def actor_colours(actors: Iterable[str]) -> dict[str, str]:
    """One colour per actor, by name order, so the map, its legend and the chart agree.

    >>> actor_colours(["Group B", "Group A", "Group B"])
    {'Group A': '#b8405e', 'Group B': '#e07b39'}
    """
    return {actor: PALETTE[index % len(PALETTE)] for index, actor in enumerate(sorted(set(actors)))}


@dataclass(frozen=True)
class ShareChart:
    """What to draw: the share on each change date, carried on to ``until``."""

    area: str  # e.g. "Port-au-Prince metropolitan area", or the names of the areas
    shares: Sequence[Share]
    until: date
    colours: Mapping[str, str] = field(default_factory=dict)
    marked: date | None = None  # the date shown on the map, drawn as a vertical line
    illustrative: bool = False  # some of the claims were made up for a demonstration


@dataclass(frozen=True)
class Line:
    label: str
    values: tuple[float, ...]  # percent, one per change date


def by_population(shares: Sequence[Share]) -> bool:
    """Population shares when every point has them; area shares otherwise."""
    return bool(shares) and all(share.any_actor.population_share is not None for share in shares)


def lines(shares: Sequence[Share]) -> list[Line]:
    """All actors together, then one line per actor (0 on dates it holds nothing), in percent."""
    people = by_population(shares)

    def percent(fraction: float | None, area_fraction: float) -> float:
        return 100 * ((fraction or 0.0) if people else area_fraction)

    together = Line(
        "all actors together", tuple(percent(s.any_actor.population_share, s.any_actor.area_share) for s in shares)
    )
    # An actor whose claims in force all lie outside the area holds none of it: no line.
    names = sorted({actor.actor for share in shares for actor in share.actors if actor.area_km2 > 0})
    per_actor = []
    for name in names:
        values = []
        for share in shares:
            held = next((actor for actor in share.actors if actor.actor == name), None)
            values.append(0.0 if held is None else percent(held.population_share, held.area_share))
        per_actor.append(Line(name, tuple(values)))
    return [together, *per_actor]


def render_svg(chart: ShareChart) -> bytes:
    """Step lines of the share under control: all actors together (dark, thick) and each actor."""
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": "ulinzi"}):
        figure = Figure(figsize=(9, 3.8), dpi=100)
        axes = figure.add_subplot()
        if not any(actor.area_km2 > 0 for share in chart.shares for actor in share.actors):
            axes.text(
                0.5, 0.5, "No control areas recorded for this area", ha="center", va="center", transform=axes.transAxes
            )
            axes.set_axis_off()
            return _svg(figure)
        end = max(chart.until, chart.shares[-1].on)
        dates = [_num(day) for day in (*(share.on for share in chart.shares), end)]
        for index, line in enumerate(lines(chart.shares)):
            first = index == 0
            axes.step(
                dates,
                [*line.values, line.values[-1]],
                where="post",
                color=ALL_ACTORS_COLOUR if first else chart.colours.get(line.label, UNKNOWN_COLOUR),
                linewidth=2.4 if first else 1.6,
                label=line.label,
            )
        if chart.marked is not None and dates[0] <= _num(chart.marked) <= dates[-1]:
            shown = f"shown on the map ({chart.marked.day} {chart.marked:%b %Y})"
            axes.axvline(_num(chart.marked), color="#888888", linestyle="--", linewidth=1, label=shown)
        measure = "population" if by_population(chart.shares) else "area"
        axes.set_ylabel(f"share of {measure} (%)")
        axes.set_ylim(bottom=0)
        axes.set_xlim(dates[0], dates[-1])
        axes.xaxis.set_major_locator(MonthLocator(bymonth=(1, 4, 7, 10)))  # type: ignore[no-untyped-call]  # untyped in matplotlib
        axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))  # type: ignore[no-untyped-call]  # untyped in matplotlib
        axes.grid(axis="y", color="#dddddd")
        # Beside the plot, so it never hides a line or the marked date.
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        axes.set_title(f"Share of {measure} under control: {chart.area}", fontsize=11, loc="left")
        if chart.illustrative:
            note = ILLUSTRATIVE_NOTE.replace(" — ", " —\n")
            axes.text(1.02, 0.0, note, transform=axes.transAxes, fontsize=9, color="#9a5b00", fontweight="bold")
        figure.autofmt_xdate()
        figure.tight_layout()
        return _svg(figure)


def _num(day: date) -> float:
    return float(date2num(day))  # type: ignore[no-untyped-call]  # untyped in matplotlib


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "Ulinzi"})
    return buffer.getvalue()
