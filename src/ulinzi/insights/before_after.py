"""Events and fatalities per week before and after a date, the change, and what it cannot prove.

Framework-free (issue #6, item 2): the service counts the events a viewer may read per ISO week
and hands the counts here; this module lays out the weeks, compares the two sides, fits the trend
of the weeks before and says what that trend alone would have predicted for the weeks after, so a
fall that was already under way is not read as an effect of the date. The caveat it writes says
what such a comparison cannot show, whatever the numbers.

Weeks are ISO weeks, Monday to Sunday. The week that holds the pivot date belongs to **after**:
the N weeks before end on the Sunday before the pivot's week, and the N weeks after start on that
week's Monday. A deployment that lands on a Thursday therefore counts its own week as after;
shifting the window by those few days would need day counts, which the weekly view does not keep.
A week without events counts as zero, not as missing: the incident store records what happened
as far as anyone reported it, and an empty week is a week in which nothing was recorded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

MAX_WEEKS = 104  # two years each side: beyond that, a weekly before/after says little
# Below this many events on both sides together, say so plainly in the caveat.
FEW_EVENTS = 30
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class WeeklyCount:
    """What was counted in the week holding ``week`` (any day of it; the Monday by convention)."""

    week: date
    events: int
    fatalities: int


@dataclass(frozen=True)
class Window:
    """The weeks compared: ``weeks`` before the pivot's week and ``weeks`` from it."""

    pivot: date
    weeks: int
    pivot_week: date  # the Monday of the pivot's week, the first week after
    first_day: date  # the Monday of the first week before
    last_day: date  # the Sunday of the last week after

    @property
    def mondays(self) -> tuple[date, ...]:
        return tuple(self.first_day + i * WEEK for i in range(2 * self.weeks))


@dataclass(frozen=True)
class WeekRow:
    """One week of the window, with the trend of the weeks before drawn through it."""

    start: date  # Monday
    after: bool
    events: int
    fatalities: int
    events_trend: float  # fitted on a week before, predicted on a week after (never below zero)
    fatalities_trend: float

    @property
    def end(self) -> date:
        """The Sunday that ends the week."""
        return self.start + timedelta(days=6)


@dataclass(frozen=True)
class Trend:
    """The least-squares line through the weekly counts before, in counts per week."""

    slope: float  # change per week
    intercept: float  # the value on the first week before
    fitted: tuple[float, ...]  # on each week before, held at zero where the line goes below it
    predicted: tuple[float, ...]  # on each week after, likewise


@dataclass(frozen=True)
class Comparison:
    """One measure (events or fatalities) before against after, and against the trend."""

    measure: str
    before_total: int
    after_total: int
    before_mean: float  # per week
    after_mean: float
    change: float  # after_mean - before_mean, per week
    change_percent: float | None  # None when nothing was counted before: no division by zero
    trend: Trend
    trend_mean: float  # what the trend before predicts per week after, on average
    trend_change_percent: float | None  # that prediction against the mean before
    beyond_trend: float  # after_mean - trend_mean: the part of the change the trend does not explain

    @property
    def sentence(self) -> str:
        return describe(self)


@dataclass(frozen=True)
class BeforeAfter:
    window: Window
    rows: tuple[WeekRow, ...]
    events: Comparison
    fatalities: Comparison
    caveat: tuple[str, ...]


def week_start(day: date) -> date:
    """The Monday of the ISO week holding ``day``.

    >>> week_start(date(2024, 6, 25)), week_start(date(2024, 6, 24)), week_start(date(2024, 6, 30))
    (datetime.date(2024, 6, 24), datetime.date(2024, 6, 24), datetime.date(2024, 6, 24))
    """
    return day - timedelta(days=day.weekday())


