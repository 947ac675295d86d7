"""Patrol effort (hours and km) per area and per H3 cell, coverage gaps, incidents per patrol-hour.

Effort is built from segments: two consecutive fixes of the same patrol at most ``max_gap``
apart (default 10 minutes). A longer silence is not counted as patrol time, because nobody knows
where the patrol was (a device switched off, a stop at the base). Each segment's duration and
great-circle length go to the area, the H3 cell and the day or ISO week of its **start** fix:
splitting a segment where it crosses a boundary would need the boundary geometry here and
changes little at a fix every few seconds to a minute, while start attribution lets effort be
summed from the codes already stored on each point at import.

All of it runs on NumPy arrays. Tracks come ordered by patrol and time (as the store returns
them), so equal keys arrive in runs; runs are summed first and only their keys are factorised,
which keeps a year of tracks (millions of fixes) within a second even with string P-codes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from ulinzi.patrols.assign import PatrolId
from ulinzi.patrols.points import TrackPoint

CAVEAT = (
    "Incidents per patrol-hour measure both violence and where patrols look: more patrol hours "
    "find more incidents, and areas patrols avoid look calm. Compare areas with care, never as "
    "a ranking of danger."
)
DEFAULT_MAX_GAP = timedelta(minutes=10)
EARTH_RADIUS_KM = 6371.0
EPOCH = date(1970, 1, 1)
Period = Literal["day", "week"]
K = TypeVar("K", bound=Hashable)
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TrackColumns:
    """Assigned fixes as columns, ordered by patrol then time; ``patrol`` indexes ``patrol_ids``."""

    patrol: npt.NDArray[np.int64]
    patrol_ids: tuple[PatrolId, ...]
    seconds: Floats
    lats: Floats
    lons: Floats

    @classmethod
    def from_assigned(cls, assigned: Iterable[tuple[TrackPoint, PatrolId | None]]) -> TrackColumns:
        """Columns of the fixes that belong to a patrol; the rest carry no effort."""
        positions: dict[PatrolId, int] = {}
        rows = [
            (positions.setdefault(patrol, len(positions)), point.time.timestamp(), point.lat, point.lon)
            for point, patrol in assigned
            if patrol is not None
        ]
        table = np.array(rows, dtype=np.float64).reshape(-1, 4)
        order = np.lexsort((table[:, 1], table[:, 0]))
        table = table[order]
        return cls(table[:, 0].astype(np.int64), tuple(positions), table[:, 1], table[:, 2], table[:, 3])


@dataclass(frozen=True)
class Totals:
    hours: float
    km: float


@dataclass(frozen=True)
class Effort:
    """Totals keyed by (area code or H3 cell, first day of the period); ``""`` is outside every area."""

    period: Period
    by_area: dict[tuple[Any, date], Totals]
    by_cell: dict[tuple[int, date], Totals]

    def hours_by_area(self) -> dict[Any, float]:
        return _hours(self.by_area)

    def hours_by_cell(self) -> dict[int, float]:
        return _hours(self.by_cell)


@dataclass(frozen=True)
class CoverageGap:
    cell: int
    hours: float


def effort_by(
    area_codes: npt.ArrayLike,
    h3_cells: npt.ArrayLike | None,
    track: TrackColumns,
    *,
    period: Period = "week",
    max_gap: timedelta = DEFAULT_MAX_GAP,
) -> Effort:
    """Hours and km per (area, period) and per (H3 cell, period); codes and cells are per fix,
    aligned with ``track``. Pass ``h3_cells=None`` when only areas are wanted."""
    starts, hours, km = _segments(track, max_gap.total_seconds())
    days = np.floor(track.seconds[starts] / 86_400).astype(np.int64)
    periods = days if period == "day" else (days + 3) // 7 * 7 - 3  # 1970-01-01 was a Thursday
    by_area = _sum_by(np.asarray(area_codes)[starts], periods, hours, km)
    by_cell = {} if h3_cells is None else _sum_by(np.asarray(h3_cells)[starts], periods, hours, km)
    return Effort(period, by_area, {(int(cell), day): totals for (cell, day), totals in by_cell.items()})


def coverage_gaps(
    hotspot_cells: set[int], effort_cells: Mapping[int, float], min_hours: float = 0.0
) -> list[CoverageGap]:
    """Hotspots that got no patrol time, or less than ``min_hours``, least covered first."""
    gaps = []
    for cell in hotspot_cells:
        hours = effort_cells.get(cell, 0.0)
        if hours <= 0 or hours < min_hours:
            gaps.append(CoverageGap(cell, hours))
    return sorted(gaps, key=lambda gap: (gap.hours, gap.cell))


def incidents_per_patrol_hour(
    incidents_by_area: Mapping[K, int], hours_by_area: Mapping[K, float]
) -> dict[K, float | None]:
    """Incidents divided by patrol hours per area; None where no patrol time was spent, since a
    rate over zero effort is unknown, not infinite. Always show ``CAVEAT`` beside it."""
    rates: dict[K, float | None] = {}
    for area in {*incidents_by_area, *hours_by_area}:
        hours = hours_by_area.get(area, 0.0)
        rates[area] = incidents_by_area.get(area, 0) / hours if hours > 0 else None
    return rates


def _segments(track: TrackColumns, max_gap_s: float) -> tuple[npt.NDArray[np.intp], Floats, Floats]:
    """Index of each counted segment's start fix, its hours and its km."""
    if len(track.seconds) < 2:
        empty = np.empty(0, dtype=np.float64)
        return np.empty(0, dtype=np.intp), empty, empty
    gaps = np.diff(track.seconds)
    same = track.patrol[1:] == track.patrol[:-1]
    if np.any(same & (gaps < 0)):
        raise ValueError("track columns must be ordered by time within each patrol")
    starts = np.flatnonzero(same & (gaps > 0) & (gaps <= max_gap_s))
    # Differences and cosines over the whole track, then picked: nearly every pair is a segment,
    # and picking once is cheaper than picking each coordinate twice.
    lats, lons = np.radians(track.lats), np.radians(track.lons)
    half_dlat, half_dlon = np.diff(lats)[starts] / 2, np.diff(lons)[starts] / 2
    cosines = np.cos(lats)
    a = np.sin(half_dlat) ** 2 + cosines[starts] * cosines[starts + 1] * np.sin(half_dlon) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return starts, gaps[starts] / 3600.0, km


