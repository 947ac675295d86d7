"""The before/after chart's geometry: weekly bars, the trend before, and the pivot, in SVG units.

Framework-free. The page draws it as inline SVG from a template (``insights/chart.html``) rather
than as a matplotlib file, for two reasons: the page's Content-Security-Policy (``style-src
'self'``) would strip the ``style`` attributes matplotlib writes into inline SVG, while the
presentation attributes used here (``fill``, ``stroke``) are not styles; and the template escapes
every label, so nothing here builds markup by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ulinzi.insights.before_after import BeforeAfter, WeekRow

WIDTH = 760.0
LEFT, RIGHT = 52.0, 12.0  # room for the value labels on the left
LEGEND_HEIGHT = 24.0
TITLE_HEIGHT = 26.0
PLOT_HEIGHT = 140.0
DATES_HEIGHT = 36.0
PANEL_HEIGHT = TITLE_HEIGHT + PLOT_HEIGHT + DATES_HEIGHT
BAR_SHARE = 0.8  # of a week's slot; the rest is the gap between bars
MAX_DATE_LABELS = 7
NICE_STEPS = (1, 2, 4, 6, 8, 10)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    after: bool
    label: str  # "week of 2024-06-24: 3 events", for the tooltip and screen readers


@dataclass(frozen=True)
class Tick:
    y: float
    label: str

    @property
    def label_y(self) -> float:
        return self.y + 4  # the text's baseline, so it sits centred on the grid line


@dataclass(frozen=True)
class LegendItem:
    """A swatch (``kind`` "before" or "after"), or a line ("trend" or "predicted"), and its words."""

    kind: str
    x: float
    label: str

    @property
    def text_x(self) -> float:
        return self.x + (16 if self.kind in ("before", "after") else 30)

    @property
    def line_end(self) -> float:
        return self.x + 24


@dataclass(frozen=True)
class DateLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Panel:
    """One measure: its bars, scale, the trend fitted before and its extension after."""

    title: str
    title_y: float
    top: float  # of the plot area
    bottom: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    fitted: str  # SVG polyline points
    predicted: str
    dates: tuple[DateLabel, ...]
    dates_y: float

    @property
    def pivot_top(self) -> float:
        return self.top - 4

    @property
    def pivot_label_y(self) -> float:
        return self.top + 6


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    left: float
    right: float  # the x of the plot's right edge
    pivot_x: float
    pivot_label: str
    panels: tuple[Panel, ...]
    legend: tuple[LegendItem, ...]

    @property
    def label_x(self) -> float:
        return self.left - 6  # the value labels end just left of the plot

    @property
    def pivot_label_x(self) -> float:
        return self.pivot_x + 4


LEGEND = (
    LegendItem("before", LEFT, "weeks before"),
    LegendItem("after", LEFT + 112, "weeks after"),
    LegendItem("trend", LEFT + 222, "trend before"),
    LegendItem("predicted", LEFT + 342, "what it alone predicts after"),
)


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 2, 4, 6, 8 or 10 times a power of ten) at or above ``value``,
    so the axis ends on a number people read at a glance.

    >>> nice_ceiling(0), nice_ceiling(3), nice_ceiling(7.2), nice_ceiling(13), nice_ceiling(100)
    (1.0, 4.0, 8.0, 20.0, 100.0)
    """
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in NICE_STEPS if step * power >= value)


def layout(result: BeforeAfter) -> Chart:
    """Two panels, weekly events above and weekly deaths below, sharing the weeks and the pivot."""
    slot = (WIDTH - LEFT - RIGHT) / len(result.rows)
    panels = tuple(
        _panel(index, title, result.rows, measure, slot)
        for index, (title, measure) in enumerate((("Events per week", "events"), ("Deaths per week", "fatalities")))
    )
    pivot = result.window.pivot
    return Chart(
        width=WIDTH,
        height=LEGEND_HEIGHT + len(panels) * PANEL_HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        pivot_x=_round(LEFT + result.window.weeks * slot),
        pivot_label=f"{pivot.isoformat()} (its week counts as after)",
        panels=panels,
        legend=LEGEND,
    )


def _panel(index: int, title: str, rows: Sequence[WeekRow], measure: str, slot: float) -> Panel:
    counts = [row.events if measure == "events" else row.fatalities for row in rows]
    trend = [row.events_trend if measure == "events" else row.fatalities_trend for row in rows]
    top = LEGEND_HEIGHT + index * PANEL_HEIGHT + TITLE_HEIGHT
    bottom = top + PLOT_HEIGHT
    scale = nice_ceiling(max([*counts, *trend, 0]))

    def y_of(value: float) -> float:
        return _round(bottom - PLOT_HEIGHT * max(0.0, min(value, scale)) / scale)

    noun = "events" if measure == "events" else "deaths"
    bars = tuple(
        Bar(
            x=_round(LEFT + i * slot + slot * (1 - BAR_SHARE) / 2),
            y=y_of(count),
            width=_round(slot * BAR_SHARE),
            height=_round(bottom - y_of(count)),
            after=row.after,
            label=f"week of {row.start.isoformat()}: {count} {noun}",
        )
        for i, (row, count) in enumerate(zip(rows, counts, strict=True))
    )
    before = [i for i, row in enumerate(rows) if not row.after]
    centres = [LEFT + (i + 0.5) * slot for i in range(len(rows))]
    # The extension starts on the last week before, so the two lines join.
    after_from = before[-1] if before else 0
    return Panel(
        title=title,
        title_y=top - 8,
        top=top,
        bottom=bottom,
        bars=bars,
        ticks=tuple(Tick(y_of(value), f"{value:g}") for value in _tick_values(scale)),
        fitted=_points(centres, trend, before, y_of),
        predicted=_points(centres, trend, range(after_from, len(rows)), y_of),
        dates=_date_labels(rows, centres),
        dates_y=bottom + 16,
    )


def _tick_values(scale: float) -> tuple[float, ...]:
    half = scale / 2
    return (0.0, half, scale) if half == int(half) else (0.0, scale)


def _points(centres: list[float], values: list[float], indices: Sequence[int], y_of: Callable[[float], float]) -> str:
    return " ".join(f"{_round(centres[i])},{y_of(values[i])}" for i in indices)


def _date_labels(rows: Sequence[WeekRow], centres: list[float]) -> tuple[DateLabel, ...]:
    """A Monday every few weeks, always including the pivot's week, so the labels never overlap."""
    step = max(1, math.ceil(len(rows) / MAX_DATE_LABELS))
    first_after = next((i for i, row in enumerate(rows) if row.after), 0)
    return tuple(
        DateLabel(_round(centres[i]), row.start.isoformat())
        for i, row in enumerate(rows)
        if (i - first_after) % step == 0
    )


def _round(value: float) -> float:
    return round(value, 1)