def window(pivot: date, weeks: int) -> Window:
    """The ``weeks`` weeks before the pivot's week and the ``weeks`` weeks from it (the pivot's
    week is after). ValueError for a number of weeks outside 1 to MAX_WEEKS or a window that
    would leave the calendar."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be between 1 and {MAX_WEEKS}")
    monday = week_start(pivot)
    try:
        first, last = monday - weeks * WEEK, monday + weeks * WEEK - timedelta(days=1)
    except OverflowError:
        raise ValueError(f"{pivot} is too close to the end of the calendar for {weeks} weeks each side") from None
    return Window(pivot=pivot, weeks=weeks, pivot_week=monday, first_day=first, last_day=last)


def linear_trend(values: Iterable[float], ahead: int) -> Trend:
    """The least-squares line through ``values`` (one per week) and its next ``ahead`` values.

    One week alone has no trend: the line is flat at its value. Where the line goes below zero its
    values are held at zero, fitted or predicted, since fewer than no events cannot happen; the
    slope and intercept are the line's own.

    >>> line = linear_trend([10, 6, 8, 4], ahead=4)
    >>> round(line.slope, 6), round(line.intercept, 6)
    (-1.6, 9.4)
    >>> [round(value, 6) for value in line.predicted]
    [3.0, 1.4, 0.0, 0.0]
    """
    counts = np.asarray(list(values), dtype=float)
    if counts.size < 2:
        level = float(counts[0]) if counts.size else 0.0
        return Trend(0.0, level, (max(level, 0.0),) * counts.size, (max(level, 0.0),) * ahead)
    weeks = np.arange(counts.size, dtype=float)
    # Least squares in closed form on centred weeks: exact where the counts allow (a flat series
    # has a slope of 0.0, not 1e-16), which a general solver is not.
    centred = weeks - weeks.mean()
    slope = float(centred @ (counts - counts.mean()) / (centred @ centred))
    intercept = float(counts.mean() - slope * weeks.mean())
    later = np.arange(counts.size, counts.size + ahead, dtype=float)
    return Trend(
        slope=slope,
        intercept=intercept,
        fitted=tuple(max(float(v), 0.0) for v in slope * weeks + intercept),
        predicted=tuple(max(float(v), 0.0) for v in slope * later + intercept),
    )


def percent_change(before: float, after: float) -> float | None:
    """``after`` against ``before`` in per cent; None when ``before`` is zero (any rise from nothing
    is infinite, and no rise is no information).

    >>> percent_change(8, 5), percent_change(4, 5), percent_change(0, 3)
    (-37.5, 25.0, None)
    """
    if before == 0:
        return None
    return (after - before) / before * 100


def compare(measure: str, before: list[int], after: list[int]) -> Comparison:
    """The two sides of one measure, their weekly means, the change and the trend's prediction."""
    before_mean, after_mean = _mean(before), _mean(after)
    trend = linear_trend(before, ahead=len(after))
    trend_mean = _mean(trend.predicted)
    return Comparison(
        measure=measure,
        before_total=sum(before),
        after_total=sum(after),
        before_mean=before_mean,
        after_mean=after_mean,
        change=after_mean - before_mean,
        change_percent=percent_change(before_mean, after_mean),
        trend=trend,
        trend_mean=trend_mean,
        trend_change_percent=percent_change(before_mean, trend_mean),
        beyond_trend=after_mean - trend_mean,
    )


def before_after(pivot: date, weeks: int, counts: Iterable[WeeklyCount]) -> BeforeAfter:
    """Compare the weeks before the pivot's week with the weeks from it (see the module's notes).

    ``counts`` may leave weeks out (they count as zero), repeat a week (its counts add up) and
    hold weeks outside the window (they are ignored).

    >>> counts = [WeeklyCount(date(2024, 6, 10), 8, 2), WeeklyCount(date(2024, 6, 17), 8, 4),
    ...           WeeklyCount(date(2024, 6, 24), 5, 0)]
    >>> result = before_after(date(2024, 6, 25), weeks=2, counts=counts)
    >>> [(row.start.isoformat(), row.after, row.events) for row in result.rows]
    [('2024-06-10', False, 8), ('2024-06-17', False, 8), ('2024-06-24', True, 5), ('2024-07-01', True, 0)]
    >>> result.events.before_mean, result.events.after_mean, result.events.change_percent
    (8.0, 2.5, -68.75)
    >>> result.events.sentence
    '69 % fewer events per week after than before (8.0 before, 2.5 after); the trend before
    predicted no change.'
    """
    span = window(pivot, weeks)
    by_week = {monday: [0, 0] for monday in span.mondays}
    for count in counts:
        found = by_week.get(week_start(count.week))
        if found is not None:
            found[0] += count.events
            found[1] += count.fatalities
    events = [by_week[monday][0] for monday in span.mondays]
    dead = [by_week[monday][1] for monday in span.mondays]
    n = span.weeks
    event_side = compare("events", events[:n], events[n:])
    dead_side = compare("fatalities", dead[:n], dead[n:])
    event_line = (*event_side.trend.fitted, *event_side.trend.predicted)
    dead_line = (*dead_side.trend.fitted, *dead_side.trend.predicted)
    rows = tuple(
        WeekRow(monday, i >= n, events[i], dead[i], event_line[i], dead_line[i])
        for i, monday in enumerate(span.mondays)
    )
    return BeforeAfter(span, rows, event_side, dead_side, caveat(event_side, dead_side, weeks))


