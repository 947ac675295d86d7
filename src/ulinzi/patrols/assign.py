"""Which patrol each track point belongs to, from the device it came from and when.

A device carried on a patrol reports between the patrol's start and end; a fix outside every
window of its device belongs to no patrol (travel to the start point, a device left on at the
base) and is kept but unassigned. When two windows of one device overlap (a planning mistake,
or a patrol that ran over into the next), the window that started last wins: the crew that
picked the device up most recently is the one carrying it.

Windows are sorted once per device and searched with ``bisect`` on POSIX seconds, which is
several times faster than comparing aware datetimes; each lookup is O(log w) for w windows of
the device.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ulinzi.patrols.points import TrackPoint

PatrolId = int | str


@dataclass(frozen=True)
class PatrolWindow:
    """When a device was on a patrol; both ends included."""

    patrol_id: PatrolId
    device: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"patrol {self.patrol_id}: window times must carry a UTC offset")
        if self.end < self.start:
            raise ValueError(f"patrol {self.patrol_id}: the window ends before it starts")


class _DeviceWindows:
    def __init__(self, windows: list[PatrolWindow]) -> None:
        ordered = sorted(windows, key=lambda window: (window.start, window.end))
        self.starts = [window.start.timestamp() for window in ordered]
        self.ends = [window.end.timestamp() for window in ordered]
        self.ids = [window.patrol_id for window in ordered]
        # reach[i]: the latest end among windows 0..i, so a backward scan knows when to stop.
        self.reach: list[float] = []
        latest = float("-inf")
        for end in self.ends:
            latest = max(latest, end)
            self.reach.append(latest)

    def at(self, seconds: float) -> PatrolId | None:
        i = bisect_right(self.starts, seconds) - 1
        while i >= 0 and self.reach[i] >= seconds:
            if self.ends[i] >= seconds:
                return self.ids[i]
            i -= 1
        return None


class WindowIndex:
    """Patrol windows grouped by device, ready for many lookups."""

    def __init__(self, windows: Iterable[PatrolWindow]) -> None:
        grouped: dict[str, list[PatrolWindow]] = {}
        for window in windows:
            grouped.setdefault(window.device, []).append(window)
        self._devices = {device: _DeviceWindows(members) for device, members in grouped.items()}

    def patrol_at(self, device: str, time: datetime) -> PatrolId | None:
        windows = self._devices.get(device)
        return None if windows is None else windows.at(time.timestamp())


def assign(
    points: Iterable[TrackPoint], windows: Iterable[PatrolWindow]
) -> Iterator[tuple[TrackPoint, PatrolId | None]]:
    """Each point with its patrol (or None), lazily and in input order."""
    devices = WindowIndex(windows)._devices
    for point in points:
        found = devices.get(point.device)
        yield point, None if found is None else found.at(point.time.timestamp())
