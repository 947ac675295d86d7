"""Figures in report text, with the qualifier words that bound them (issue #5).

Every quantity keeps offsets into the text it came from: spelled-out numbers go through
``text2num`` on the number-word span alone, never ``alpha2digit``, which rewrites the text and
shifts every later offset. Vague amounts ("hundreds") become a low and a high bound, because a
single figure would claim a precision the source never gave.

Choices a reviewer should know about:

- A figure's own span (``number_start``/``number_end``) includes its scale word ("1.3 million")
  and, for a range, both ends ("10 and 15"); currency signs and unit words stay outside it.
- "5 000" is one figure when the gap is a non-breaking or thin space (any language) or, in
  French only, a plain space; in English "in 2023 400 people" must stay two numbers.
- Amounts in other currencies (€, £, gourdes, HTG) give nothing: there is no unit to carry them,
  and calling them a count would be wrong.
- Hyphenated compounds ("a five-year mandate", "15-member team") are adjectives and give
  nothing, except "-strong" ("a 2,500-strong force"), which states a size.
- Lone "un"/"une" in French are articles and give nothing; "one" in English is a count unless
  it is a pronoun ("one of the", "no one", "each one", "one another", "the one").

Speed, measured on the 2-vCPU development machine (AMD EPYC, one core) over the same
1,000-sentence loop as the date layer: 8,400-9,800 sentences per second, that is 2,500-3,000
quantities per second (about 0.11 ms a sentence); with ``find_dates`` run first for ``skip``,
2,800-4,300 sentences per second.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from text_to_num import text2num  # type: ignore[import-untyped]  # the package ships no type information

from ulinzi.intake.extraction.dates import MONTHS

Qualifier = Literal["gt", "gte", "lt", "lte", "approx", "increment"]
Unit = Literal["count", "percent", "usd"]


@dataclass(frozen=True)
class Quantity:
    """One figure: the span with its qualifier words, and the figure alone within it."""

    start: int
    end: int
    text: str
    number_start: int
    number_end: int
    value: float
    low: float | None
    high: float | None
    qualifier: Qualifier | None
    unit: Unit


@dataclass(frozen=True)
class _Figure:
    """A figure before qualifiers: its span (scale word included), value and vague bounds."""

    start: int
    end: int
    value: float
    low: float | None = None
    high: float | None = None
    exact: bool = True  # a vague amount never joins a range


_EN_QUALIFIERS: dict[str, Qualifier] = {
    "over": "gt", "more than": "gt", "in excess of": "gt", "upwards of": "gt", "just over": "gt",
    "well over": "gt", "at least": "gte", "no fewer than": "gte", "no less than": "gte",
    "a minimum of": "gte", "up to": "lte", "as many as": "lte", "no more than": "lte",
    "a maximum of": "lte", "nearly": "lt", "almost": "lt", "just under": "lt", "close to": "lt",
    "less than": "lt", "fewer than": "lt", "about": "approx", "some": "approx", "around": "approx",
    "roughly": "approx", "approximately": "approx", "an estimated": "approx", "estimated": "approx",
    "an additional": "increment", "another": "increment", "a further": "increment",
}  # fmt: skip
_FR_QUALIFIERS: dict[str, Qualifier] = {
    "plus de": "gt", "plus d'": "gt", "au moins": "gte", "pas moins de": "gte", "au minimum": "gte",
    "jusqu'à": "lte", "au plus": "lte", "pas plus de": "lte", "au maximum": "lte", "près de": "lt",
    "presque": "lt", "quasi": "lt", "moins de": "lt", "environ": "approx", "quelque": "approx",
    "autour de": "approx", "approximativement": "approx", "encore": "increment",
}  # fmt: skip
_EN_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "thousand", "million", "billion", "dozen",
)  # fmt: skip
_FR_WORDS = (
    "zéro", "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente", "quarante",
    "cinquante", "soixante", "cent", "cents", "mille", "million", "millions", "milliard", "milliards",
)  # fmt: skip
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mille": 1e3, "millions": 1e6,
    "milliard": 1e9, "milliards": 1e9,
}  # fmt: skip
_EN_VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (24, 99), "several dozen": (24, 99), "hundreds": (200, 999), "several hundred": (200, 999),
    "thousands": (2_000, 9_999), "several thousand": (2_000, 9_999), "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999), "millions": (2_000_000, 9_999_999),
}  # fmt: skip
_FR_VAGUE: dict[str, tuple[float, float]] = {
    "des dizaines": (20, 99), "des centaines": (200, 999), "des milliers": (2_000, 9_999),
    "des dizaines de milliers": (20_000, 99_999), "des centaines de milliers": (200_000, 999_999),
    "des millions": (2_000_000, 9_999_999), "une dizaine": (10, 10), "une vingtaine": (20, 20),
    "une trentaine": (30, 30), "une cinquantaine": (50, 50), "une centaine": (100, 100),
    "un millier": (1_000, 1_000),
}  # fmt: skip
_REFERENCE = (
    r"(?i:resolutions?|law|decree|article|art\.|no\.|nos\.|number|chapter|section|paragraph|para\.|page|"
    r"pp?\.|annex|act|bill|order|code|flight|route|road|highway|room|tel\.?|phone|line|vol\.|volume|"
    r"issue|item|résolution|loi|décret|numéro|n°|arrêté|rue|route\s+nationale|RN)"
)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


def _month_pattern(lang: str) -> str:
    names = list(MONTHS[lang])
    if lang == "fr":
        return f"(?i:{_alternation(names)})"
    return "(?:" + _alternation([n.capitalize() for n in names] + [n.upper() for n in names]) + r")\.?"


_YEAR = r"(?<!\d)(?:19\d\d|20\d\d|2100)(?!\d)"
_DAY = r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er)?(?!\d)"


def _date_like(lang: str) -> re.Pattern[str]:
    """Digits that belong to dates, skipped even when the caller passes no date spans."""
    # Cheap first tests at each position: a month word (capitalised in English) or a digit.
    month = (r"\b(?=[A-Z])" if lang == "en" else r"\b") + _month_pattern(lang)
    joined = r"\s*(?:-|–|(?i:to|and|au|et))\s*"
    temporal = (
        r"(?i:in|since|during|until|till|before|after|through|early|mid|late|end\s+of|"
        r"en|depuis|pendant|avant|après|fin|début|mi)"
    )
    return re.compile(
        "|".join(
            (
                rf"{month}\s+{_DAY}(?:{joined}{_DAY})?(?:,?\s+{_YEAR})?",
                rf"(?=\d){_DAY}(?:{joined}{_DAY})?(?:\s+of)?\s+{month}(?:,?\s+{_YEAR})?",
                rf"{month},?\s+(?:of\s+)?{_YEAR}",
                r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|(?<!\d)\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?!\d)",
                rf"(?=\d){_YEAR}\s*[-–]\s*(?:{_YEAR}|\d\d(?!\d))",
                rf"\b(?i:from|between|de|entre)\s+{_YEAR}\s+(?i:to|and|à|et)\s+{_YEAR}",
                rf"\b{temporal}[\s-]+{_YEAR}",
                rf"\({_YEAR}\)",
            )
        )
    )


@dataclass(frozen=True)
class _Lexicon:
    """The compiled patterns of one language; built once, on first use."""

    lang: str
    qualifiers: dict[str, Qualifier]
    qualifier: re.Pattern[str]
    digits: re.Pattern[str]
    words: re.Pattern[str]
    vague: re.Pattern[str]
    vague_table: dict[str, tuple[float, float]]
    scale: re.Pattern[str]
    percent: re.Pattern[str]
    usd_after: re.Pattern[str]
    usd_before: re.Pattern[str]
    foreign: re.Pattern[str]
    range_lead: re.Pattern[str]
    connector: re.Pattern[str]
    date_like: re.Pattern[str]


def _build(lang: str) -> _Lexicon:
    french = lang == "fr"
    qualifiers = _FR_QUALIFIERS if french else _EN_QUALIFIERS
    words = _FR_WORDS if french else _EN_WORDS
    vague = _FR_VAGUE if french else _EN_VAGUE
    qualifier_words = _alternation(list(qualifiers)).replace("'", "['’]")
    if french:
        digits = r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
        joiner = r"(?:\s+et\s+|[\s-]+)"
    else:
        digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        joiner = r"(?:\s+and\s+|\s+|-)"
    word = rf"(?:{_alternation(words)})\b"
    scale = r"millions?|milliards?" if french else r"thousand|million|billion|trillion"
    return _Lexicon(
        lang=lang,
        qualifiers=qualifiers,
        qualifier=re.compile(rf"(?:^|(?<=\W))(?P<q>(?i:{qualifier_words}))\s*$"),
        digits=re.compile(digits),
        words=re.compile(rf"(?i:\b{word}(?:{joiner}{word})*)"),
        vague=re.compile(rf"\b(?i:{_alternation(list(vague))})\b"),
        vague_table=vague,
        scale=re.compile(rf"\s+(?i:{scale})\b"),
        percent=re.compile(r"\s?%|\s+(?i:per\s?cent|percent|pour\s?cent|pour\s+100)\b"),
        usd_after=re.compile(r"\s+(?i:(?:US\s+)?dollars?|USD|dollars?\s+américains)\b"),
        usd_before=re.compile(r"(?:\bUS\s?\$|(?<![A-Za-z])\$|\bUSD\s?)$"),
        foreign=re.compile(r"(?:[€£¥]|\b(?:HTG|EUR|GBP|CAD)\s?|[A-Za-z]\$)$"),
        range_lead=re.compile(r"\b(?i:between|from|entre|de)\s+$"),
        connector=re.compile(r"\s*[-–—]\s*|\s+(?i:to|and|à|et)\s+"),
        date_like=_date_like(lang),
    )


@lru_cache(maxsize=4)
def _lexicon(lang: str) -> _Lexicon:
    return _build("fr" if lang == "fr" else "en")


_GLUED_SCALE = re.compile(r"(?:bn|m)\b")
_TIME_AFTER = re.compile(r"\s*(?:(?i:a\.m\.|p\.m\.)|(?i:am|pm|hrs?|gmt|utc|heures?)\b|h\b|h\d|:\d)")
_FOREIGN_AFTER = re.compile(r"\s+(?i:euros?|gourdes?|HTG|EUR|pounds?\s+sterling)\b")
_REFERENCE_BEFORE = re.compile(rf"\b{_REFERENCE}\s*(?:\d+\s*(?:,|and|et|&)\s*)*$")
_PHONE_AFTER = re.compile(r"[\s.-]\d{4}")
_PHONE_BEFORE = re.compile(r"\d{3,}[\s.-]$")
_DIGIT = re.compile(r"\d")
_LONGEST_RUN = 16  # words; no figure needs more, and the cap keeps hostile runs linear
_SPACED_THOUSANDS = re.compile(r" \d{3}(?![\d,.])")
# "half a million", "a half million": never the whole million
_HALF_BEFORE = re.compile(r"\bhalf\s+an?\s+$|\ban?\s+half\s+$", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"(?<![^\W\d_])(?i:an?)\s+$")
_WORD = re.compile(r"[^\W\d_]+")
_PRONOUN_BEFORE = re.compile(r"\b(?i:no|each|every|any|the|this|that|which|some|a)\s+$")
_PRONOUN_AFTER = re.compile(r"\s+(?i:of|another)\b|['’]s\b")
_COMPOUND_AFTER = re.compile(r"-(?!(?i:strong)\b)[^\W\d_]")


def _decimal(text: str, french: bool) -> Decimal | None:
    cleaned = re.sub(r"[\s\u00a0\u202f\u2009]", "", text)
    cleaned = cleaned.replace(",", ".") if french else cleaned.replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


class _Finder:
    """One call's state: the text, its language and the spans no quantity may touch."""

    def __init__(self, text: str, lang: str, skip: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.lexicon = _lexicon(lang)
        self.french = self.lexicon.lang == "fr"
        self.taken = bytearray(len(text))
        dated = self.lexicon.date_like.finditer(text) if _DIGIT.search(text) else ()
        for start, end in [*skip, *(m.span() for m in dated)]:
            self.block(start, end)

    def block(self, start: int, end: int) -> None:
        start, end = max(0, start), min(len(self.text), end)
        if start < end:
            self.taken[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def figures(self) -> Iterator[_Figure]:
        yield from self.digit_figures()
        yield from self.word_figures()
        yield from self.vague_figures()

    def digit_figures(self) -> Iterator[_Figure]:
        text = self.text
        for found in self.lexicon.digits.finditer(text):
            start, end = found.span()
            if not self.plain_digits(start, end):
                continue
            number = _decimal(found.group(0), self.french)
            if number is None:
                continue
            if self.foreign_currency(start, end):
                continue
            glued = _GLUED_SCALE.match(text, end)
            if glued:
                if not self.lexicon.usd_before.search(text, 0, start):
                    continue
                factor = Decimal(1_000_000_000 if glued.group(0) == "bn" else 1_000_000)
                yield _Figure(start, glued.end(), float(number * factor))
                continue
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                continue
            scale = self.lexicon.scale.match(text, end)
            if scale:
                factor = Decimal(_SCALES[scale.group(0).strip().lower()])
                yield _Figure(start, scale.end(), float(number * factor))
            else:
                yield _Figure(start, end, float(number))

    def foreign_currency(self, start: int, end: int) -> bool:
        """An amount in another currency; its span is blocked so "million" alone is not read."""
        scale = self.lexicon.scale.match(self.text, end)
        end = scale.end() if scale else end
        if self.lexicon.usd_before.search(self.text, max(0, start - 5), start):
            return False
        before = self.lexicon.foreign.search(self.text, max(0, start - 5), start)
        if before is None and not _FOREIGN_AFTER.match(self.text, end):
            return False
        self.block(before.start() if before else start, end)
        return True

    def plain_digits(self, start: int, end: int) -> bool:
        """False for codes, times, references, phone numbers and digits glued to letters."""
        text, length = self.text, end - start
        return not (
            self.glued(start, end)
            or (text[start] == "0" and length > 1 and text[start + 1].isdigit())  # "0111" is a code
            or _TIME_AFTER.match(text, end)
            or _COMPOUND_AFTER.match(text, end)
            # "5 000" in English: neither "5" nor "000" is the figure
            or (not self.french and length <= 3 and _SPACED_THOUSANDS.match(text, end))
            or (length >= 3 and _PHONE_AFTER.match(text, end))
            or (length >= 4 and _PHONE_BEFORE.search(text, max(0, start - 12), start))
            or _REFERENCE_BEFORE.search(text, max(0, start - 60), start)
        )

    def glued(self, start: int, end: int) -> bool:
        """Digits that are part of a longer token: "G9", "COVID-19", "1.2.3", "10/12", "10:30"."""
        text = self.text
        before = text[start - 1] if start else " "
        before2 = text[start - 2] if start > 1 else " "
        after = text[end : end + 2]
        return (
            before.isalnum()
            or before in "_+/:#."
            or (before == "," and before2.isdigit())
            or (before == "-" and before2.isalpha())
            or after[:1] in ("/", ":")
            or (after[:1] in ".," and after[1:2].isdigit())
        )

    def word_figures(self) -> Iterator[_Figure]:
        for found in self.lexicon.words.finditer(self.text):
            yield from self.read_words(found.start(), found.group(0))

    def read_words(self, start: int, run: str) -> Iterator[_Figure]:
        """The longest readable pieces, left to right: "two and three" gives two figures."""
        tokens = [found.span() for found in _WORD.finditer(run)]
        first = 0
        while first < len(tokens):
            for last in range(min(len(tokens), first + _LONGEST_RUN), first, -1):
                piece = run[tokens[first][0] : tokens[last - 1][1]]
                value = self.word_value(piece)
                if value is not None:
                    figure = self.word_figure(start + tokens[first][0], piece, value)
                    if figure is not None:
                        yield figure
                    first = last
                    break
            else:
                first += 1

    def word_value(self, piece: str) -> float | None:
        words = piece.lower().split()
        if words[-1] == "dozen":
            if len(words) == 1:
                return 12.0
            prefix = self.word_value(" ".join(words[:-1]))
            return None if prefix is None else prefix * 12
        try:
            return float(text2num(" ".join(words), self.lexicon.lang))
        except ValueError:  # text2num's answer to "and two", "five six" and the like
            return None

    def word_figure(self, start: int, piece: str, value: float) -> _Figure | None:
        text, end = self.text, start + len(piece)
        lower = piece.lower()
        if lower in ("un", "une"):
            return None
        if lower == "one" and (
            _PRONOUN_BEFORE.search(text, max(0, start - 12), start) or _PRONOUN_AFTER.match(text, end)
        ):
            return None
        if _COMPOUND_AFTER.match(text, end) or (start and text[start - 1] == "-"):
            return None
        half = _HALF_BEFORE.search(text, max(0, start - 10), start)
        if half and lower.split()[0] in ("hundred", "thousand", "million", "billion", "dozen"):
            return _Figure(half.start(), end, value / 2)
        article = _ARTICLE_BEFORE.search(text, max(0, start - 4), start)
        if article and lower.split()[0] in ("hundred", "thousand", "million", "billion", "dozen"):
            start = article.start()
        return _Figure(start, end, value)

    def vague_figures(self) -> Iterator[_Figure]:
        for found in self.lexicon.vague.finditer(self.text):
            low, high = map(float, self.lexicon.vague_table[" ".join(found.group(0).lower().split())])
            if low == high:
                yield _Figure(found.start(), found.end(), low, exact=False)
            else:
                yield _Figure(found.start(), found.end(), low, low, high, exact=False)

    def candidates(self) -> Iterator[Quantity]:
        figures = sorted(
            (f for f in self.figures() if self.free(f.start, f.end)), key=lambda f: (f.start, f.start - f.end)
        )
        for index, figure in enumerate(figures):
            single = self.quantity(figure, None)
            if single is not None:
                yield single
            for later in figures[index + 1 : index + 3]:
                ranged = self.quantity(figure, later)
                if ranged is not None:
                    yield ranged

    def unit_after(self, end: int) -> tuple[Unit | None, int]:
        """The unit words after a figure and where they end; -1 for another currency."""
        options: tuple[tuple[Unit, re.Pattern[str]], ...] = (
            ("percent", self.lexicon.percent),
            ("usd", self.lexicon.usd_after),
        )
        for unit, pattern in options:
            found = pattern.match(self.text, end)
            if found:
                return unit, found.end()
        if _FOREIGN_AFTER.match(self.text, end):
            return None, -1
        return None, end

    def quantity(self, first: _Figure, last: _Figure | None) -> Quantity | None:
        text = self.text
        low, high = first.low, first.high
        value = first.value
        lead_start = first.start
        if last is not None:
            joined = self.joined(first, last)
            if joined is None:
                return None
            lead_start, value, low, high = joined
        figure_end = (last or first).end
        before_unit, start = self.currency_before(lead_start)
        if before_unit is None and start < 0:
            return None
        unit, end = self.unit_after(figure_end)
        if end < 0:
            return None
        unit = unit or before_unit or "count"
        qualifier: Qualifier | None = None
        found = self.lexicon.qualifier.search(text, max(0, start - 30), start)
        if found and self.free(found.start("q"), start):
            qualifier = self.lexicon.qualifiers[_qualifier_key(found.group("q"))]
            start = found.start("q")
        if first.low is None and not first.exact:
            qualifier = qualifier or "approx"
        if not self.free(start, end):
            return None
        return Quantity(start, end, text[start:end], first.start, figure_end, value, low, high, qualifier, unit)

    def currency_before(self, start: int) -> tuple[Unit | None, int]:
        window = max(0, start - 5)
        found = self.lexicon.usd_before.search(self.text, window, start)
        if found:
            return "usd", found.start()
        if self.lexicon.foreign.search(self.text, window, start):
            return None, -1
        return None, start

    def joined(self, first: _Figure, last: _Figure) -> tuple[int, float, float, float] | None:
        """A range "10-15", "10 to 15", "between 10 and 15": its start, value and bounds."""
        if not (first.exact and last.exact):
            return None
        connector = self.lexicon.connector.fullmatch(self.text, first.end, last.start)
        if connector is None:
            return None
        lead = self.lexicon.range_lead.search(self.text, max(0, first.start - 10), first.start)
        word = connector.group(0).strip().lower()
        if word in ("and", "et") and lead is None:
            return None
        low, high = first.value, last.value
        if high >= 1000 and low < 1000 and self.lexicon.scale.match(self.text, first.end) is None:
            scale = re.search(r"\s+(\S+)$", self.text[last.start : last.end])
            if scale and scale.group(1).lower() in _SCALES:
                low *= _SCALES[scale.group(1).lower()]
        if low >= high:
            return None
        return (lead.start() if lead else first.start), low, low, high


def _qualifier_key(words: str) -> str:
    return " ".join(words.lower().replace("’", "'").split())


def find_quantities(text: str, lang: str = "en", skip: Sequence[tuple[int, int]] = ()) -> list[Quantity]:
    """Every figure in ``text`` outside ``skip``, longest first where spans overlap, in text order.

    ``skip`` holds spans already claimed (dates, names such as "G9" or "400 Mawozo"); ``lang``
    is "en" or "fr", and any other language is read with the English words.
    """
    chosen: list[Quantity] = []
    taken = bytearray(len(text))
    for quantity in sorted(_Finder(text, lang, skip).candidates(), key=lambda q: (q.start - q.end, q.start)):
        if not any(taken[quantity.start : quantity.end]):
            taken[quantity.start : quantity.end] = b"\x01" * (quantity.end - quantity.start)
            chosen.append(quantity)
    return sorted(chosen, key=lambda q: q.start)