def describe(comparison: Comparison) -> str:
    """The change in words, then what the trend before already predicted.

    >>> describe(compare("events", [8, 8], [5, 5]))
    '38 % fewer events per week after than before (8.0 before, 5.0 after); the trend before
    predicted no change.'
    >>> describe(compare("events", [10, 6], [5, 5]))
    '38 % fewer events per week after than before (8.0 before, 5.0 after); the trend before
    already predicted 88 % fewer.'
    """
    name = comparison.measure
    if comparison.change_percent is None:
        if comparison.after_total == 0:
            return f"No {name} were counted in the weeks before or after."
        return (
            f"No {name} were counted in the weeks before and {comparison.after_mean:.1f} per week after: a change "
            "from nothing has no percentage."
        )
    means = f"({comparison.before_mean:.1f} before, {comparison.after_mean:.1f} after)"
    whole = _whole(abs(comparison.change_percent))
    if whole == 0:
        said = f"About as many {name} per week after as before {means}"
    else:
        way = "fewer" if comparison.change_percent < 0 else "more"
        said = f"{whole} % {way} {name} per week after than before {means}"
    return f"{said}; {_trend_words(comparison)}."


def _trend_words(comparison: Comparison) -> str:
    predicted = comparison.trend_change_percent
    assert predicted is not None  # the mean before is not zero, or describe() has returned
    whole = _whole(abs(predicted))
    if whole == 0:
        return "the trend before predicted no change"
    way = "fewer" if predicted < 0 else "more"
    actual = comparison.change_percent or 0.0
    already = " already" if actual * predicted > 0 else ""
    return f"the trend before{already} predicted {whole} % {way}"


def caveat(events: Comparison, fatalities: Comparison, weeks: int) -> tuple[str, ...]:
    """What a before/after comparison cannot prove, in plain sentences, whatever its numbers."""
    counted = events.before_total + events.after_total
    small = (
        f"Small numbers: {counted} events and {fatalities.before_total + fatalities.after_total} deaths in "
        f"{2 * weeks} weeks. A few events more or fewer would move these percentages a long way."
        if counted < FEW_EVENTS
        else f"Small numbers: {counted} events in {2 * weeks} weeks. Percentages of small weekly counts swing "
        "widely, and one large event can make most of the fatalities of a period."
    )
    return (
        "This shows what changed around a date, not why. There is no counterfactual: nobody can count "
        "what would have happened in this area had the date passed without the deployment or event it marks.",
        "Other things changed at the same time: gang alliances, police operations, politics, prices, "
        "displacement. Any of them may explain part or all of the difference.",
        "Reporting and access change too. A deployment brings more observers, patrols and press, so more "
        "events may be recorded after it without more happening; where access closes, fewer are recorded.",
        "Violence may move rather than stop: a fall in this area can be a rise in the neighbouring ones, "
        "which its own counts do not show.",
        "Seasons matter: rainy seasons, holidays, school terms and elections change both violence and "
        "reporting, and the weeks before and after a date fall in different seasons.",
        "Regression to the mean: deployments and operations often follow a peak of violence, and counts "
        "tend to fall back from a peak on their own, which looks like an effect.",
        small,
        "The trend line only asks whether the change is more than what was already under way; it is a "
        "straight line through the weeks before, not a forecast, and it proves no cause either.",
    )


def _mean(values: tuple[float, ...] | list[int]) -> float:
    return float(sum(values)) / len(values) if values else 0.0


def _whole(value: float) -> int:
    """Rounded half up, as people round (Python's ``round`` goes to the even number).

    >>> _whole(12.5), _whole(37.5), _whole(0.49)
    (13, 38, 0)
    """
    return math.floor(value + 0.5)
