"""The claims ledger's reasoning: which headline figures about the same thing cannot both be true,
and how a figure stands against the events on record.

Framework-free, so the rules are tested on plain values and the CLI, API and page all say the same.

A figure is a range, not a number: "over 5,000" is every count above 5,000, "about 3,000" anything
within ``APPROX_MARGIN`` of it, a plain "400" exactly 400. Two figures for the same metric, area
and period conflict when their ranges do not meet. Periods are compared at the coarser of their
precisions, so "in June 2024" and "25 June 2024" speak of the same time. For counts that add up
over time (``FLOW_METRICS``), a figure for a period inside another's is a part of that whole: it
conflicts only when the part must exceed the whole. An ``increment`` ("an additional 200") is a
change, never set against a total.
"""

from __future__ import annotations

import calendar
import enum
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ulinzi.intake.extraction import records

# The extraction's vocabulary is the ledger's: a claim accepted from a candidate keeps its words.
METRICS = records.METRICS
QUALIFIERS = records.QUALIFIERS
Qualifier = records.Qualifier

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")

# "About" a figure: how far either side of it the claim still holds. Ten per cent is what a
# rounded headline figure usually hides; a wider margin would let "about 3,000" meet "over 5,000"'s
# neighbours too easily.
APPROX_MARGIN = 0.10

# Counts of people over a period: the total for a period is at least the total for any part of it.
FLOW_METRICS = frozenset({"killed", "injured", "kidnapped", "sexual_violence_victims"})

QUALIFIER_WORDS: dict[Qualifier | None, str] = {
    None: "",
    "gt": "over",
    "gte": "at least",
    "lt": "under",
    "lte": "up to",
    "approx": "about",
    "increment": "an additional",
}

METRIC_WORDS = {
    "killed": "killed",
    "injured": "injured",
    "kidnapped": "kidnapped",
    "displaced": "displaced",
    "sexual_violence_victims": "victims of sexual violence",
    "territory_controlled_pct": "of the territory under gang control",
    "personnel_pledged": "personnel pledged",
    "personnel_deployed": "personnel deployed",
    "food_insecure": "facing acute food insecurity",
    "funding_usd": "in funding",
}

CAVEAT = (
    "The incident store holds only the events someone recorded or imported, so a low share may mean "
    "events are missing from it as much as that the claim is high."
)


