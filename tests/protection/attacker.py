"""A differencing attacker, written apart from the code it attacks.

It issues queries through ``Release.answer`` exactly as the API does, turns every published figure
into a 0/1 vector over the stored (fine) cells, and asks linear algebra what all of them together
determine. A combination of fine cells is determined exactly when its indicator vector lies in the
row space of the published vectors; published zeros also pin every fine cell they cover (counts
cannot be negative). It knows the rules, the schema and which cells are suppressed.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ulinzi.protection.suppression import (
    AreaUnit,
    Count,
    PeriodUnit,
    Qualifier,
    Query,
    Release,
    Row,
    iter_queries,
    period_label,
)

Vector = npt.NDArray[np.bool_]
# Relative to the largest eigenvalue of the Gram matrix: rounding noise sits near 1e-13 of it, and
# the smallest genuine eigenvalue of these 0/1 systems far above 1e-10 of it.
EIGENVALUE_TOLERANCE = 1e-10
RESIDUAL_TOLERANCE = 1e-6
ALL_AREAS = "*"


@dataclass(frozen=True)
class FineCell:
    month: str
    commune: str
    bands: dict[str, str]


@dataclass
class Findings:
    """What one attack saw and found; ``leaks`` must stay empty."""

    queries: int = 0
    figures: int = 0
    suppressed_cells: int = 0
    combinations: int = 0
    leaks: list[str] = field(default_factory=list)

    def add(self, other: Findings) -> None:
        self.queries += other.queries
        self.figures += other.figures
        self.suppressed_cells += other.suppressed_cells
        self.combinations += other.combinations
        self.leaks += other.leaks


@dataclass(frozen=True)
class Published:
    """One answer cell with the fine cells it covers."""

    query: Query
    row: Row
    cover: Vector


class Attacker:
    def __init__(self, release: Release, counts: Sequence[Count], seed: int = 0) -> None:
        self.release = release
        self.k = release.min_cell
        self.random = random.Random(seed)  # noqa: S311  reproducible samples, not secrets
        dimensions = ("violence_type", "age_band", "sex_band", "perpetrator_type")
        self.fine = [
            FineCell(month, commune, dict(zip(dimensions, codes, strict=True)))
            for month in release.months
            for commune in sorted(release.department_of)
            for codes in itertools.product(*(release.schema.bands[d] for d in dimensions))
        ]
        index = {(c.month, c.commune, *c.bands.values()): n for n, c in enumerate(self.fine)}
        self.periods = {unit: np.array([period_label(c.month, unit) for c in self.fine]) for unit in PeriodUnit}
        self.areas = {
            unit: np.array([self._area(c.commune, unit) or ALL_AREAS for c in self.fine]) for unit in AreaUnit
        }
        self.bands = {d: np.array([c.bands[d] for c in self.fine]) for d in dimensions}
        self.truth = np.zeros(len(self.fine))
        for count in counts:
            key = (count.month, count.commune, *(count.band(d) for d in dimensions))
            self.truth[index[key]] += count.count
        self.findings = Findings()

    def cover(self, query: Query, row: Row) -> Vector:
        covered: Vector = (self.periods[query.period] == row.period) & (
            self.areas[query.area] == (row.area or ALL_AREAS)
        )
        for dimension, code in row.bands:
            covered &= self.bands[dimension] == code
        return covered

    def _area(self, commune: str, unit: AreaUnit) -> str | None:
        if unit is AreaUnit.ALL:
            return None
        return commune if unit is AreaUnit.COMMUNE else self.release.department_of[commune]

    def ask(self, query: Query) -> list[Published]:
        self.findings.queries += 1
        answers = [Published(query, row, self.cover(query, row)) for row in self.release.answer(query).rows]
        self.findings.figures += len(answers)
        return answers

    def attack(self, extra_queries: int = 12) -> Findings:
        everything = [answer for query in iter_queries(self.release.schema) for answer in self.ask(query)]
        self._check_filtered_queries(everything, extra_queries)
        canonical = [a for a in everything if self._is_canonical(a)]
        hidden = [a.cover for a in canonical if a.row.figure.qualifier is Qualifier.SUPPRESSED]
        published = self._equations(everything, canonical)
        self._check_values(everything)
        solver = RowSpace(published, self.pins(everything))
        self.findings.suppressed_cells += len(hidden)
        self._expect_hidden(solver, [(c, "suppressed cell") for c in hidden], any_total=True)
        concealed = [a for a in everything if a.row.figure.qualifier is not Qualifier.EXACT]
        self._expect_hidden(solver, [(a.cover, f"hidden total {a.row}") for a in concealed], any_total=True)
        self._expect_hidden(solver, self._unions(canonical, hidden), any_total=False)
        self._check_nested_differences([a for a in everything if a.row.figure.qualifier is Qualifier.EXACT])
        return self.findings

    def _is_canonical(self, answer: Published) -> bool:
        query = answer.query
        view = self.release.schema.view_holding(query.by)
        whole_view = view is not None and set(query.by) == set(self.release.schema.views[view])
        return query.period is PeriodUnit.MONTH and query.area is AreaUnit.COMMUNE and whole_view

    def _equations(self, everything: list[Published], canonical: list[Published]) -> list[tuple[Vector, float]]:
        """Exact figures, and for an "at least" figure the published cells it adds up (whichever
        view it came from: the attacker can compute them all)."""
        equations = [
            (a.cover, float(a.row.figure.value or 0)) for a in everything if a.row.figure.qualifier is Qualifier.EXACT
        ]
        shown = [a for a in canonical if a.row.figure.qualifier is Qualifier.EXACT]
        covers = np.array([c.cover for c in shown], dtype=float).reshape(len(shown), len(self.fine))
        values = np.array([float(c.row.figure.value or 0) for c in shown])
        views = np.array([self.release.schema.view_holding(c.query.by) for c in shown])
        for answer in everything:
            if answer.row.figure.qualifier is not Qualifier.AT_LEAST:
                continue
            inside = covers @ (~answer.cover).astype(float) == 0
            sums = []
            for view in self._views_of(answer):
                parts = inside & (views == view)
                sums.append(float(values[parts].sum()))
                if parts.any():
                    equations.append((covers[parts].sum(axis=0) > 0, sums[-1]))
            if answer.row.figure.value != max(sums):
                self.findings.leaks.append(f"'at least' figure is not the sum of published cells: {answer.row}")
        return equations

    def _views_of(self, answer: Published) -> list[int]:
        dimensions = [d for d, _ in answer.row.bands]
        if dimensions:
            view = self.release.schema.view_holding(dimensions)
            return [] if view is None else [view]
        return list(range(len(self.release.schema.views)))

    def pins(self, everything: list[Published]) -> Vector:
        pinned = np.zeros(len(self.fine), dtype=bool)
        for answer in everything:
            if answer.row.figure.qualifier is Qualifier.EXACT and answer.row.figure.value == 0:
                pinned |= answer.cover
        return pinned

    def _check_values(self, everything: list[Published]) -> None:
        for answer in everything:
            figure = answer.row.figure
            if figure.value is not None and 0 < figure.value < self.k:
                self.findings.leaks.append(f"published figure in 1..k-1: {answer.row}")
            true_total = float(self.truth @ answer.cover)
            if figure.qualifier is Qualifier.EXACT and figure.value != true_total:
                self.findings.leaks.append(f"exact figure differs from the truth ({true_total}): {answer.row}")

    def _expect_hidden(self, solver: RowSpace, combinations: Iterable[tuple[Vector, str]], any_total: bool) -> None:
        """Each combination must stay undetermined (when ``any_total``, or when its total is 1..k-1)."""
        listed = list(combinations)
        if not listed:
            return
        self.findings.combinations += len(listed)
        covers = [cover for cover, _ in listed]
        totals = np.array(covers, dtype=float) @ self.truth
        for (_, what), total, fixed in zip(listed, totals, solver.determined(covers), strict=True):
            if fixed and (any_total or 0 < total < self.k):
                self.findings.leaks.append(f"determined ({total:g}): {what}")

    def _unions(self, canonical: list[Published], hidden: list[Vector]) -> list[tuple[Vector, str]]:
        """Unions of suppressed cells: each place's hidden cells per view, every disjoint pair, and
        a sample of disjoint triples."""
        unions: list[tuple[Vector, str]] = []
        by_place: dict[tuple[str, str | None, int | None], list[Vector]] = {}
        for answer in canonical:
            if answer.row.figure.qualifier is Qualifier.SUPPRESSED:
                place = (answer.row.period, answer.row.area, self.release.schema.view_holding(answer.query.by))
                by_place.setdefault(place, []).append(answer.cover)
        unions += [(np.logical_or.reduce(covers), f"hidden cells of {place}") for place, covers in by_place.items()]
        for first, second in itertools.combinations(hidden, 2):
            if not (first & second).any():
                unions.append((first | second, "two suppressed cells"))
        for _ in range(min(60, len(hidden) ** 2)):
            chosen = self.random.sample(hidden, min(3, len(hidden)))
            if sum(int(c.sum()) for c in chosen) == int(np.logical_or.reduce(chosen).sum()):
                unions.append((np.logical_or.reduce(chosen), "three suppressed cells"))
        return unions

    def _check_nested_differences(self, exact: list[Published], sample: int = 300) -> None:
        """A ⊃ B, both exact: A − B is determined, so it must not be 1..k−1 (month against quarter,
        commune against department, one band against the total, A against A ∪ B). Every nested pair
        among a sample of the exact figures."""
        chosen = self.random.sample(exact, min(sample, len(exact)))
        covers = np.array([a.cover for a in chosen], dtype=float).reshape(len(chosen), len(self.fine))
        values = np.array([float(a.row.figure.value or 0) for a in chosen])
        nested = (covers @ covers.T) == covers.sum(axis=1)[np.newaxis, :]  # [a, b]: every cell of b is in a
        np.fill_diagonal(nested, False)
        differences = values[:, np.newaxis] - values[np.newaxis, :]
        self.findings.combinations += int(nested.sum())
        for outer, inner in zip(*np.nonzero(nested & (differences > 0) & (differences < self.k)), strict=True):
            self.findings.leaks.append(f"difference in 1..k-1: {chosen[outer].row} minus {chosen[inner].row}")

    def _check_filtered_queries(self, everything: list[Published], count: int) -> None:
        """Filters only pick rows: a filtered answer equals the unfiltered one cell for cell."""
        known = {
            (a.query.period, a.query.area, a.row.period, a.row.area, a.row.bands): a.row.figure for a in everything
        }
        schema, release = self.release.schema, self.release
        for _ in range(count):
            view = self.random.choice(schema.views)
            dimensions = [d for d in view if self.random.random() < 0.7]
            fixed = [d for d in dimensions if self.random.random() < 0.4]
            period = self.random.choice(list(PeriodUnit))
            area = self.random.choice([AreaUnit.COMMUNE, AreaUnit.DEPARTMENT])
            within = period_label(self.random.choice(release.months), PeriodUnit.YEAR) if release.months else None
            department = self.random.choice(sorted(set(release.department_of.values())))
            query = Query(
                period=period,
                area=area,
                by=tuple(d for d in dimensions if d not in fixed),
                within=within,
                pcode=department,
                bands=tuple((d, self.random.choice(schema.bands[d])) for d in fixed),
            )
            for answer in self.ask(query):
                row = answer.row
                if known.get((period, area, row.period, row.area, row.bands)) != row.figure:
                    self.findings.leaks.append(f"filtered answer differs from the unfiltered table: {row}")


class RowSpace:
    """The span of the published vectors over the fine cells no published zero pins."""

    def __init__(self, equations: list[tuple[Vector, float]], pinned: Vector) -> None:
        self.free = ~pinned
        # Many figures repeat one another (a department of one commune, a total of one band); the
        # span only needs each vector once.
        matrix = np.unique(np.array([cover[self.free] for cover, _ in equations], dtype=float), axis=0)
        if matrix.size == 0 or not self.free.any():
            self.basis = np.zeros((0, int(self.free.sum())))
            return
        # The row space is spanned by the eigenvectors of the Gram matrix with non-zero eigenvalues:
        # a small symmetric problem (one row and column per free cell) instead of an SVD of every figure.
        eigenvalues, vectors = np.linalg.eigh(matrix.T @ matrix)
        self.basis = vectors[:, eigenvalues > EIGENVALUE_TOLERANCE * max(1.0, float(eigenvalues[-1]))].T

    def determines(self, cover: Vector) -> bool:
        return bool(self.determined([cover])[0])

    def determined(self, covers: Sequence[Vector]) -> npt.NDArray[np.bool_]:
        """For each cover, whether the published figures fix its total (a cover whose every cell
        is pinned to zero is fixed too)."""
        if not covers:
            return np.zeros(0, dtype=bool)
        vectors = np.array([cover[self.free] for cover in covers], dtype=float)
        residual = vectors - (vectors @ self.basis.T) @ self.basis
        return np.asarray(np.abs(residual).max(axis=1, initial=0.0) < RESIDUAL_TOLERANCE)
