"""Events that happened where and when a patrol went: what an analyst is offered to link to the
patrol as observed or reported (issue #8).

The rules, and why:

- **By UTC day, not by hour.** Most events carry a date only (ACLED, UCDP, situation reports),
  so a fix and an event are compared by day. Fixes are stored in UTC, and an event's date is
  taken as that UTC day; ``day_margin`` widens the match for an event dated in local time (Haiti
  is UTC-5, so an evening patrol's fixes fall on the next UTC day) or reported a day late.
- **Near a fix of that day.** An event is measured against the fixes whose UTC day is within
  ``day_margin`` of its date, not against the whole track: a patrol that crossed the market on
  Monday did not observe Wednesday's clash there because it was out again on Wednesday elsewhere.
- **Haversine on the mean-radius sphere.** At a few hundred metres its error against the
  ellipsoid (under 0.5 %) is far below the precision of a phone's fix or of an event's place.
- **Sorted by distance**, the nearest first, ties by event id so a page is stable.

Framework-free (no Django): the service reads the track and the events, this module decides. A
track is tens of thousands of fixes and the events of its days a few hundred, so the fixes are
sorted by latitude once; each event then looks only at the slice of fixes in its latitude band
(a great-circle distance is never shorter than the meridian arc between the two latitudes, so
the band loses nothing) and measures that slice in one NumPy expression. Memory stays linear in
the track, where an events-by-fixes matrix would not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8  # the IUGG mean radius
DEFAULT_WITHIN_M = 500.0
MICROSECONDS_PER_DAY = 86_400 * 1_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_DAY = EPOCH.date()

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Times = Sequence[datetime] | npt.NDArray[np.datetime64]
Coordinates = Sequence[float] | Floats


@dataclass(frozen=True)
class EventPlace:
    """What the rule needs of an event: its id, its date and its point."""

    event_id: int
    day: date
    lat: float
    lon: float


@dataclass(frozen=True)
class NearbyEvent:
    """An event near the track: how far its nearest fix of a matching day was, and when."""

    event_id: int
    distance_m: float
    nearest_fix_at: datetime


def events_near_track(
    times: Times,
    lats: Coordinates,
    lons: Coordinates,
    events: Iterable[EventPlace],
    *,
    within_m: float = DEFAULT_WITHIN_M,
    day_margin: int = 0,
) -> list[NearbyEvent]:
    """The events within ``within_m`` metres of a fix whose UTC day is at most ``day_margin``
    days from the event's date, nearest first.

    ``times`` are timezone-aware datetimes or ``datetime64`` values (read as UTC), one per fix,
    in any order. Fixes or events with a coordinate that is not a number are left out.

    >>> from datetime import date, datetime, UTC
    >>> at = [datetime(2025, 6, 25, 14, 0, tzinfo=UTC), datetime(2025, 6, 25, 14, 1, tzinfo=UTC)]
    >>> market = EventPlace(7, date(2025, 6, 25), 18.546, -72.30)  # 0.001 degree north of the second fix
    >>> [found] = events_near_track(at, [18.540, 18.545], [-72.30, -72.30], [market])
    >>> round(found.distance_m, 1), found.nearest_fix_at.strftime("%H:%M")
    (111.2, '14:01')
    """
    _check_rule(within_m, day_margin)
    track = _Track.of(times, lats, lons)
    places = [place for place in events if math.isfinite(place.lat) and math.isfinite(place.lon)]
    if track.size == 0 or not places:
        return []
    event_days = np.array([(place.day - EPOCH_DAY).days for place in places], dtype=np.int64)
    dated = np.flatnonzero(_within_days(event_days, np.unique(track.days), day_margin))
    band = math.degrees(within_m / EARTH_RADIUS_M)
    event_lats = np.array([place.lat for place in places], dtype=np.float64)
    starts = np.searchsorted(track.lats, event_lats - band, side="left")
    ends = np.searchsorted(track.lats, event_lats + band, side="right")
    found = []
    for index in dated:
        place = places[index]
        nearest = track.nearest(place, int(event_days[index]), day_margin, int(starts[index]), int(ends[index]))
        if nearest is not None and nearest[0] <= within_m:
            distance, microseconds = nearest
            found.append(NearbyEvent(place.event_id, distance, EPOCH + timedelta(microseconds=microseconds)))
    return sorted(found, key=lambda near: (near.distance_m, near.event_id))


def event_dates(times: Times, day_margin: int = 0) -> tuple[date, date] | None:
    """The first and last event date the rule can match for this track (None without fixes), so
    the caller reads from the store only the events of those days."""
    _check_margin(day_margin)
    if len(times) == 0:
        return None
    ends = np.array([times.min(), times.max()]) if isinstance(times, np.ndarray) else [min(times), max(times)]
    first, last = (int(us) // MICROSECONDS_PER_DAY for us in _microseconds(ends))
    return EPOCH_DAY + timedelta(days=first - day_margin), EPOCH_DAY + timedelta(days=last + day_margin)


def haversine_m(lat: float, lon: float, lats: Floats, lons: Floats) -> Floats:
    """Great-circle distances in metres from one point to many, on the mean-radius sphere.

    >>> round(float(haversine_m(0.0, 0.0, np.array([1.0]), np.array([0.0]))[0]))  # a degree of meridian
    111195
    """
    phi, lam = math.radians(lat), math.radians(lon)
    phis, lams = np.radians(lats), np.radians(lons)
    half = np.sin((phis - phi) / 2) ** 2 + math.cos(phi) * np.cos(phis) * np.sin((lams - lam) / 2) ** 2
    distances: Floats = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(half, 1.0)))
    return distances


def _check_rule(within_m: float, day_margin: int) -> None:
    if not (math.isfinite(within_m) and within_m > 0):
        raise ValueError(f"within_m must be a positive number of metres, not {within_m!r}")
    _check_margin(day_margin)


def _check_margin(day_margin: int) -> None:
    if day_margin < 0:
        raise ValueError(f"day_margin must be zero or more days, not {day_margin!r}")


def _within_days(event_days: Ints, covered: Ints, day_margin: int) -> npt.NDArray[np.bool_]:
    """Whether each event's day is at most ``day_margin`` from a day some fix falls on."""
    after = np.searchsorted(covered, event_days)
    later = covered[np.minimum(after, covered.size - 1)]
    earlier = covered[np.maximum(after - 1, 0)]
    gap = np.minimum(np.abs(later - event_days), np.abs(event_days - earlier))
    return np.asarray(gap <= day_margin)


