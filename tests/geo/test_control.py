from datetime import date

import pytest

from shapely.geometry import box

from ulinzi.geo.control import Claim, PopulatedUnit, change_dates, controllers_at, series, share_on

# Two units side by side one degree high near the equator, so area shares are width shares.
UNITS = [PopulatedUnit("U1", box(0, 0, 2, 1), 100), PopulatedUnit("U2", box(2, 0, 4, 1), 300)]
CLAIMS = [
    Claim("A", box(0, 0, 1, 1), date(2024, 1, 1)),
    Claim("B", box(0.5, 0, 3, 1), date(2024, 2, 1), date(2024, 3, 31)),
    Claim("C", box(10, 10, 11, 11), date(2024, 1, 1)),  # outside the region: counts for nothing
]


def shares(day: date) -> dict[str, tuple[float, float | None]]:
    result = share_on(UNITS, CLAIMS, day)
    return {s.actor: (round(s.area_share, 3), s.population_share) for s in result.actors}


def test_one_actor_holds_a_quarter_of_the_area_and_an_eighth_of_the_people():
    result = share_on(UNITS, CLAIMS, date(2024, 1, 15))
    a = next(s for s in result.actors if s.actor == "A")
    assert a.area_share == pytest.approx(0.25, abs=1e-3)
    assert a.population == pytest.approx(50, rel=1e-3)
    assert a.population_share == pytest.approx(0.125, rel=1e-3)
    assert result.population == 400


def test_overlapping_claims_are_kept_and_the_overlap_is_reported():
    result = share_on(UNITS, CLAIMS, date(2024, 2, 15))
    by_actor = {s.actor: s for s in result.actors}
    assert by_actor["B"].area_share == pytest.approx(0.625, abs=1e-3)
    assert by_actor["B"].population == pytest.approx(100 * 0.75 + 300 * 0.5, rel=1e-3)
    assert result.any_actor.area_share == pytest.approx(0.75, abs=1e-3)
    assert result.contested_km2 / result.area_km2 == pytest.approx(0.125, abs=1e-3)
    assert "C" not in by_actor  # its claim lies outside the region


def test_a_claim_stops_counting_the_day_after_it_ends():
    assert shares(date(2024, 3, 31))["B"][0] == pytest.approx(0.625, abs=1e-3)
    assert "B" not in shares(date(2024, 4, 1))


def test_the_series_has_a_point_wherever_control_changes():
    assert change_dates(CLAIMS, date(2024, 1, 1), date(2024, 12, 31)) == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 4, 1),
    ]
    points = series(UNITS, CLAIMS, date(2024, 1, 1), date(2024, 12, 31))
    assert [round(p.any_actor.area_share, 3) for p in points] == [0.25, 0.75, 0.25]


def test_who_holds_a_point_lists_every_overlapping_claim():
    assert [c.actor for c in controllers_at(CLAIMS, 0.75, 0.5, date(2024, 2, 15))] == ["A", "B"]
    assert [c.actor for c in controllers_at(CLAIMS, 0.75, 0.5, date(2024, 5, 1))] == ["A"]
    assert controllers_at(CLAIMS, 3.5, 0.5, date(2024, 2, 15)) == []


def test_unknown_population_gives_no_population_share():
    result = share_on([PopulatedUnit("U", box(0, 0, 1, 1), None)], CLAIMS, date(2024, 1, 15))
    assert result.population is None
    assert result.actors[0].population_share is None