def _sum_by(
    keys: npt.NDArray[Any], periods: npt.NDArray[np.int64], hours: Floats, km: Floats
) -> dict[tuple[Any, date], Totals]:
    if not len(keys):
        return {}
    change = np.ones(len(keys), dtype=bool)
    change[1:] = (keys[1:] != keys[:-1]) | (periods[1:] != periods[:-1])
    runs = np.flatnonzero(change)
    run_hours, run_km = np.add.reduceat(hours, runs), np.add.reduceat(km, runs)
    labels, key_index = np.unique(keys[runs], return_inverse=True)
    first = int(periods.min())
    span = int(periods.max()) - first + 1
    combined = key_index.astype(np.int64) * span + (periods[runs] - first)
    groups, group_index = np.unique(combined, return_inverse=True)
    group_hours = np.bincount(group_index, weights=run_hours)
    group_km = np.bincount(group_index, weights=run_km)
    result: dict[tuple[Any, date], Totals] = {}
    for group, total_hours, total_km in zip(groups.tolist(), group_hours.tolist(), group_km.tolist(), strict=True):
        label = labels[group // span].item()
        result[(label, EPOCH + timedelta(days=first + group % span))] = Totals(total_hours, total_km)
    return result


def _hours(totals: Mapping[tuple[K, date], Totals]) -> dict[K, float]:
    summed: dict[K, float] = {}
    for (key, _day), value in totals.items():
        summed[key] = summed.get(key, 0.0) + value.hours
    return summed
