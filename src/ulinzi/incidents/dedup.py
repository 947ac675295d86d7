"""When two datasets report the same incident: the match rule, framework-free.

ACLED, UCDP and partners' sheets overlap. A new row from one dataset describes an event already
stored from another when all of these hold:

- **dates**: at most ``DAYS_APART[p]`` days apart, where ``p`` is the coarser of the two time
  precisions (1 day → 1 day apart, 2 week → 7, 3 month → 31);
- **places**: at most ``KM_APART[p]`` km apart (great-circle), ``p`` the coarser of the two geo
  precisions (1 exact → 2 km, 2 near → 10 km, 3 area → 30 km);
- **types**: the same ACLED event type, or both in the same family (political violence:
  battles, explosions/remote violence, violence against civilians; demonstrations: protests,
  riots);
- **actors**: the named armed actors overlap — an actor also counts as each coalition it
  belonged to on that date — unless either side names none (only civilians or unidentified
  groups), which cannot contradict anything;
- **one report per dataset**: an event that already holds a row of the incoming dataset is not a
  candidate, because one dataset does not report the same incident twice; two clashes ACLED
  lists separately stay two events even if UCDP has one.

Several candidates: the closest in days, then in km, then the oldest key wins. Rows of one
dataset never match each other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DAYS_APART = {1: 1, 2: 7, 3: 31}
KM_APART = {1: 2.0, 2: 10.0, 3: 30.0}
FAMILIES = (
    frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"}),
    frozenset({"Protests", "Riots"}),
)
EARTH_RADIUS_KM = 6371.0088
MAX_DAYS = max(DAYS_APART.values())
MAX_KM = max(KM_APART.values())


@dataclass(frozen=True)
class Report:
    """What the rule needs of an event or an incoming row; ``actors`` are already expanded to
    coalitions and exclude civilians and unidentified groups."""

    key: str
    datasets: frozenset[str]
    event_date: date
    time_precision: int
    latitude: float
    longitude: float
    geo_precision: int
    event_type: str
    actors: frozenset[int]


@dataclass(frozen=True)
class Match:
    key: str
    days_apart: int
    km_apart: float

    @property
    def reason(self) -> str:
        return f"{self.days_apart} day(s) and {self.km_apart:.1f} km apart, compatible type and actors"


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine).

    >>> round(km_between(18.5, -72.3, 18.6, -72.3), 1)
    11.1
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def compatible_types(first: str, second: str) -> bool:
    """
    >>> compatible_types("Battles", "Violence against civilians"), compatible_types("Riots", "Battles")
    (True, False)
    """
    return first == second or any(first in family and second in family for family in FAMILIES)


def best_match(new: Report, candidates: Iterable[Report]) -> Match | None:
    found: list[Match] = []
    for old in candidates:
        if not new.datasets.isdisjoint(old.datasets):
            continue
        if not compatible_types(new.event_type, old.event_type):
            continue
        if new.actors and old.actors and new.actors.isdisjoint(old.actors):
            continue
        days = abs((new.event_date - old.event_date).days)
        if days > DAYS_APART[max(new.time_precision, old.time_precision)]:
            continue
        km = km_between(new.latitude, new.longitude, old.latitude, old.longitude)
        if km > KM_APART[max(new.geo_precision, old.geo_precision)]:
            continue
        found.append(Match(key=old.key, days_apart=days, km_apart=km))
    return min(found, key=lambda m: (m.days_apart, m.km_apart, m.key), default=None)


def search_box(reports: Sequence[Report]) -> tuple[date, date, float, float, float, float]:
    """Dates and a lon/lat box that hold every possible match of these reports (for one query)."""
    margin = MAX_KM / 111.0 + 0.01
    lats = [r.latitude for r in reports]
    lons = [r.longitude for r in reports]
    lon_margin = margin / max(0.1, math.cos(math.radians(max(abs(min(lats)), abs(max(lats))))))
    return (
        min(r.event_date for r in reports) - timedelta(days=MAX_DAYS),
        max(r.event_date for r in reports) + timedelta(days=MAX_DAYS),
        min(lons) - lon_margin,
        min(lats) - margin,
        max(lons) + lon_margin,
        max(lats) + margin,
    )
