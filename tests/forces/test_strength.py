from datetime import date

from ulinzi.forces.strength import Change, DatedFigure, build_timeline, ceiling_on, latest_by_country, strength_on

CHANGES = [
    Change("KE", date(2024, 6, 25), 200),
    Change("KE", date(2024, 7, 16), 200),
    Change("GT", date(2025, 1, 3), 75),
    Change("KE", date(2025, 3, 1), -50),
]


def test_strength_counts_movements_up_to_and_including_the_day():
    assert strength_on(CHANGES, date(2024, 7, 15)) == {"KE": 200}
    assert strength_on(CHANGES, date(2024, 7, 16)) == {"KE": 400}
    assert strength_on(CHANGES, date(2025, 3, 1)) == {"GT": 75, "KE": 350}


def test_strength_before_any_movement_is_empty():
    assert strength_on(CHANGES, date(2020, 1, 1)) == {}


def test_a_newer_pledge_supersedes_the_older_one():
    pledges = [DatedFigure(date(2023, 7, 29), 1000, "KE"), DatedFigure(date(2024, 9, 1), 800, "KE")]
    assert latest_by_country(pledges, date(2024, 1, 1)) == {"KE": 1000}
    assert latest_by_country(pledges, date(2024, 9, 1)) == {"KE": 800}


def test_the_ceiling_is_the_latest_in_force():
    ceilings = [DatedFigure(date(2023, 10, 2), 2500), DatedFigure(date(2025, 9, 30), 5550)]
    assert ceiling_on(ceilings, date(2023, 10, 1)) is None
    assert ceiling_on(ceilings, date(2025, 1, 1)) == 2500
    assert ceiling_on(ceilings, date(2025, 10, 1)) == 5550


def test_the_timeline_has_one_point_per_change_with_cumulative_series():
    line = build_timeline(CHANGES, [DatedFigure(date(2024, 1, 1), 1000, "KE")], [])
    assert line.dates == (date(2024, 1, 1), date(2024, 6, 25), date(2024, 7, 16), date(2025, 1, 3), date(2025, 3, 1))
    by_country = {series.country: series.values for series in line.series}
    assert by_country["KE"] == (0, 200, 400, 400, 350)
    assert by_country["GT"] == (0, 0, 0, 75, 75)
    assert line.totals == (0, 200, 400, 475, 425)
    assert line.pledged == (1000,) * 5
    assert line.ceiling == (None,) * 5


def test_the_last_timeline_total_equals_strength_on_that_day():
    line = build_timeline(CHANGES, [], [])
    assert line.totals[-1] == sum(strength_on(CHANGES, line.dates[-1]).values())
