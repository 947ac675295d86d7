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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from ulinzi.patrols.points import TrackPoint

DEFAULT_MAX_SPEED_MPS = 55.0
DEFAULT_EXAMPLES = 20
EARTH_RADIUS_M = 6_371_000.0
# |Δlat| + |Δlon| in degrees times this bounds the great-circle distance from above, so most
# fixes (a few metres apart) are cleared without the trigonometry.
BOUND_M_PER_DEGREE = 111_200.0
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
        self.dropped[reason] += 1
        if len(self.examples) < self.max_examples:
            self.examples.append(DroppedPoint(reason, point.line, point.device, point.time, detail))


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
                seconds = (point.time - previous.time).total_seconds()
                if seconds < 0:
                    report.add("out_of_order", point, f"{-seconds:g} s before the previous kept fix")
                    continue
                if point.lat == previous.lat and point.lon == previous.lon:
                    if seconds == 0:
                        report.add("duplicate", point, f"same time and position as line {previous.line}")
                        continue
                elif (
                    abs(point.lat - previous.lat) + abs(point.lon - previous.lon)
                ) * BOUND_M_PER_DEGREE > max_speed * max(seconds, 1.0):
                    metres = metres_between(previous.lat, previous.lon, point.lat, point.lon)
                    speed = metres / max(seconds, 1.0)
                    if speed > max_speed:
                        report.add(
                            "impossible_speed",
                            point,
                            f"{metres / 1000:,.1f} km in {seconds:g} s from line {previous.line} ({speed:,.0f} m/s)",
                        )
                        continue
            last[point.device] = point
            kept += 1
            yield point
    finally:
        report.kept = kept
