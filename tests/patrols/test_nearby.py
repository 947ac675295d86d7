"""Events near a patrol's track (issue #8): the pure rule, with distances worked out by hand.

On the mean-radius sphere (R = 6,371,008.8 m) a degree of meridian is 2πR/360 = 111,195.08 m, so
0.001° of latitude is 111.195 m anywhere; 0.001° of longitude at latitude φ is 111.195 m × cos φ
(at 18.5°, cos φ = 0.948324, so 105.449 m) to well under a millimetre at these distances.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from ulinzi.patrols.nearby import EventPlace, event_dates, events_near_track, haversine_m

LAT, LON = 18.5, -72.3
MERIDIAN_M_PER_MILLIDEGREE = 111.19508  # 2π × 6,371,008.8 m / 360 / 1000
PARALLEL_M_PER_MILLIDEGREE = MERIDIAN_M_PER_MILLIDEGREE * 0.9483236552  # × cos 18.5°: 105.449 m
DAY = date(2025, 6, 25)
NOON = datetime(2025, 6, 25, 12, 0, tzinfo=UTC)


def walk_north(
    count: int, start: datetime = NOON, step_deg: float = 0.001
) -> tuple[list[datetime], list[float], list[float]]:
    """A patrol walking due north from (LAT, LON), one fix a minute, ``step_deg`` apart."""
    times = [start + timedelta(minutes=n) for n in range(count)]
    return times, [LAT + n * step_deg for n in range(count)], [LON] * count


def test_a_degree_of_meridian_is_111195_metres():
    assert haversine_m(0.0, 0.0, np.array([1.0]), np.array([0.0]))[0] == pytest.approx(111_195.08, abs=0.01)
    east = haversine_m(LAT, LON, np.array([LAT]), np.array([LON + 0.001]))[0]
    assert east == pytest.approx(PARALLEL_M_PER_MILLIDEGREE, abs=0.001)


def test_an_event_beside_the_track_gets_the_distance_and_time_of_the_nearest_fix():
    times, lats, lons = walk_north(5)  # fixes at 18.500 .. 18.504, 12:00 .. 12:04
    beside = EventPlace(1, DAY, LAT, LON + 0.002)  # 2 millidegrees east of the 12:00 fix: 210.90 m
    [found] = events_near_track(times, lats, lons, [beside])
    assert (found.event_id, found.nearest_fix_at) == (1, NOON)
    assert found.distance_m == pytest.approx(210.90, abs=0.01)
    ahead = EventPlace(2, DAY, LAT + 0.006, LON)  # 2 millidegrees north of the 12:04 fix: 222.39 m
    [found] = events_near_track(times, lats, lons, [ahead])
    assert (found.event_id, found.nearest_fix_at) == (2, NOON + timedelta(minutes=4))
    assert found.distance_m == pytest.approx(222.39, abs=0.01)


def test_the_distance_limit_is_inclusive_and_defaults_to_500_metres():
    times, lats, lons = walk_north(1)
    north = [EventPlace(n, DAY, LAT + n / 1000, LON) for n in (4, 5)]  # 444.78 m and 555.98 m due north
    [inside] = events_near_track(times, lats, lons, north)
    assert inside.event_id == 4
    assert inside.distance_m == pytest.approx(4 * MERIDIAN_M_PER_MILLIDEGREE, abs=0.01)
    assert [near.event_id for near in events_near_track(times, lats, lons, north, within_m=600)] == [4, 5]
    five = float(haversine_m(LAT, LON, np.array([LAT + 0.005]), np.array([LON]))[0])
    assert [near.event_id for near in events_near_track(times, lats, lons, north, within_m=five)] == [4, 5]


def test_results_come_nearest_first_and_ties_by_event_id():
    times, lats, lons = walk_north(3)
    events = [
        EventPlace(30, DAY, LAT + 0.003, LON),  # 1 millidegree north of the last fix: 111.20 m
        EventPlace(20, DAY, LAT, LON + 0.0005),  # half a millidegree east of the first: 52.72 m
        EventPlace(10, DAY, LAT + 0.003, LON),  # the same place as 30
    ]
    found = events_near_track(times, lats, lons, events)
    assert [near.event_id for near in found] == [20, 10, 30]
    assert found[0].distance_m == pytest.approx(52.72, abs=0.01)
    assert found[1].distance_m == found[2].distance_m == pytest.approx(111.20, abs=0.01)
    assert [near.nearest_fix_at for near in found] == [NOON, NOON + timedelta(minutes=2), NOON + timedelta(minutes=2)]


def test_an_event_of_another_day_is_left_out_unless_the_margin_reaches_it():
    times, lats, lons = walk_north(2)
    next_day = EventPlace(1, DAY + timedelta(days=1), LAT, LON)
    day_before = EventPlace(2, DAY - timedelta(days=1), LAT, LON)
    two_days_on = EventPlace(3, DAY + timedelta(days=2), LAT, LON)
    events = [next_day, day_before, two_days_on]
    assert events_near_track(times, lats, lons, events) == []
    assert {near.event_id for near in events_near_track(times, lats, lons, events, day_margin=1)} == {1, 2}
    assert len(events_near_track(times, lats, lons, events, day_margin=2)) == 3


def test_days_are_utc_days_so_a_track_across_midnight_covers_two():
    times, lats, lons = walk_north(3, start=datetime(2025, 6, 25, 23, 59, tzinfo=UTC))  # 23:59, 00:00, 00:01
    first = EventPlace(1, DAY, LAT + 0.002, LON)  # beside the 00:01 fix, but dated the 25th
    second = EventPlace(2, DAY + timedelta(days=1), LAT + 0.002, LON)
    found = {near.event_id: near for near in events_near_track(times, lats, lons, [first, second])}
    assert found[2].distance_m == pytest.approx(0.0, abs=1e-6)
    # The 25th's only fix is at 23:59, two millidegrees south of the event.
    assert found[1].nearest_fix_at == datetime(2025, 6, 25, 23, 59, tzinfo=UTC)
    assert found[1].distance_m == pytest.approx(2 * MERIDIAN_M_PER_MILLIDEGREE, abs=0.01)

    evening = [datetime(2025, 6, 26, 1, 30, tzinfo=UTC)]  # 20:30 on the 25th in Haiti (UTC-5)
    dated_locally = EventPlace(3, DAY, LAT, LON)
    assert events_near_track(evening, [LAT], [LON], [dated_locally]) == []
    assert len(events_near_track(evening, [LAT], [LON], [dated_locally], day_margin=1)) == 1


def test_only_the_fixes_of_the_events_day_count_not_the_same_place_another_day():
    """Monday the patrol crossed the market; Wednesday it was out elsewhere: Wednesday's clash at
    the market was not near it."""
    monday = datetime(2025, 6, 23, 9, 0, tzinfo=UTC)
    times = [monday, monday + timedelta(days=2)]
    lats, lons = [LAT, LAT + 0.1], [LON, LON]  # Wednesday 11 km north
    wednesday_clash = EventPlace(1, date(2025, 6, 25), LAT, LON)
    assert events_near_track(times, lats, lons, [wednesday_clash]) == []
    [found] = events_near_track(times, lats, lons, [wednesday_clash], day_margin=2)
    assert found.nearest_fix_at == monday
    assert found.distance_m == pytest.approx(0.0, abs=1e-6)


def test_times_may_be_numpy_datetimes_and_coordinates_numpy_arrays():
    times, lats, lons = walk_north(5)
    event = EventPlace(1, DAY, 18.5031, LON + 0.001)
    expected = events_near_track(times, lats, lons, [event])
    as_numpy = np.array([time.replace(tzinfo=None) for time in times], dtype="datetime64[us]")
    assert events_near_track(as_numpy, np.array(lats), np.array(lons), [event]) == expected
    assert expected[0].nearest_fix_at == NOON + timedelta(minutes=3)


def test_fix_order_does_not_matter_and_unusable_points_are_left_out():
    times, lats, lons = walk_north(5)
    event = EventPlace(1, DAY, 18.5031, LON)
    expected = events_near_track(times, lats, lons, [event])
    shuffled = [4, 1, 3, 0, 2]
    again = events_near_track(
        [times[n] for n in shuffled], [lats[n] for n in shuffled], [lons[n] for n in shuffled], [event]
    )
    assert again == expected
    with_gaps = events_near_track([*times, NOON], [*lats, float("nan")], [*lons, LON], [event])
    assert with_gaps == expected
    assert events_near_track(times, lats, lons, [EventPlace(2, DAY, float("nan"), LON)]) == []


def test_nothing_in_nothing_out():
    assert events_near_track([], [], [], [EventPlace(1, DAY, LAT, LON)]) == []
    assert events_near_track(*walk_north(3), []) == []
    assert event_dates([]) is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"within_m": 0}, "positive number of metres"),
        ({"within_m": float("nan")}, "positive number of metres"),
        ({"day_margin": -1}, "zero or more days"),
    ],
)
def test_a_meaningless_rule_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        events_near_track(*walk_north(2), [], **arguments)


def test_a_track_with_columns_of_different_lengths_or_naive_times_is_refused():
    times, lats, lons = walk_north(3)
    with pytest.raises(ValueError, match="3 times, 2 latitudes, 3 longitudes"):
        events_near_track(times, lats[:2], lons, [])
    with pytest.raises(ValueError, match="timezone-aware"):
        events_near_track([time.replace(tzinfo=None) for time in times], lats, lons, [])


def test_event_dates_span_the_tracks_utc_days_and_the_margin():
    times = [datetime(2025, 6, 25, 23, 0, tzinfo=UTC), datetime(2025, 6, 25, 3, 0, tzinfo=UTC)]
    assert event_dates(times) == (date(2025, 6, 25), date(2025, 6, 25))
    assert event_dates([*times, datetime(2025, 6, 26, 0, 30, tzinfo=UTC)], 1) == (date(2025, 6, 24), date(2025, 6, 27))


def test_a_long_track_and_many_events_agree_with_measuring_every_pair():
    """Tens of thousands of fixes over two days and hundreds of events, against the plain rule:
    every event against every fix of a matching day."""
    generator = np.random.default_rng(8)
    count = 20_000
    start = datetime(2025, 6, 25, 6, 0, tzinfo=UTC)
    seconds = np.sort(generator.uniform(0, 40 * 3600, count))  # 06:00 on the 25th to 22:00 on the 26th
    lats = LAT + np.cumsum(generator.normal(0, 0.0002, count))
    lons = LON + np.cumsum(generator.normal(0, 0.0002, count))
    times = [start + timedelta(seconds=float(s)) for s in seconds]
    events = [
        EventPlace(n, DAY + timedelta(days=int(generator.integers(-1, 3))), float(lat), float(lon))
        for n, (lat, lon) in enumerate(
            zip(
                generator.uniform(lats.min() - 0.01, lats.max() + 0.01, 400),
                generator.uniform(lons.min() - 0.01, lons.max() + 0.01, 400),
                strict=True,
            )
        )
    ]
    found = events_near_track(times, lats, lons, events, within_m=300)
    days = np.array([(time.date() - DAY).days for time in times])
    expected = []
    for event in events:
        same_day = days == (event.day - DAY).days
        if same_day.any():
            distances = haversine_m(event.lat, event.lon, lats[same_day], lons[same_day])
            if distances.min() <= 300:
                fix = np.flatnonzero(same_day)[int(np.argmin(distances))]
                expected.append((event.event_id, float(distances.min()), times[fix]))
    assert len(expected) > 20, "the sample must find something"
    assert sorted((near.event_id, near.distance_m, near.nearest_fix_at) for near in found) == sorted(expected)
    assert [near.distance_m for near in found] == sorted(near.distance_m for near in found)
