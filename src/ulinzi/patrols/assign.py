"""Which patrol each track point belongs to, from the device it came from and when.

A device carried on a patrol reports between the patrol's start and end; a fix outside every
window of its device belongs to no patrol (travel to the start point, a device left on at the
base) and is kept but unassigned. When two windows of one device overlap (a planning mistake,
or a patrol that ran over into the next), the window that started last wins: the crew that
picked the device up most recently is the one carrying it.

Windows are sorted once per device and searched on integer microseconds since the epoch (exact,
and several times faster than comparing aware datetimes): with ``bisect`` for a stream of points,
with ``numpy.searchsorted`` for a batch of columns. Each lookup is O(log w) for w windows of the
device.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from ulinzi.patrols.columns import PointColumns, micros_of
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
    def __init__(self, windows: list[tuple[int, PatrolWindow]]) -> None:
        ordered = sorted(windows, key=lambda item: (item[1].start, item[1].end))
        self.starts = np.array([micros_of(window.start) for _, window in ordered], dtype=np.int64)
        self.ends = np.array([micros_of(window.end) for _, window in ordered], dtype=np.int64)
        self.ordinals = np.array([ordinal for ordinal, _ in ordered], dtype=np.int64)
        # reach[i]: the latest end among windows 0..i, so a backward scan knows when to stop.
        self.reach = np.maximum.accumulate(self.ends)
        self._starts, self._ends, self._reach = self.starts.tolist(), self.ends.tolist(), self.reach.tolist()
        self._ordinals = self.ordinals.tolist()

    def at(self, micros: int) -> int:
        """The ordinal of the window holding the moment, or -1."""
        i = bisect_right(self._starts, micros) - 1
        while i >= 0 and self._reach[i] >= micros:
            if self._ends[i] >= micros:
                return int(self._ordinals[i])
            i -= 1
        return -1

    def at_each(self, micros: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        i = np.searchsorted(self.starts, micros, side="right") - 1
        clipped = np.maximum(i, 0)
        started = i >= 0
        inside = started & (self.ends[clipped] >= micros)
        found = np.where(inside, self.ordinals[clipped], -1)
        # A moment past the latest-starting window but inside an earlier, longer one: rare, so scanned.
        for position in np.flatnonzero(started & ~inside & (self.reach[clipped] >= micros)).tolist():
            found[position] = self.at(int(micros[position]))
        return found


class WindowIndex:
    """Patrol windows grouped by device, ready for many lookups; ``ids[ordinal]`` is a window's patrol."""

    def __init__(self, windows: Iterable[PatrolWindow]) -> None:
        grouped: dict[str, list[tuple[int, PatrolWindow]]] = {}
        self.ids: list[PatrolId] = []
        for ordinal, window in enumerate(windows):
            self.ids.append(window.patrol_id)
            grouped.setdefault(window.device, []).append((ordinal, window))
        self._devices = {device: _DeviceWindows(members) for device, members in grouped.items()}

    def patrol_at(self, device: str, time: datetime) -> PatrolId | None:
        windows = self._devices.get(device)
        ordinal = -1 if windows is None else windows.at(micros_of(time))
        return None if ordinal < 0 else self.ids[ordinal]

    def ordinals(self, batch: PointColumns, devices: Sequence[str]) -> npt.NDArray[np.int64]:
        """For each fix of a batch, the ordinal of its window (look it up in ``ids``), or -1."""
        found = np.full(len(batch), -1, dtype=np.int64)
        order = np.argsort(batch.device, kind="stable")
        codes = batch.device[order]
        bounds = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True]) if len(codes) else np.zeros(1, np.int64)
        for start, end in itertools.pairwise(bounds.tolist()):
            windows = self._devices.get(devices[int(codes[start])])
            if windows is not None:
                members = order[start:end]
                found[members] = windows.at_each(batch.micros[members])
        return found


def assign(
    points: Iterable[TrackPoint], windows: Iterable[PatrolWindow]
) -> Iterator[tuple[TrackPoint, PatrolId | None]]:
    """Each point with its patrol (or None), lazily and in input order."""
    index = WindowIndex(windows)
    devices, ids = index._devices, index.ids
    for point in points:
        found = devices.get(point.device)
        ordinal = -1 if found is None else found.at(micros_of(point.time))
        yield point, None if ordinal < 0 else ids[ordinal]
