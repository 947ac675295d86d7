"""The before/after chart's geometry (no database): bars to scale, the pivot between the sides."""

from __future__ import annotations

from datetime import date

import pytest

from ulinzi.insights import chart
from ulinzi.insights.before_after import WeeklyCount, before_after

PIVOT = date(2024, 6, 25)


@pytest.fixture
def drawn() -> chart.Chart:
    """Two weeks each side: events 2, 4 | 8, 0 and deaths 1, 0 | 0, 3."""
    counts = [
        WeeklyCount(date(2024, 6, 10), 2, 1),
        WeeklyCount(date(2024, 6, 17), 4, 0),
        WeeklyCount(date(2024, 6, 24), 8, 0),
        WeeklyCount(date(2024, 7, 1), 0, 3),
    ]
    return chart.layout(before_after(PIVOT, 2, counts))


def test_each_panel_has_a_bar_per_week_the_after_ones_marked(drawn):
    events, deaths = drawn.panels
    assert (events.title, deaths.title) == ("Events per week", "Deaths per week")
    assert [bar.after for bar in events.bars] == [False, False, True, True]
    assert [bar.label for bar in events.bars][2] == "week of 2024-06-24: 8 events"
    assert [bar.label for bar in deaths.bars][3] == "week of 2024-07-01: 3 deaths"


def test_bars_are_drawn_to_a_round_scale(drawn):
    """The events trend rises 2 a week from 2 (so predicts 6 and 8): the scale ends at 8."""
    events = drawn.panels[0]
    heights = [bar.height for bar in events.bars]
    assert heights == [35.0, 70.0, 140.0, 0.0]
    assert [tick.label for tick in events.ticks] == ["0", "4", "8"]
    assert all(bar.y + bar.height == events.bottom for bar in events.bars)


def test_the_pivot_line_separates_the_sides(drawn):
    events = drawn.panels[0]
    last_before, first_after = events.bars[1], events.bars[2]
    assert last_before.x + last_before.width < drawn.pivot_x < first_after.x
    assert drawn.pivot_label.startswith("2024-06-25")


def test_the_trend_is_fitted_before_and_extended_after(drawn):
    events = drawn.panels[0]
    assert len(events.fitted.split()) == 2
    assert len(events.predicted.split()) == 3  # from the last week before, so the lines join
    assert events.predicted.split()[0] == events.fitted.split()[-1]


def test_date_labels_include_the_pivots_week():
    result = before_after(PIVOT, 26, [])
    labels = [label.label for label in chart.layout(result).panels[0].dates]
    assert "2024-06-24" in labels
    assert len(labels) <= chart.MAX_DATE_LABELS + 1


def test_an_empty_window_still_has_a_scale():
    empty = chart.layout(before_after(PIVOT, 4, []))
    assert all(bar.height == 0 for panel in empty.panels for bar in panel.bars)
    assert [tick.label for tick in empty.panels[0].ticks] == ["0", "1"]
