"""The before/after arithmetic, on numbers worked out by hand (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from ulinzi.insights.before_after import (
    WeeklyCount,
    before_after,
    compare,
    linear_trend,
    percent_change,
    week_start,
    window,
)

# A Tuesday: its week runs from Monday 2024-06-24 and counts as after.
PIVOT = date(2024, 6, 25)


def weekly(start: date, events: list[int], fatalities: list[int] | None = None) -> list[WeeklyCount]:
    """Counts for consecutive weeks from the Monday ``start``."""
    deaths = fatalities or [0] * len(events)
    return [
        WeeklyCount(date.fromordinal(start.toordinal() + 7 * i), count, dead)
        for i, (count, dead) in enumerate(zip(events, deaths, strict=True))
    ]


def test_the_pivots_week_belongs_to_after():
    span = window(PIVOT, 2)
    assert (span.first_day, span.pivot_week, span.last_day) == (date(2024, 6, 10), date(2024, 6, 24), date(2024, 7, 7))
    assert span.mondays == (date(2024, 6, 10), date(2024, 6, 17), date(2024, 6, 24), date(2024, 7, 1))


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2024, 6, 24), date(2024, 6, 24)),
        (date(2024, 6, 30), date(2024, 6, 24)),
        (date(2025, 1, 1), date(2024, 12, 30)),
    ],
)
def test_weeks_are_iso_weeks_from_monday(day, monday):
    assert week_start(day) == monday


def test_weeks_without_events_count_as_zero_not_missing():
    result = before_after(PIVOT, 3, [WeeklyCount(date(2024, 6, 10), 6, 3)])
    assert [row.events for row in result.rows] == [0, 6, 0, 0, 0, 0]
    assert result.events.before_mean == 2.0  # 6 over three weeks, not over the one week with events
    assert result.events.after_mean == 0.0
    assert result.events.change_percent == -100.0


def test_counts_add_up_by_week_and_outside_the_window_are_ignored():
    counts = [
        WeeklyCount(date(2024, 6, 19), 1, 0),  # a Wednesday: its week is the one from 2024-06-17
        WeeklyCount(date(2024, 6, 17), 2, 4),
        WeeklyCount(date(2024, 6, 9), 50, 50),  # the Sunday before the window
        WeeklyCount(date(2024, 7, 8), 50, 50),  # the Monday after it
        WeeklyCount(date(2024, 7, 7), 1, 1),  # the window's last day
    ]
    result = before_after(PIVOT, 2, counts)
    assert [(row.events, row.fatalities) for row in result.rows] == [(0, 0), (3, 4), (0, 0), (1, 1)]
    assert [row.after for row in result.rows] == [False, False, True, True]
    assert (result.rows[0].start, result.rows[0].end) == (date(2024, 6, 10), date(2024, 6, 16))


def test_the_example_of_the_issue():
    """8 events a week before, falling by 0.4 a week; 5 a week after.

    Before: 9, 7, 9, 7 (mean 8). The least-squares slope is Σ(x-1.5)(y-8) / Σ(x-1.5)² =
    (-1.5 - 0.5 - 0.5 - 1.5) / 5 = -0.4, the intercept 8 + 0.4 × 1.5 = 8.6, so the line predicts
    7.0, 6.6, 6.2, 5.8 for the weeks after (mean 6.4, 20 % below 8). The weeks after hold 5 each:
    37.5 % below 8, 1.4 a week below the trend.
    """
    result = before_after(PIVOT, 4, weekly(date(2024, 5, 27), [9, 7, 9, 7, 5, 5, 5, 5]))
    events = result.events
    assert (events.before_total, events.after_total, events.before_mean, events.after_mean) == (32, 20, 8.0, 5.0)
    assert events.change == -3.0
    assert events.change_percent == pytest.approx(-37.5)
    assert (events.trend.slope, events.trend.intercept) == pytest.approx((-0.4, 8.6))
    assert events.trend.predicted == pytest.approx((7.0, 6.6, 6.2, 5.8))
    assert events.trend_mean == pytest.approx(6.4)
    assert events.trend_change_percent == pytest.approx(-20.0)
    assert events.beyond_trend == pytest.approx(-1.4)
    assert events.sentence == (
        "38 % fewer events per week after than before (8.0 before, 5.0 after); "
        "the trend before already predicted 20 % fewer."
    )
    assert [row.events_trend for row in result.rows] == pytest.approx([8.6, 8.2, 7.8, 7.4, 7.0, 6.6, 6.2, 5.8])


def test_a_change_that_the_trend_alone_explains():
    """Before: 2, 4, 6, 8 (slope 2, intercept 2): the line predicts 10, 12, 14, 16 after, mean 13,
    160 % above the mean before (5). The weeks after hold 5 each: no change, far below the trend."""
    side = compare("events", [2, 4, 6, 8], [5, 5, 5, 5])
    assert (side.trend.slope, side.trend.intercept) == pytest.approx((2.0, 2.0))
    assert side.trend.fitted == pytest.approx((2.0, 4.0, 6.0, 8.0))
    assert side.trend.predicted == pytest.approx((10.0, 12.0, 14.0, 16.0))
    assert (side.change, side.change_percent) == (0.0, 0.0)
    assert side.trend_change_percent == pytest.approx(160.0)
    assert side.beyond_trend == pytest.approx(-8.0)
    assert side.sentence == (
        "About as many events per week after as before (5.0 before, 5.0 after); the trend before predicted 160 % more."
    )


def test_already_only_when_the_trend_went_the_same_way():
    rising_then_fewer = compare("fatalities", [1, 2, 3], [1, 1, 1])
    assert rising_then_fewer.sentence == (
        "50 % fewer fatalities per week after than before (2.0 before, 1.0 after); "
        "the trend before predicted 150 % more."
    )


def test_a_predicted_count_below_zero_is_held_at_zero():
    """Before 10, 6, 8, 4: slope -8/5 = -1.6, intercept 7 + 1.6 × 1.5 = 9.4; after: 3.0, 1.4,
    then -0.2 and -1.8, held at 0 (mean 4.4 / 4 = 1.1)."""
    line = linear_trend([10, 6, 8, 4], ahead=4)
    assert (line.slope, line.intercept) == pytest.approx((-1.6, 9.4))
    assert line.predicted == pytest.approx((3.0, 1.4, 0.0, 0.0))
    assert compare("events", [10, 6, 8, 4], [0, 0, 0, 0]).trend_mean == pytest.approx(1.1)


def test_one_week_has_no_trend():
    line = linear_trend([3], ahead=1)
    assert (line.slope, line.intercept, line.fitted, line.predicted) == (0.0, 3.0, (3.0,), (3.0,))
    result = before_after(PIVOT, 1, [WeeklyCount(date(2024, 6, 17), 3, 1), WeeklyCount(date(2024, 6, 24), 6, 0)])
    assert result.events.change_percent == 100.0
    assert result.events.sentence.endswith("the trend before predicted no change.")


def test_nothing_before_is_no_percentage_not_a_division_by_zero():
    side = compare("events", [0, 0], [3, 1])
    assert (side.change, side.change_percent, side.trend_change_percent) == (2.0, None, None)
    assert side.sentence == (
        "No events were counted in the weeks before and 2.0 per week after: a change from nothing has no percentage."
    )
    assert percent_change(0, 0) is None
    assert compare("events", [0, 0], [0, 0]).sentence == "No events were counted in the weeks before or after."


def test_percentages_round_half_up():
    side = compare("events", [8, 8], [9, 9])  # +12.5 %
    assert side.sentence.startswith("13 % more events per week")


@pytest.mark.parametrize(
    "cannot",
    [
        "no counterfactual",
        "Other things changed at the same time",
        "A deployment brings more observers",
        "neighbouring",
        "Seasons",
        "Regression to the mean",
        "Small numbers",
    ],
)
def test_the_caveat_says_what_the_comparison_cannot_prove(cannot):
    result = before_after(PIVOT, 2, weekly(date(2024, 6, 10), [1, 2, 0, 1], [0, 3, 0, 1]))
    assert any(cannot in sentence for sentence in result.caveat)


def test_the_caveat_gives_the_small_numbers():
    small = before_after(PIVOT, 2, weekly(date(2024, 6, 10), [1, 2, 0, 1], [0, 3, 0, 1]))
    assert "Small numbers: 4 events and 4 deaths in 4 weeks." in " ".join(small.caveat)
    large = before_after(PIVOT, 2, weekly(date(2024, 6, 10), [10, 20, 10, 10]))
    assert "Small numbers: 50 events in 4 weeks." in " ".join(large.caveat)


@pytest.mark.parametrize(("pivot", "weeks"), [(PIVOT, 0), (PIVOT, 105), (date(9999, 12, 1), 12), (date(1, 1, 3), 1)])
def test_a_window_outside_the_limits_or_the_calendar_is_refused(pivot, weeks):
    with pytest.raises(ValueError, match=r"weeks|calendar"):
        window(pivot, weeks)


def test_a_fitted_count_below_zero_is_held_at_zero_too():
    """Before 0, 0, 3: slope 1.5, intercept -0.5, so the first week's fitted value is held at 0."""
    line = linear_trend([0, 0, 3], ahead=1)
    assert (line.slope, line.intercept) == pytest.approx((1.5, -0.5))
    assert line.fitted == pytest.approx((0.0, 1.0, 2.5))
    assert line.predicted == pytest.approx((4.0,))
