"""Strength arithmetic: derive per-country strength, pledges and ceilings on any date.

Pure functions over plain values, so the API, the web page, reports and tests share one
implementation and it can be checked without a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Change:
    """A signed change in one contributor's deployed personnel on a date."""

    country: str
    on: date
    delta: int


@dataclass(frozen=True)
class DatedFigure:
    """A pledge (with its country) or a ceiling (country empty) that holds from ``on`` onwards."""

    on: date
    value: int
    country: str = ""


@dataclass(frozen=True)
class Series:
    country: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Timeline:
    """Strength by country at every date where something changed, for charts."""

    dates: tuple[date, ...]
    series: tuple[Series, ...]
    totals: tuple[int, ...]
    pledged: tuple[int | None, ...]
    ceiling: tuple[int | None, ...]


def strength_on(changes: Iterable[Change], day: date) -> dict[str, int]:
    """Deployed personnel per country at the end of ``day``.

    >>> strength_on([Change("KE", date(2024, 6, 25), 200), Change("KE", date(2025, 1, 18), 217)],
    ...             date(2025, 1, 5))
    {'KE': 200}
    """
    totals: dict[str, int] = defaultdict(int)
    for change in changes:
        if change.on <= day:
            totals[change.country] += change.delta
    return dict(sorted(totals.items()))


def latest_by_country(figures: Iterable[DatedFigure], day: date) -> dict[str, int]:
    """The most recent figure per country on or before ``day`` (pledges are superseded, not summed)."""
    latest: dict[str, DatedFigure] = {}
    for figure in figures:
        if figure.on <= day and (figure.country not in latest or figure.on >= latest[figure.country].on):
            latest[figure.country] = figure
    return {country: figure.value for country, figure in sorted(latest.items())}


def ceiling_on(ceilings: Iterable[DatedFigure], day: date) -> int | None:
    latest = latest_by_country((DatedFigure(c.on, c.value) for c in ceilings), day)
    return latest.get("")


def build_timeline(
    changes: Sequence[Change], pledges: Sequence[DatedFigure], ceilings: Sequence[DatedFigure]
) -> Timeline:
    """One point per date on which strength, a pledge or a ceiling changed."""
    dates = tuple(sorted({c.on for c in changes} | {p.on for p in pledges} | {c.on for c in ceilings}))
    countries = tuple(sorted({c.country for c in changes}))
    running: dict[str, int] = defaultdict(int)
    by_date: dict[date, list[Change]] = defaultdict(list)
    for change in changes:
        by_date[change.on].append(change)
    columns: dict[str, list[int]] = {country: [] for country in countries}
    totals, pledged, ceiling = [], [], []
    for day in dates:
        for change in by_date[day]:
            running[change.country] += change.delta
        for country in countries:
            columns[country].append(running[country])
        totals.append(sum(running.values()))
        pledge_figures = latest_by_country(pledges, day)
        pledged.append(sum(pledge_figures.values()) if pledge_figures else None)
        ceiling.append(ceiling_on(ceilings, day))
    return Timeline(
        dates=dates,
        series=tuple(Series(country, tuple(columns[country])) for country in countries),
        totals=tuple(totals),
        pledged=tuple(pledged),
        ceiling=tuple(ceiling),
    )


@dataclass(frozen=True)
class Shortfall:
    country: str
    on: date
    value: int


def first_negative(changes: Iterable[Change]) -> Shortfall | None:
    """The first date on which a country's running strength drops below zero, if any.

    >>> first_negative([Change("KE", date(2024, 1, 1), 10), Change("KE", date(2024, 2, 1), -15)])
    Shortfall(country='KE', on=datetime.date(2024, 2, 1), value=-5)
    """
    running: dict[str, int] = defaultdict(int)
    by_day: dict[date, list[Change]] = defaultdict(list)
    for change in changes:
        by_day[change.on].append(change)
    for day in sorted(by_day):
        for change in by_day[day]:
            running[change.country] += change.delta
        for country in sorted({c.country for c in by_day[day]}):
            if running[country] < 0:
                return Shortfall(country, day, running[country])
    return None
