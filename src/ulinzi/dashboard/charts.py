"""Server-side charts of the common operating picture, as SVG: the weekly trend with arrivals
marked, and horizontal bars for a ranking (fatalities by type, events by commune).

Drawn with matplotlib like the Force page's chart, so the dashboard and the situation report
share one drawing and need no chart JavaScript; text stays SVG text, readable by screen readers
and by tests.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import timedelta

import matplotlib
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from ulinzi.dashboard.figures import Tally, Trend
from ulinzi.forces.services import StrengthSnapshot

EVENTS_COLOUR = "#1b6ca8"
OUTSIDE_COLOUR = "#a9c6dd"
FATALITIES_COLOUR = "#b00020"
ARRIVAL_COLOUR = "#3a9d5d"


def trend_svg(trend: Trend, names: dict[str, str], *, width: float = 9.0, height: float = 3.6) -> bytes:
    """Events per week as bars (the window darker), fatalities as a line on the right axis, and a
    dashed line with a label at each arrival of personnel."""
    with _drawing():
        figure = Figure(figsize=(width, height), dpi=100)
        axes = figure.add_subplot()
        if not trend.weeks:
            return _empty(figure, "No weeks in this window")
        starts = [float(date2num(week.start)) for week in trend.weeks]  # type: ignore[no-untyped-call]  # untyped in matplotlib
        colours = [EVENTS_COLOUR if week.in_window else OUTSIDE_COLOUR for week in trend.weeks]
        axes.bar(starts, [week.events for week in trend.weeks], width=6, align="edge", color=colours, label="events")
        axes.set_ylabel("events per week")
        axes.set_ylim(bottom=0)
        deaths = axes.twinx()
        middles = [start + 3.5 for start in starts]
        deaths.plot(middles, [week.fatalities for week in trend.weeks], color=FATALITIES_COLOUR, linewidth=1.4)
        deaths.set_ylabel("fatalities per week", color=FATALITIES_COLOUR)
        deaths.set_ylim(bottom=0)
        top = max((week.events for week in trend.weeks), default=0) or 1
        # Arrivals close together (within 3% of the span) take turns at three heights, so their
        # labels do not print over each other.
        near = max(7.0, 0.03 * len(trend.weeks) * 7)
        last_at, level = float("-inf"), 0
        for arrival in trend.arrivals:
            at = float(date2num(arrival.on))  # type: ignore[no-untyped-call]  # untyped in matplotlib
            level = (level + 1) % 3 if at - last_at < near else 0
            last_at = at
            axes.axvline(at, color=ARRIVAL_COLOUR, linestyle="--", linewidth=1.2)
            label = f"{names.get(arrival.country, arrival.country)} +{arrival.personnel:,}"
            height = top * (0.97 - 0.32 * level)
            axes.text(at, height, label, rotation=90, va="top", ha="right", fontsize=7, color=ARRIVAL_COLOUR)
        end = trend.weeks[-1].start + timedelta(days=7)
        axes.set_xlim(starts[0], float(date2num(end)))  # type: ignore[no-untyped-call]  # untyped in matplotlib
        locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]  # untyped in matplotlib
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]  # untyped in matplotlib
        axes.grid(axis="y", color="#dddddd")
        axes.set_title("Events (bars) and fatalities (line) per week; dashed: personnel arriving", fontsize=10)
        figure.tight_layout()
        return _svg(figure)


def ranking_svg(
    tallies: Sequence[Tally], *, measure: str, title: str, width: float = 6.0, height: float | None = None
) -> bytes:
    """Horizontal bars, largest on top, of ``events`` or ``fatalities`` per tally."""
    with _drawing():
        shown = list(tallies)
        figure = Figure(figsize=(width, height or 0.9 + 0.32 * max(len(shown), 1)), dpi=100)
        axes = figure.add_subplot()
        if not shown:
            return _empty(figure, "Nothing recorded in this window")
        values = [getattr(tally, measure) for tally in shown]
        positions = list(range(len(shown)))[::-1]
        colour = FATALITIES_COLOUR if measure == "fatalities" else EVENTS_COLOUR
        axes.barh(positions, values, color=colour)
        axes.set_yticks(positions, [tally.label for tally in shown], fontsize=8)
        for position, value in zip(positions, values, strict=True):
            axes.text(value, position, f" {value:,}", va="center", fontsize=8)
        axes.set_xlim(0, max(*values, 1) * 1.15)
        axes.set_title(title, fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _svg(figure)


def strength_svg(snapshot: StrengthSnapshot, *, width: float = 6.0) -> bytes:
    """Deployed (solid) against pledged (outline) personnel per contributing country on a date."""
    with _drawing():
        countries = [country for country in snapshot.countries if country.deployed or country.pledged]
        figure = Figure(figsize=(width, 1.1 + 0.34 * max(len(countries), 1)), dpi=100)
        axes = figure.add_subplot()
        if not countries:
            return _empty(figure, f"No personnel deployed or pledged on {snapshot.on:%d %b %Y}")
        positions = list(range(len(countries)))[::-1]
        pledged = [country.pledged or 0 for country in countries]
        axes.barh(positions, pledged, color="none", edgecolor="#444444", linestyle="--", label="pledged")
        axes.barh(positions, [country.deployed for country in countries], color=EVENTS_COLOUR, label="deployed")
        axes.set_yticks(positions, [country.name for country in countries], fontsize=8)
        for position, country in zip(positions, countries, strict=True):
            promised = f" of {country.pledged:,} pledged" if country.pledged else ""
            axes.text(max(country.deployed, country.pledged or 0), position, f" {country.deployed:,}{promised}",
                      va="center", fontsize=8)  # fmt: skip
        axes.set_xlim(0, max(*pledged, *(c.deployed for c in countries), 1) * 1.5)
        total = f"{snapshot.total:,} deployed" + (
            f" of {snapshot.pledged_total:,} pledged" if snapshot.pledged_total else ""
        )
        axes.set_title(f"Force strength on {snapshot.on:%d %b %Y}: {total}", fontsize=10)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _svg(figure)


def _drawing() -> AbstractContextManager[None]:
    """Text as SVG text in the font the PDF embeds; ids stable, so the same chart is the same bytes."""
    return matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": "ulinzi"})


def _empty(figure: Figure, message: str) -> bytes:
    axes = figure.gca()
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()
    return _svg(figure)


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "Ulinzi"})
    return buffer.getvalue()
