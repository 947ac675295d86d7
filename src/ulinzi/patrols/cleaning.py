"""Drop duplicate fixes and impossible jumps from a stream of track points, and say why.

Decisions:

- Each device is judged against its own last *kept* point, so one wild fix does not also
  condemn the good fix after it (which would look like a jump back).
- Speed is the great-circle distance over the time since that point, with the interval floored
  at one second: many devices stamp whole seconds, and two honest fixes in the same second
  must not read as infinitely fast. The default limit, 55 m/s (198 km/h), is above any patrol
  vehicle on Port-au-Prince's roads and far below a GPS glitch; a helicopter track needs a
  higher one.
- A stream cannot reorder: a fix older than the device's last kept one is dropped as
  ``out_of_order`` (a re-sent or concatenated file shows up here). Sort a file that is not in
  time order per device before cleaning.
- The first fix of each device is trusted; a device whose first fix is wild loses the fixes
  after it, and the report's examples show it.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from ulinzi.patrols.columns import PointColumns
from ulinzi.patrols.points import TrackPoint

Floats = npt.NDArray[np.float64]

DEFAULT_MAX_SPEED_MPS = 55.0
DEFAULT_EXAMPLES = 20
EARTH_RADIUS_M = 6_371_000.0
# |Δlat| + |Δlon| in degrees times this bounds the great-circle distance from above, so most
# fixes (a few metres apart) are cleared without the trigonometry.
BOUND_M_PER_DEGREE = 111_200.0
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
REASONS = ("duplicate", "impossible_speed", "out_of_order")


@dataclass(frozen=True)
class DroppedPoint:
    reason: str
    line: int
    device: str
    time: datetime
    detail: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.device} at {self.time.isoformat()}: {self.reason} ({self.detail})"


@dataclass
class CleaningReport:
    """Counts by reason and the first examples; complete once the cleaned stream is exhausted."""

    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    examples: list[DroppedPoint] = field(default_factory=list)
    max_examples: int = DEFAULT_EXAMPLES

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())

    def summary(self) -> str:
        counts = ", ".join(f"{self.dropped[reason]:,} {reason.replace('_', ' ')}" for reason in REASONS)
        return f"{self.kept:,} points kept; dropped: {counts}"

    def add(self, reason: str, point: TrackPoint, detail: str) -> None:
        self.add_dropped(DroppedPoint(reason, point.line, point.device, point.time, detail))

    def add_dropped(self, dropped: DroppedPoint) -> None:
        self.dropped[dropped.reason] += 1
        if len(self.examples) < self.max_examples:
            self.examples.append(dropped)


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere; at patrol scale its error (≤ 0.5%) is far below GPS noise."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def clean(
    points: Iterable[TrackPoint],
    *,
    max_speed_mps: float = DEFAULT_MAX_SPEED_MPS,
    max_examples: int = DEFAULT_EXAMPLES,
) -> tuple[Iterator[TrackPoint], CleaningReport]:
    """The kept points, lazily and in input order, and the report they fill as they flow."""
    if not max_speed_mps > 0:
        raise ValueError("max_speed_mps must be positive")
    report = CleaningReport(max_examples=max_examples)
    return _kept(points, max_speed_mps, report), report


def _kept(points: Iterable[TrackPoint], max_speed: float, report: CleaningReport) -> Iterator[TrackPoint]:
    last: dict[str, TrackPoint] = {}
    kept = 0
    try:
        for point in points:
            previous = last.get(point.device)
            if previous is not None:
                verdict = _verdict(
                    (point.time - previous.time).total_seconds(),
                    (previous.lat, previous.lon, previous.line),
                    point.lat,
                    point.lon,
                    max_speed,
                )
                if verdict is not None:
                    report.add(verdict[0], point, verdict[1])
                    continue
            last[point.device] = point
            kept += 1
            yield point
    finally:
        report.kept = kept


def _verdict(
    seconds: float, previous: tuple[float, float, int], lat: float, lon: float, max_speed: float
) -> tuple[str, str] | None:
    """Why a fix ``seconds`` after the device's last kept one (lat, lon, line) is dropped, or None."""
    previous_lat, previous_lon, previous_line = previous
    if seconds < 0:
        return "out_of_order", f"{-seconds:g} s before the previous kept fix"
    if lat == previous_lat and lon == previous_lon:
        if seconds == 0:
            return "duplicate", f"same time and position as line {previous_line}"
        return None
    interval = max(seconds, 1.0)
    if (abs(lat - previous_lat) + abs(lon - previous_lon)) * BOUND_M_PER_DEGREE <= max_speed * interval:
        return None
    metres = metres_between(previous_lat, previous_lon, lat, lon)
    speed = metres / interval
    if speed <= max_speed:
        return None
    return "impossible_speed", f"{metres / 1000:,.1f} km in {seconds:g} s from line {previous_line} ({speed:,.0f} m/s)"


