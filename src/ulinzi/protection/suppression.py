"""Small-cell suppression of SGBV counts: the one path every output takes (issue #7, item 2).

No screen, API answer, export or report shows an SGBV figure that did not come out of
``Release.answer``; nothing else reads the stored counts for output. Framework-free, so the proof
in ``tests/protection/test_differencing.py`` drives exactly the code the API runs.

The design, and why it resists differencing (docs/protection.md gives the full argument):

1. **Canonical cells.** The stored counts are summed into three canonical tables, one per GBVIMS
   view: month × commune × type of violence; month × commune × age band × sex band; month ×
   commune × perpetrator type. Types are never crossed with survivor bands or perpetrators, which
   keeps cells large enough to publish.
2. **Primary suppression.** A canonical cell holding 1 to k−1 incidents is suppressed (k is
   ``ULINZI_SGBV_MIN_CELL``, 5 by default). Zeros are shown: a zero holds nobody, hiding zeros
   would blank most tables, and counts cannot be negative, so a published total of zero would
   give its parts away anyway.
3. **Complementary suppression, between the views.** The three tables share one fact each month
   and commune: they count the same incidents, so their totals are equal. If one table hid cells
   there and another hid none, the full one would give the other's hidden total away. So where
   any view hides a cell in a month and commune, every view does: a view with none hides its
   first non-zero cell in a fixed order (unknown and other bands first). The order does not
   depend on the counts, so the choice reveals nothing more than the table already shows.
4. **Every other figure is a sum of published canonical cells.** A quarter, a department, a
   year, a total over types, or any filtered answer adds up published canonical cells of one
   view. When the cells it covers include a suppressed one, it is published as "at least" the sum
   of the published ones (or as suppressed when that sum is 0), never as an exact total. So every
   figure an attacker can see, in any number of queries, is a sum of published canonical cells:
   adding and subtracting answers yields nothing the canonical tables do not already show, and
   the equal-totals fact is neutralised by step 3. No published figure lies in 1..k−1: canonical
   cells are 0 or at least k, and sums of such numbers are too.

Periods come in fixed units (month, quarter, year), areas are communes, departments or all
areas, and bands are filtered one value at a time: every answer cell is a sum of canonical cells
of one view, whatever the query.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ulinzi.protection.gbvims import AGE_BANDS, PERPETRATOR_TYPES, SEX_BANDS, VIOLENCE_TYPES

DEFAULT_MIN_CELL = 5
BAND_DIMENSIONS = ("violence_type", "age_band", "sex_band", "perpetrator_type")
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
QUARTER = re.compile(r"(\d{4})-Q([1-4])")
YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Schema:
    """The bands of each dimension and the views (the band dimensions crossed with each other).

    Production uses ``GBVIMS``; the proof uses smaller band lists so its linear algebra stays fast.
    """

    bands: Mapping[str, tuple[str, ...]]
    views: tuple[tuple[str, ...], ...]

    def view_holding(self, dimensions: Iterable[str]) -> int | None:
        """The view whose dimensions include all of ``dimensions``, if one does."""
        wanted = set(dimensions)
        return next((index for index, view in enumerate(self.views) if wanted <= set(view)), None)


GBVIMS = Schema(
    bands={
        "violence_type": VIOLENCE_TYPES.codes,
        "age_band": AGE_BANDS.codes,
        "sex_band": SEX_BANDS.codes,
        "perpetrator_type": PERPETRATOR_TYPES.codes,
    },
    views=(("violence_type",), ("age_band", "sex_band"), ("perpetrator_type",)),
)


@dataclass(frozen=True)
class Count:
    """One stored cell: incidents in one month and commune, of one type, survivor age and sex band,
    and perpetrator type. ``month`` is ``YYYY-MM``."""

    month: str
    commune: str
    violence_type: str
    age_band: str
    sex_band: str
    perpetrator_type: str
    count: int

    def band(self, dimension: str) -> str:
        return str(getattr(self, dimension))


class PeriodUnit(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class AreaUnit(enum.StrEnum):
    COMMUNE = "commune"
    DEPARTMENT = "department"
    ALL = "all"


class Qualifier(enum.StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Figure:
    """What a table shows in one cell: an exact count, a lower bound, or nothing."""

    qualifier: Qualifier
    value: int | None

    def __str__(self) -> str:
        if self.qualifier is Qualifier.SUPPRESSED:
            return "suppressed"
        return f"at least {self.value}" if self.qualifier is Qualifier.AT_LEAST else str(self.value)


@dataclass(frozen=True)
class Query:
    """Which table to build: the period and area units, the bands to break down by, and filters.

    ``within`` keeps one year (``2024``), quarter (``2024-Q1``) or month (``2024-03``); ``pcode``
    one commune or department; ``bands`` one code for each band dimension it names.
    """

    period: PeriodUnit = PeriodUnit.MONTH
    area: AreaUnit = AreaUnit.COMMUNE
    by: tuple[str, ...] = ()
    within: str | None = None
    pcode: str | None = None
    bands: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(
        cls,
        *,
        period: str = "",
        area: str = "",
        by: str = "",
        within: str = "",
        pcode: str = "",
        bands: Mapping[str, str] | None = None,
    ) -> Query:
        """A query from request parameters (empty means the default); QueryRefused names a bad one.

        >>> Query.parse(period="quarter", by="age_band, sex_band", bands={"violence_type": "rape"}).by
        ('age_band', 'sex_band')
        """
        try:
            period_unit = PeriodUnit(period or PeriodUnit.MONTH)
        except ValueError:
            raise QueryRefused("period", f"{period!r} is not one of: {', '.join(PeriodUnit)}") from None
        try:
            area_unit = AreaUnit(area or AreaUnit.COMMUNE)
        except ValueError:
            raise QueryRefused("area", f"{area!r} is not one of: {', '.join(AreaUnit)}") from None
        return cls(
            period=period_unit,
            area=area_unit,
            by=tuple(dict.fromkeys(part.strip() for part in by.split(",") if part.strip())),
            within=within.strip().upper() or None,
            pcode=pcode.strip().upper() or None,
            bands=tuple((dimension, code.strip()) for dimension, code in (bands or {}).items() if code.strip()),
        )


@dataclass(frozen=True)
class Row:
    period: str
    area: str | None  # None: all areas
    bands: tuple[tuple[str, str], ...]  # (dimension, code) for each broken-down or filtered band
    figure: Figure


@dataclass(frozen=True)
class Table:
    query: Query
    min_cell: int
    dimensions: tuple[str, ...]  # the band dimensions the rows carry, in schema order
    rows: tuple[Row, ...]


class QueryRefused(ValueError):
    """A query no published table answers; ``field`` names the parameter at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def period_label(month: str, unit: PeriodUnit) -> str:
    """The month, quarter or year holding ``month``.

    >>> period_label("2024-05", PeriodUnit.QUARTER), period_label("2024-05", PeriodUnit.YEAR)
    ('2024-Q2', '2024')
    """
    if unit is PeriodUnit.MONTH:
        return month
    year, number = month[:4], int(month[5:7])
    return year if unit is PeriodUnit.YEAR else f"{year}-Q{(number - 1) // 3 + 1}"


