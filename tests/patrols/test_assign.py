from datetime import UTC, datetime, timedelta

import pytest

from ulinzi.patrols.assign import PatrolWindow, WindowIndex, assign
from ulinzi.patrols.tracks import TrackPoint

T0 = datetime(2025, 6, 25, 14, 0, tzinfo=UTC)


def at(minutes: float, device: str = "KE-1") -> TrackPoint:
    return TrackPoint(T0 + timedelta(minutes=minutes), 18.545, -72.3, device, None, 0)


def window(patrol: int, start: float, end: float, device: str = "KE-1") -> PatrolWindow:
    return PatrolWindow(patrol, device, T0 + timedelta(minutes=start), T0 + timedelta(minutes=end))


def test_points_go_to_the_patrol_of_their_device_and_time():
    windows = [window(1, 0, 60), window(2, 120, 180), window(3, 0, 60, device="KE-2")]
    points = [at(-1), at(0), at(60), at(90), at(150), at(30, "KE-2"), at(30, "KE-9")]
    assert [patrol for _point, patrol in assign(points, windows)] == [None, 1, 1, None, 2, 3, None]


def test_when_windows_overlap_the_latest_start_wins_and_a_long_window_is_still_found():
    windows = [window(1, 0, 600), window(2, 60, 90), window(3, 100, 120)]
    index = WindowIndex(windows)
    found = [index.patrol_at("KE-1", at(minute).time) for minute in (30, 70, 95, 110, 500, 601)]
    assert found == [1, 2, 1, 3, 1, None]


def test_windows_must_be_aware_and_forward():
    with pytest.raises(ValueError, match="ends before it starts"):
        window(1, 10, 0)
    with pytest.raises(ValueError, match="UTC offset"):
        PatrolWindow(1, "KE-1", datetime(2025, 6, 25), datetime(2025, 6, 26))
