from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ulinzi.patrols.cleaning import clean, metres_between
from ulinzi.patrols.tracks import TrackPoint, read_points

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2025, 6, 25, 14, 0, tzinfo=UTC)


def fix(seconds: float, lat: float = 18.545, lon: float = -72.3, device: str = "KE-1", line: int = 0) -> TrackPoint:
    return TrackPoint(T0 + timedelta(seconds=seconds), lat, lon, device, None, line)


def test_a_200_km_jump_in_one_second_is_dropped_and_reported():
    kept, report = clean(read_points(FIXTURES / "patrol.csv"))
    lines = [point.line for point in kept]
    # line 4 repeats line 3; line 5 is 200 km north one second later
    assert lines == [2, 3, 6, 7]
    assert report.dropped == {"duplicate": 1, "impossible_speed": 1}
    assert report.kept == 4
    jump = next(example for example in report.examples if example.reason == "impossible_speed")
    assert jump.line == 5
    assert "200.2 km in 1 s from line 3" in jump.detail
    assert report.summary() == "4 points kept; dropped: 1 duplicate, 1 impossible speed, 0 out of order"


def test_the_fix_after_a_glitch_is_judged_from_the_last_kept_fix():
    glitch = [fix(0), fix(10, lat=19.5), fix(20, lon=-72.3001)]
    kept, report = clean(glitch)
    assert [point.time for point in kept] == [T0, T0 + timedelta(seconds=20)]
    assert report.dropped == {"impossible_speed": 1}


def test_devices_are_judged_separately_and_out_of_order_fixes_are_dropped():
    mixed = [
        fix(0),
        fix(0, lat=18.6, device="KE-2"),
        fix(30, lon=-72.3005),
        fix(20, lon=-72.3002),
        fix(40, device="KE-2"),
    ]
    kept, report = clean(mixed)
    assert [(point.device, point.time.second) for point in kept] == [("KE-1", 0), ("KE-2", 0), ("KE-1", 30)]
    assert report.dropped == {"out_of_order": 1, "impossible_speed": 1}  # KE-2 moved 6 km in 40 s


def test_two_honest_fixes_in_the_same_second_are_not_infinitely_fast():
    kept, report = clean([fix(0), fix(0, lon=-72.3001)])
    assert len(list(kept)) == 2 and report.total_dropped == 0


def test_examples_are_capped():
    points = [fix(0, line=i) for i in range(30)]
    kept, report = clean(points, max_examples=3)
    assert len(list(kept)) == 1
    assert report.dropped["duplicate"] == 29 and len(report.examples) == 3


def test_the_speed_limit_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        clean([], max_speed_mps=0)


def test_distance_matches_a_known_value():
    # One degree of latitude on a 6371 km sphere is 111.195 km.
    assert metres_between(18.0, -72.3, 19.0, -72.3) == pytest.approx(111_195, rel=1e-4)
