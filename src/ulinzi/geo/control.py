"""Territorial control over time: who holds a point, and what share of an area and of its people
each actor controls on a date.

Framework-free. Claims by different actors may overlap; each actor's share counts the overlap,
and the contested area is reported beside them rather than split or merged away. Population is
spread over each unit in proportion to area, unless finer units (with their own population) are
given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

import shapely
from shapely.geometry.base import BaseGeometry

from ulinzi.geo.geometry import area_km2


@dataclass(frozen=True)
class Claim:
    """One control polygon of one actor, in force from ``valid_from`` to ``valid_to`` inclusive."""

    actor: str
    geometry: BaseGeometry
    valid_from: date
    valid_to: date | None = None

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class PopulatedUnit:
    pcode: str
    geometry: BaseGeometry
    population: int | None


@dataclass(frozen=True)
class ActorShare:
    actor: str
    area_km2: float
    area_share: float
    population: float | None
    population_share: float | None


@dataclass(frozen=True)
class Share:
    on: date
    area_km2: float
    population: int | None
    actors: tuple[ActorShare, ...]
    any_actor: ActorShare  # the union of every actor's control
    contested_km2: float  # claimed by two actors or more


def controllers_at(claims: Sequence[Claim], lon: float, lat: float, day: date) -> list[Claim]:
    """Every claim in force on ``day`` that holds the point; several when claims overlap."""
    point = shapely.Point(lon, lat)
    return [claim for claim in claims if claim.in_force(day) and claim.geometry.covers(point)]


def share_on(units: Sequence[PopulatedUnit], claims: Sequence[Claim], day: date) -> Share:
    """Area and population of ``units`` under each actor's control on ``day``."""
    region = shapely.union_all([unit.geometry for unit in units])
    total_km2 = area_km2(region)
    known = [unit.population for unit in units]
    population = None if any(p is None for p in known) else sum(p for p in known if p is not None)
    held: dict[str, list[BaseGeometry]] = defaultdict(list)
    for claim in claims:
        if claim.in_force(day):
            held[claim.actor].append(claim.geometry)
    territory = {actor: shapely.intersection(shapely.union_all(shapes), region) for actor, shapes in held.items()}
    # An actor whose claims in force all lie outside the region holds nothing in it: not listed.
    territory = {actor: shape for actor, shape in territory.items() if not shape.is_empty and shape.area > 0}
    actors = tuple(
        sorted(
            (_measure(actor, shape, units, total_km2, population) for actor, shape in territory.items()),
            key=lambda share: -share.area_km2,
        )
    )
    combined = shapely.union_all(list(territory.values())) if territory else shapely.Polygon()
    overlaps = [shapely.intersection(a, b) for a, b in combinations(territory.values(), 2)]
    contested = area_km2(shapely.union_all(overlaps)) if overlaps else 0.0
    return Share(
        on=day,
        area_km2=total_km2,
        population=population,
        actors=actors,
        any_actor=_measure("any", combined, units, total_km2, population),
        contested_km2=contested,
    )


def change_dates(claims: Sequence[Claim], since: date, until: date) -> list[date]:
    """``since`` and every date in (since, until] on which a claim starts or stops being in force."""
    dates = {since}
    for claim in claims:
        dates.add(claim.valid_from)
        if claim.valid_to is not None:
            dates.add(claim.valid_to + timedelta(days=1))
    return sorted(day for day in dates if since <= day <= until)


def series(units: Sequence[PopulatedUnit], claims: Sequence[Claim], since: date, until: date) -> list[Share]:
    """The share on every date it can change between ``since`` and ``until``."""
    return [share_on(units, claims, day) for day in change_dates(claims, since, until)]


def _measure(
    actor: str, territory: BaseGeometry, units: Sequence[PopulatedUnit], total_km2: float, population: int | None
) -> ActorShare:
    held_km2 = area_km2(territory) if not territory.is_empty else 0.0
    people: float | None = None
    if population is not None:
        people = 0.0
        for unit in units:
            unit_km2 = area_km2(unit.geometry)
            if unit.population and unit_km2 > 0 and not territory.is_empty:
                people += unit.population * area_km2(shapely.intersection(unit.geometry, territory)) / unit_km2
    return ActorShare(
        actor=actor,
        area_km2=held_km2,
        area_share=held_km2 / total_km2 if total_km2 else 0.0,
        population=people,
        population_share=(people / population) if people is not None and population else None,
    )