class InvalidFigure(ValueError):
    """A value that cannot be a claim's; ``field`` names what was wrong, for the person who typed it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, order=True)
class When:
    """A date as precise as its source: ``2024-02`` is February 2024, not its first day."""

    day: date
    precision: Precision

    @classmethod
    def parse(cls, text: str, field: str = "date") -> When:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, the precision being what was written.

        >>> When.parse("2024-02"), str(When.parse("2025-01-26"))
        (When(day=datetime.date(2024, 2, 1), precision='month'), '2025-01-26')
        """
        parts = text.strip().split("-")
        try:
            widths = [len(part) for part in parts]
            if widths not in ([4], [4, 2], [4, 2, 2]) or not all(part.isascii() and part.isdigit() for part in parts):
                raise ValueError
            numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
            day = date(numbers[0], numbers[1], numbers[2])
        except ValueError:
            raise InvalidFigure(field, f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD") from None
        return cls(day, PRECISIONS[3 - len(parts)])

    def cut(self, precision: Precision) -> When:
        """The same time at a coarser precision (never a finer one: that would invent a day)."""
        if PRECISIONS.index(precision) <= PRECISIONS.index(self.precision):
            return self
        if precision == "month":
            return When(self.day.replace(day=1), "month")
        return When(self.day.replace(month=1, day=1), "year")

    @property
    def first(self) -> date:
        return self.day

    @property
    def last(self) -> date:
        if self.precision == "year":
            return self.day.replace(month=12, day=31)
        if self.precision == "month":
            return self.day.replace(day=calendar.monthrange(self.day.year, self.day.month)[1])
        return self.day

    def __str__(self) -> str:
        return self.day.isoformat()[: {"year": 4, "month": 7, "day": 10}[self.precision]]


def coarser(a: Precision, b: Precision) -> Precision:
    return PRECISIONS[max(PRECISIONS.index(a), PRECISIONS.index(b))]


@dataclass(frozen=True)
class Period:
    """From the start of ``start`` to the end of ``end``; one ``When`` twice for a single date."""

    start: When
    end: When

    def __post_init__(self) -> None:
        if self.start.first > self.end.last:
            raise InvalidFigure("period", f"it starts ({self.start}) after it ends ({self.end})")

    @property
    def first(self) -> date:
        return self.start.first

    @property
    def last(self) -> date:
        return self.end.last

    def overlaps(self, other: Period) -> bool:
        return self.first <= other.last and other.first <= self.last

    def same_as(self, other: Period) -> bool:
        """Whether both name the same time, each end read at the coarser of its two precisions."""
        start = coarser(self.start.precision, other.start.precision)
        end = coarser(self.end.precision, other.end.precision)
        return self.start.cut(start) == other.start.cut(start) and self.end.cut(end) == other.end.cut(end)

    def contains(self, other: Period) -> bool:
        return self.first <= other.first and other.last <= self.last

    def __str__(self) -> str:
        if self.start == self.end:
            return f"on {self.start}" if self.start.precision == "day" else f"in {self.start}"
        return f"from {self.start} to {self.end}"


@dataclass(frozen=True)
class Range:
    """The values a figure allows: ``low`` to ``high``, each end open or closed."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def meets(self, other: Range) -> bool:
        return _below(self.low, self.low_open, other.high, other.high_open) and _below(
            other.low, other.low_open, self.high, self.high_open
        )

    def exceeds(self, other: Range) -> bool:
        """Whether every value here is above every value of ``other``."""
        return not _below(self.low, self.low_open, other.high, other.high_open)


def _below(low: float, low_open: bool, high: float, high_open: bool) -> bool:
    """Whether some value is at least ``low`` and at most ``high`` (strictly, where an end is open)."""
    return low < high or (low == high and not low_open and not high_open)


@dataclass(frozen=True)
class Figure:
    """One claim as the ledger reads it: what was counted, how many, where, when, and who said so."""

    id: int
    metric: str
    value: float
    qualifier: Qualifier | None
    period: Period
    unit: str = ""
    area: str = ""  # the P-code; empty when the claim names no area we hold
    area_name: str = ""  # the place as the source wrote it
    source: str = ""

    def __post_init__(self) -> None:
        check(self.metric, self.value, self.qualifier)

    @property
    def range(self) -> Range:
        value = self.value
        if self.qualifier == "gt":
            return Range(value, math.inf, low_open=True)
        if self.qualifier == "gte":
            return Range(value, math.inf)
        if self.qualifier == "lt":
            return Range(0, value, high_open=True)
        if self.qualifier == "lte":
            return Range(0, value)
        if self.qualifier == "approx":
            return Range(value * (1 - APPROX_MARGIN), value * (1 + APPROX_MARGIN))
        return Range(value, value)

    @property
    def is_increment(self) -> bool:
        return self.qualifier == "increment"

    @property
    def amount(self) -> str:
        """The figure as a reader says it ("over 5,000", "80 per cent"), so qualifiers read as words."""
        unit = _unit_words(self.unit)
        return " ".join(part for part in (QUALIFIER_WORDS[self.qualifier], number(self.value), unit) if part)

    @property
    def statement(self) -> str:
        """What the source says, in one line: "over 5,000 killed in Port-au-Prince from 2024-02 to 2025-01-26"."""
        where = f" in {self.area_name}" if self.area_name else ""
        return f"{self.amount} {METRIC_WORDS[self.metric]}{where} {self.period}"


def check(metric: str, value: float, qualifier: str | None) -> None:
    """Refuse what no claim can hold, naming the field."""
    if metric not in METRICS:
        raise InvalidFigure("metric", f"{metric!r} is not a metric ({', '.join(METRICS)})")
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise InvalidFigure("qualifier", f"{qualifier!r} is not a qualifier ({', '.join(QUALIFIERS)}, or none)")
    if not math.isfinite(value) or value < 0:
        raise InvalidFigure("value", f"{value!r} is not a number of zero or more")


def qualifier_of(text: str | None) -> Qualifier | None:
    """The qualifier a stored or typed word names; none for an empty one, InvalidFigure otherwise."""
    if not text:
        return None
    for qualifier in QUALIFIERS:
        if qualifier == text:
            return qualifier
    raise InvalidFigure("qualifier", f"{text!r} is not a qualifier ({', '.join(QUALIFIERS)}, or none)")


def number(value: float) -> str:
    """
    >>> number(5000), number(80.0), number(2.5)
    ('5,000', '80', '2.5')
    """
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _unit_words(unit: str) -> str:
    cleaned = unit.strip()
    if cleaned.casefold() in ("percent", "per cent", "%", "pct"):
        return "per cent"
    if cleaned.casefold() in ("", "people", "persons", "person"):
        return ""
    return cleaned


class Relation(enum.StrEnum):
    CONFLICT = "conflict"  # cannot both be true
    AGREE = "agree"  # same thing, and the ranges meet
    CONSISTENT = "consistent"  # a part and its whole that fit
    NOT_COMPARED = "not compared"  # not about the same quantity; the reason says why


@dataclass(frozen=True)
class Pair:
    first: Figure
    second: Figure
    relation: Relation
    reason: str


def compare(first: Figure, second: Figure) -> Pair:
    """How two figures for the same metric and area, over overlapping periods, stand to each other."""
    relation, reason = _relation(first, second)
    return Pair(first, second, relation, reason)


def _relation(a: Figure, b: Figure) -> tuple[Relation, str]:
    if _unit_words(a.unit) != _unit_words(b.unit):
        return Relation.NOT_COMPARED, f"different units ({a.unit or 'none'} and {b.unit or 'none'})"
    if a.is_increment != b.is_increment:
        return Relation.NOT_COMPARED, "an increment is a change, not a total"
    if not a.period.same_as(b.period):
        return _part_and_whole(a, b)
    if a.range.meets(b.range):
        return Relation.AGREE, f"{a.amount} and {b.amount} can both be true"
    return Relation.CONFLICT, f"{a.amount} and {b.amount} cannot both be true"


def _part_and_whole(a: Figure, b: Figure) -> tuple[Relation, str]:
    """Figures for different periods: only a count over a period that holds the other's can be compared."""
    if a.metric not in FLOW_METRICS:
        return Relation.NOT_COMPARED, "a level at different times"
    if not (a.period.contains(b.period) or b.period.contains(a.period)):
        return Relation.NOT_COMPARED, "the periods overlap only in part"
    whole, part = (a, b) if a.period.contains(b.period) else (b, a)
    if part.range.exceeds(whole.range):
        return Relation.CONFLICT, f"{part.amount} {part.period} cannot exceed {whole.amount} {whole.period}"
    return Relation.CONSISTENT, f"{part.amount} {part.period} fits within {whole.amount} {whole.period}"


@dataclass(frozen=True)
class Group:
    """Figures for one metric and area whose periods overlap (directly or through one another)."""

    metric: str
    area: str
    area_name: str
    figures: tuple[Figure, ...]
    pairs: tuple[Pair, ...]

    @property
    def conflicts(self) -> tuple[Pair, ...]:
        return tuple(pair for pair in self.pairs if pair.relation is Relation.CONFLICT)

    @property
    def first(self) -> date:
        return min(figure.period.first for figure in self.figures)

    @property
    def last(self) -> date:
        return max(figure.period.last for figure in self.figures)


def ledger(figures: Iterable[Figure]) -> list[Group]:
    """Figures grouped by metric, area and overlapping period, each pair compared; groups in metric,
    area and date order, figures in date order within them."""
    by_subject: dict[tuple[str, str], list[Figure]] = {}
    for figure in figures:
        subject = (figure.metric, figure.area or figure.area_name.casefold())
        by_subject.setdefault(subject, []).append(figure)
    groups = []
    for (metric, area), found in sorted(by_subject.items()):
        found.sort(key=lambda figure: (figure.period.first, figure.period.last, figure.value, figure.id))
        for cluster in _overlapping(found):
            pairs = tuple(compare(a, b) for a, b in itertools.combinations(cluster, 2) if a.period.overlaps(b.period))
            name = next((figure.area_name for figure in cluster if figure.area_name), area)
            groups.append(Group(metric, cluster[0].area, name, tuple(cluster), pairs))
    return groups


def _overlapping(figures: list[Figure]) -> Iterable[list[Figure]]:
    """Runs of date-sorted figures chained by overlap: a new run starts after a gap."""
    run: list[Figure] = []
    reach = date.min
    for figure in figures:
        if run and figure.period.first > reach:
            yield run
            run, reach = [], date.min
        run.append(figure)
        reach = max(reach, figure.period.last)
    if run:
        yield run


@dataclass(frozen=True)
class EventMeasure:
    """What in the incident store answers a metric: deaths summed, or events of one sub-event type counted."""

    sums_fatalities: bool
    sub_event_type: str | None = None


EVENT_MEASURES: dict[str, EventMeasure] = {
    "killed": EventMeasure(sums_fatalities=True),
    "kidnapped": EventMeasure(sums_fatalities=False, sub_event_type="Abduction/forced disappearance"),
    "sexual_violence_victims": EventMeasure(sums_fatalities=False, sub_event_type="Sexual violence"),
}


@dataclass(frozen=True)
class Comparison:
    """A claim against the events on record, in numbers and in one sentence."""

    measured: bool  # whether the incident store holds anything to set against the metric
    event_total: int
    event_count: int
    share: int | None  # the events' figure as a whole percentage of the claim's
    sentence: str
    caveat: str


def compare_with_events(claim: Figure, event_total: int, event_count: int) -> Comparison:
    """Set the claim against what the events on record add up to for its period and area.

    ``event_total`` is the measure's figure (fatalities summed, or events of the sub-event type
    counted) and ``event_count`` the number of events behind it.

    >>> claim = Figure(1, "killed", 5000, "gt", Period(When.parse("2024-02"), When.parse("2025-01-26")),
    ...                area="HT0111", area_name="Port-au-Prince")
    >>> print(compare_with_events(claim, 1234, 56).sentence)
    Sources say over 5,000 killed in Port-au-Prince from 2024-02 to 2025-01-26; events on record sum
    to 1,234 fatalities over 56 events for that period and area (25% of the claim).
    """
    said = f"Sources say {claim.statement}"
    measure = EVENT_MEASURES.get(claim.metric)
    if measure is None:
        sentence = f"{said}; the incident store records nothing that measures {METRIC_WORDS[claim.metric]}."
        return Comparison(False, 0, 0, None, sentence, "")
    share = int(100 * event_total / claim.value + 0.5) if claim.value > 0 else None
    scope = "that period and area" if claim.area or claim.area_name else "that period"
    if measure.sums_fatalities:
        found = f"sum to {number(event_total)} fatalities over {number(event_count)} {_events(event_count)}"
    else:
        found = f"count {number(event_count)} {_events(event_count)} of type {measure.sub_event_type}"
    tail = f" ({share}% of the claim)" if share is not None else ""
    caveat = CAVEAT
    if measure.sub_event_type is not None:
        caveat += " An event may have many victims, so events and people are not the same count."
    return Comparison(
        True, event_total, event_count, share, f"{said}; events on record {found} for {scope}{tail}.", caveat
    )


def _events(count: int) -> str:
    return "event" if count == 1 else "events"