def period_unit_of(label: str) -> PeriodUnit:
    """The unit of a period label, or ValueError.

    >>> period_unit_of("2024-Q3"), period_unit_of("2024-03")
    (<PeriodUnit.QUARTER: 'quarter'>, <PeriodUnit.MONTH: 'month'>)
    """
    for pattern, unit in ((MONTH, PeriodUnit.MONTH), (QUARTER, PeriodUnit.QUARTER), (YEAR, PeriodUnit.YEAR)):
        if pattern.fullmatch(label):
            return unit
    raise ValueError(f"{label!r} is not a year (2024), quarter (2024-Q1) or month (2024-03)")


def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every month from ``first`` to ``last``, so months without counts show as zeros.

    >>> months_between("2024-11", "2025-02")
    ('2024-11', '2024-12', '2025-01', '2025-02')
    """
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)


_PERIOD_RANK = {PeriodUnit.MONTH: 0, PeriodUnit.QUARTER: 1, PeriodUnit.YEAR: 2}

# A canonical cell: (view, month, commune, the view's band codes).
CanonicalKey = tuple[int, str, str, tuple[str, ...]]


@dataclass
class _Sum:
    """Published incidents in an answer cell, and whether a suppressed canonical cell is among them."""

    published: int = 0
    hides: bool = False


@dataclass(frozen=True)
class _Plan:
    """A validated query: which view answers it and which rows it has."""

    view: int | None  # None: totals over every band, answered by every view
    period_unit: PeriodUnit
    area_unit: AreaUnit
    periods: tuple[str, ...]
    areas: tuple[str | None, ...]
    band_rows: tuple[tuple[tuple[str, str], ...], ...]
    dimensions: tuple[str, ...]
    months: frozenset[str]
    communes: frozenset[str]
    fixed: Mapping[str, str] = field(default_factory=dict)


class Release:
    """The canonical cells of every view with their suppression decided, and answers built from them.

    Built from every stored count at once: the complementary suppression of step 3 looks at all
    views of a month and commune together, so it cannot be decided query by query.
    """

    def __init__(
        self,
        counts: Iterable[Count],
        communes: Mapping[str, str],
        min_cell: int = DEFAULT_MIN_CELL,
        schema: Schema = GBVIMS,
    ) -> None:
        """``communes`` maps every commune's P-code to its department's: all of them get rows,
        with zeros where nothing was recorded, so a commune's presence in a table says nothing."""
        if min_cell < 2:
            raise ValueError("the minimum cell size must be at least 2")
        self.min_cell = min_cell
        self.schema = schema
        self._cells: dict[CanonicalKey, int] = defaultdict(int)
        department_of = dict(communes)
        for count in counts:
            self._check(count)
            department_of.setdefault(count.commune, "")
            for view_index, view in enumerate(schema.views):
                key = (view_index, count.month, count.commune, tuple(count.band(d) for d in view))
                self._cells[key] += count.count
        self.department_of: Mapping[str, str] = department_of
        stored_months = sorted({key[1] for key in self._cells})
        self.months = months_between(stored_months[0], stored_months[-1]) if stored_months else ()
        self._suppressed = self._suppress()

    def _check(self, count: Count) -> None:
        if not MONTH.fullmatch(count.month):
            raise ValueError(f"{count.month!r} is not a month (YYYY-MM)")
        if count.count < 0:
            raise ValueError("a count cannot be negative")
        for dimension in BAND_DIMENSIONS:
            if count.band(dimension) not in self.schema.bands[dimension]:
                raise ValueError(f"{count.band(dimension)!r} is not a {dimension} band")

    def _suppress(self) -> frozenset[CanonicalKey]:
        """Primary suppression of cells below k, then the balance between views (step 3)."""
        hidden = {key for key, value in self._cells.items() if 0 < value < self.min_cell}
        by_place: dict[tuple[str, str], set[int]] = defaultdict(set)
        for view_index, month, commune, _ in hidden:
            by_place[(month, commune)].add(view_index)
        for (month, commune), views in by_place.items():
            for view_index in range(len(self.schema.views)):
                if view_index not in views:
                    hidden.add(self._first_non_zero(view_index, month, commune))
        return frozenset(hidden)

    def _first_non_zero(self, view_index: int, month: str, commune: str) -> CanonicalKey:
        """The cell a view hides to balance another's: the first non-zero one, last bands first.

        Every view counts the same incidents, so a view of a place where another hides a non-zero
        cell has a non-zero cell too.
        """
        view = self.schema.views[view_index]
        for codes in itertools.product(*(reversed(self.schema.bands[d]) for d in view)):
            key = (view_index, month, commune, codes)
            if self._cells.get(key, 0) > 0:
                return key
        raise AssertionError("views of one month and commune disagree on its total")

    def answer(self, query: Query) -> Table:
        """The table ``query`` asks for, every cell computed from published canonical cells only."""
        plan = self._plan(query)
        sums = self._sums(plan)
        rows = []
        for period, area, band_row in itertools.product(plan.periods, plan.areas, plan.band_rows):
            views = range(len(self.schema.views)) if plan.view is None else (plan.view,)
            parts = [sums.get((view, period, area, band_row), _Sum()) for view in views]
            rows.append(Row(period, area, band_row, _figure(parts)))
        return Table(query, self.min_cell, plan.dimensions, tuple(rows))

    def _sums(self, plan: _Plan) -> dict[tuple[int, str, str | None, tuple[tuple[str, str], ...]], _Sum]:
        """Add every canonical cell in the query's scope to the answer cell holding it."""
        query_views = range(len(self.schema.views)) if plan.view is None else (plan.view,)
        sums: dict[tuple[int, str, str | None, tuple[tuple[str, str], ...]], _Sum] = defaultdict(_Sum)
        for key, value in self._cells.items():
            view_index, month, commune, codes = key
            if view_index not in query_views or month not in plan.months or commune not in plan.communes:
                continue
            bands = dict(zip(self.schema.views[view_index], codes, strict=True))
            if any(bands[dimension] != code for dimension, code in plan.fixed.items()):
                continue
            band_row = tuple((dimension, bands[dimension]) for dimension in plan.dimensions)
            period, area = period_label(month, plan.period_unit), self._area_of(commune, plan.area_unit)
            target = sums[(view_index, period, area, band_row)]
            if key in self._suppressed:
                target.hides = True
            else:
                target.published += value
        return sums

    def _area_of(self, commune: str, unit: AreaUnit) -> str | None:
        if unit is AreaUnit.ALL:
            return None
        return commune if unit is AreaUnit.COMMUNE else self.department_of[commune]

    def _plan(self, query: Query) -> _Plan:
        dimensions, fixed, view = self._band_plan(query)
        months = self._months(query)
        communes = self._communes(query)
        periods = tuple(dict.fromkeys(period_label(month, query.period) for month in months))
        if query.area is AreaUnit.ALL:
            areas: tuple[str | None, ...] = (None,)
        elif query.area is AreaUnit.COMMUNE:
            areas = tuple(sorted(communes))
        else:
            areas = tuple(sorted({self.department_of[commune] for commune in communes}))
        band_rows = tuple(
            tuple(zip(dimensions, codes, strict=True))
            for codes in itertools.product(*((fixed[d],) if d in fixed else self.schema.bands[d] for d in dimensions))
        )
        return _Plan(
            view=view,
            period_unit=query.period,
            area_unit=query.area,
            periods=periods,
            areas=areas,
            band_rows=band_rows,
            dimensions=dimensions,
            months=frozenset(months),
            communes=frozenset(communes),
            fixed=fixed,
        )

    def _band_plan(self, query: Query) -> tuple[tuple[str, ...], dict[str, str], int | None]:
        fixed: dict[str, str] = {}
        for dimension, code in query.bands:
            if dimension not in BAND_DIMENSIONS:
                raise QueryRefused(dimension, f"not a band dimension; use {', '.join(BAND_DIMENSIONS)}")
            if code not in self.schema.bands[dimension]:
                raise QueryRefused(dimension, f"{code!r} is not a band; use {', '.join(self.schema.bands[dimension])}")
            fixed[dimension] = code
        for dimension in query.by:
            if dimension not in BAND_DIMENSIONS:
                raise QueryRefused("by", f"{dimension!r} is not a band dimension; use {', '.join(BAND_DIMENSIONS)}")
        used = set(query.by) | set(fixed)
        view = self.schema.view_holding(used) if used else None
        if used and view is None:
            tables = "; ".join(" × ".join(v) for v in self.schema.views)
            raise QueryRefused(
                "by", f"{' and '.join(sorted(used))} are never crossed; the published views are {tables}"
            )
        dimensions = tuple(d for d in BAND_DIMENSIONS if d in used)
        return dimensions, fixed, view

    def _months(self, query: Query) -> tuple[str, ...]:
        if query.within is None:
            return self.months
        try:
            unit = period_unit_of(query.within)
        except ValueError as error:
            raise QueryRefused("within", str(error)) from None
        if _PERIOD_RANK[unit] < _PERIOD_RANK[query.period]:
            raise QueryRefused("within", f"a {unit} does not hold whole {query.period}s")
        return tuple(month for month in self.months if period_label(month, unit) == query.within)

    def _communes(self, query: Query) -> tuple[str, ...]:
        every = tuple(self.department_of)
        if query.pcode is None:
            return every
        if query.area is AreaUnit.ALL:
            raise QueryRefused("pcode", "choose area=commune or area=department to keep one area")
        if query.pcode in self.department_of:
            if query.area is AreaUnit.DEPARTMENT:
                raise QueryRefused("pcode", f"{query.pcode} is a commune; a commune does not hold departments")
            return (query.pcode,)
        held = tuple(commune for commune in every if self.department_of[commune] == query.pcode)
        if not held:
            raise QueryRefused("pcode", f"{query.pcode!r} is not a commune or department")
        return held


def _figure(parts: list[_Sum]) -> Figure:
    """One view answers a band breakdown; totals are answered by every view alike (step 3 makes
    them hide cells in the same places) and the largest published sum is the best lower bound."""
    if not any(part.hides for part in parts):
        return Figure(Qualifier.EXACT, parts[0].published)
    best = max(part.published for part in parts)
    return Figure(Qualifier.AT_LEAST, best) if best > 0 else Figure(Qualifier.SUPPRESSED, None)


def iter_queries(schema: Schema = GBVIMS) -> Iterator[Query]:
    """Every unfiltered query shape: the family of answers a differencing attacker starts from."""
    breakdowns: list[tuple[str, ...]] = [()]
    for view in schema.views:
        for size in range(1, len(view) + 1):
            breakdowns.extend(itertools.combinations(view, size))
    for period, area, by in itertools.product(PeriodUnit, AreaUnit, breakdowns):
        yield Query(period=period, area=area, by=by)