def _microseconds(times: Times) -> Ints:
    """Microseconds since the epoch, UTC: exact, where float seconds would round."""
    if isinstance(times, np.ndarray):
        return np.asarray(times.astype("datetime64[us]").astype(np.int64), dtype=np.int64)
    if any(time.tzinfo is None for time in times):
        raise ValueError("track times must be timezone-aware: a naive time has no UTC day")
    return np.array([(time - EPOCH) // timedelta(microseconds=1) for time in times], dtype=np.int64)


@dataclass(frozen=True)
class _Track:
    """The usable fixes sorted by latitude, each with its time and UTC day."""

    lats: Floats
    lons: Floats
    microseconds: Ints
    days: Ints

    @property
    def size(self) -> int:
        return int(self.lats.size)

    @classmethod
    def of(cls, times: Times, lats: Coordinates, lons: Coordinates) -> _Track:
        microseconds = _microseconds(times)
        lat_column, lon_column = np.asarray(lats, dtype=np.float64), np.asarray(lons, dtype=np.float64)
        if not microseconds.size == lat_column.size == lon_column.size:
            sizes = f"{microseconds.size} times, {lat_column.size} latitudes, {lon_column.size} longitudes"
            raise ValueError(f"a track has one time, latitude and longitude per fix, not {sizes}")
        usable = np.isfinite(lat_column) & np.isfinite(lon_column)
        order = np.argsort(lat_column[usable], kind="stable")
        kept = microseconds[usable][order]
        return cls(
            lat_column[usable][order],
            lon_column[usable][order],
            kept,
            np.floor_divide(kept, MICROSECONDS_PER_DAY),
        )

    def nearest(self, place: EventPlace, day: int, day_margin: int, start: int, end: int) -> tuple[float, int] | None:
        """Distance to, and time of, the nearest fix in ``start:end`` (the event's latitude band)
        whose day matches the event's; None when there is none."""
        matching = start + np.flatnonzero(np.abs(self.days[start:end] - day) <= day_margin)
        if matching.size == 0:
            return None
        distances = haversine_m(place.lat, place.lon, self.lats[matching], self.lons[matching])
        best = int(np.argmin(distances))
        return float(distances[best]), int(self.microseconds[matching[best]])