class ColumnCleaner:
    """The same judgement as ``clean``, over batches of columns, for bulk imports.

    Each device's fixes are compared with the fix before them in one vectorised pass; only the
    few that look wrong, and the fixes after a dropped one until the comparison is again with a
    kept fix, are judged one by one. So the result is exactly the stream's, at array speed.
    """

    def __init__(self, *, max_speed_mps: float = DEFAULT_MAX_SPEED_MPS, max_examples: int = DEFAULT_EXAMPLES) -> None:
        if not max_speed_mps > 0:
            raise ValueError("max_speed_mps must be positive")
        self.max_speed = max_speed_mps
        self.report = CleaningReport(max_examples=max_examples)
        # device code -> (microseconds, lat, lon, line) of its last kept fix, across batches
        self._last: dict[int, tuple[int, float, float, int]] = {}

    def keep(self, batch: PointColumns, devices: Sequence[str]) -> npt.NDArray[np.bool_]:
        """Which fixes of the batch to keep, in batch order; the report counts the others."""
        count = len(batch)
        order = np.argsort(batch.device, kind="stable")
        device, micros = batch.device[order], batch.micros[order]
        lat, lon, line = batch.lat[order], batch.lon[order], batch.line[order]
        starts = np.flatnonzero(np.r_[True, device[1:] != device[:-1]]) if count else np.empty(0, np.int64)
        before_micros, before_line = np.roll(micros, 1), np.roll(line, 1)
        before_lat, before_lon = np.roll(lat, 1), np.roll(lon, 1)
        has_before = np.ones(count, dtype=np.bool_)
        for start in starts.tolist():
            last = self._last.get(int(device[start]))
            if last is None:
                has_before[start] = False
            else:
                before_micros[start], before_lat[start], before_lon[start], before_line[start] = last
        seconds = (micros - before_micros) / 1e6
        same = (lat == before_lat) & (lon == before_lon)
        bound = (np.abs(lat - before_lat) + np.abs(lon - before_lon)) * BOUND_M_PER_DEGREE
        suspect = has_before & (
            (seconds < 0) | (same & (seconds == 0)) | (~same & (bound > self.max_speed * np.maximum(seconds, 1.0)))
        )
        kept = np.ones(count, dtype=np.bool_)
        ends = np.r_[starts[1:], count] if count else starts
        dropped = self._judge(
            np.flatnonzero(suspect).tolist(),
            (starts, ends),
            (micros, lat, lon, line),
            (has_before, before_micros, before_lat, before_lon, before_line),
            kept,
        )
        for position, reason, detail in sorted(dropped, key=lambda drop: int(line[drop[0]])):
            moment = EPOCH + timedelta(microseconds=int(micros[position]))
            name = devices[int(device[position])]
            self.report.add_dropped(DroppedPoint(reason, int(line[position]), name, moment, detail))
        if count:
            latest = np.maximum.reduceat(np.where(kept, np.arange(count), -1), starts)
            for start, position in zip(starts.tolist(), latest.tolist(), strict=True):
                if position >= start:
                    self._last[int(device[start])] = (
                        int(micros[position]),
                        float(lat[position]),
                        float(lon[position]),
                        int(line[position]),
                    )
        self.report.kept += int(kept.sum())
        in_batch_order = np.empty(count, dtype=np.bool_)
        in_batch_order[order] = kept
        return in_batch_order

    def _judge(
        self,
        suspects: list[int],
        groups: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
        fixes: tuple[npt.NDArray[np.int64], Floats, Floats, npt.NDArray[np.int64]],
        before: tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64], Floats, Floats, npt.NDArray[np.int64]],
        kept: npt.NDArray[np.bool_],
    ) -> list[tuple[int, str, str]]:
        """Walk from each suspect fix, one by one, until a fix is again compared with a kept one."""
        starts, ends = groups
        micros, lat, lon, line = fixes
        has_before, before_micros, before_lat, before_lon, before_line = before
        suspect_set = set(suspects)
        dropped: list[tuple[int, str, str]] = []
        k = 0
        while k < len(suspects):
            first = suspects[k]
            end = int(ends[np.searchsorted(starts, first, side="right") - 1])
            last: tuple[int, float, float, int] | None = (
                (int(before_micros[first]), float(before_lat[first]), float(before_lon[first]), int(before_line[first]))
                if has_before[first]
                else None
            )
            last_position = first - 1
            position = first
            while position < end:
                if position not in suspect_set and last_position == position - 1:
                    break  # compared with a kept fix again: the vectorised verdict holds from here
                verdict = (
                    None
                    if last is None
                    else _verdict(
                        (int(micros[position]) - last[0]) / 1e6,
                        last[1:],
                        float(lat[position]),
                        float(lon[position]),
                        self.max_speed,
                    )
                )
                if verdict is None:
                    last = (int(micros[position]), float(lat[position]), float(lon[position]), int(line[position]))
                    last_position = position
                else:
                    kept[position] = False
                    dropped.append((position, *verdict))
                position += 1
            k = bisect_left(suspects, position, lo=k + 1)
        return dropped
