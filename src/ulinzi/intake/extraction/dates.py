"""Dates and periods in report text, resolved against the publication date (issue #5).

Spans come from our own patterns, because ``dateparser.search_dates`` returns no offsets and
grabs neighbouring words ("February 2024, a"). Our patterns also resolve almost every span they
find, which keeps the pipeline fast; dateparser only normalises "N days ago" and "il y a N
jours" forms, whose number words it already knows. Neither layer ever sees the wall clock: a
mention that needs a reference date ("yesterday", "in June", "January 19") yields nothing when
the publication date is unknown, so results never drift from day to day.

Choices a reviewer should know about:

- "last week" is the previous calendar week, Monday to Sunday, as a range: an honest period is
  better than dateparser's single day seven days back, which looks more precise than it is.
- "early/mid/late March" and "mid-2023" keep the month or year as value and precision (what a
  gold annotation records), and narrow ``first_day``/``last_day`` to the third of it.
- "since X", "from X to Y" and "between X and Y" spans include their leading word, which
  carries the meaning of the period; "on", "in" and "le" are left out.
- Decades ("the 1990s"), parenthesised years ("Resolution 2699 (2023)") and bare four-digit
  numbers give nothing: they are background or references, never the date of an event.
- Day-first is assumed for numeric dates ("19/01/2025"), as in Haiti and most mission reporting.
- English month names count only when capitalised ("gangs may attack", "protesters march"), and
  a bare month or year needs a preposition before it ("in June", "during 2021").
- Future tense: "will", "is expected to", "is due to", "scheduled", "next"... among the 60
  characters before a mention, in its sentence, choose the next occurrence rather than the last
  one, and such a mention is never flagged as after publication.
- Languages other than "en" and "fr" are read with the English patterns.

Speed, measured on the 2-vCPU development machine (AMD EPYC, one core, warm caches) over a loop
of 1,000 sentences cycled from the seed article plus three harder ones: 5,700-8,200 sentences
per second, that is 3,400-5,000 mentions per second (0.12-0.18 ms a sentence). Cheap first
tests in the patterns (a digit or a capital must start an English date) and substring hints that
skip whole patterns gave the last 3x; keep them when adding a form.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "month", "year", "range"]
YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass(frozen=True)
class DateMention:
    """One date or period: the span that says it and the days it covers."""

    start: int
    end: int
    text: str
    value: str
    precision: Precision
    period: tuple[str, str] | None
    first_day: date
    last_day: date
    after_publication: bool


@dataclass(frozen=True)
class _Partial:
    """What a span states before resolution; missing parts come from the publication date."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class _Resolved:
    value: str
    precision: Precision
    first: date
    last: date


_EN_FULL = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december")  # fmt: skip
_EN_SHORT = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
             "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
_FR_FULL = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
            "octobre", "novembre", "décembre")  # fmt: skip
# French abbreviations need their dot: "sept" alone is the number seven.
_FR_SHORT = {"fevrier": 2, "aout": 8, "decembre": 12, "janv.": 1, "févr.": 2, "sept.": 9, "oct.": 10,
             "nov.": 11, "déc.": 12}  # fmt: skip
_EN_MONTHS = {name: number for number, name in enumerate(_EN_FULL, 1)} | _EN_SHORT
_FR_MONTHS = {name: number for number, name in enumerate(_FR_FULL, 1)} | _FR_SHORT
MONTHS: dict[str, dict[str, int]] = {"en": _EN_MONTHS, "fr": _FR_MONTHS}
"""Month words by language, shared with the number layer so day numbers are never counts."""
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FR_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _alternation(words: list[str]) -> str:
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


@dataclass(frozen=True)
class _Lexicon:
    """The compiled patterns of one language; built once, on first use."""

    months: dict[str, int]
    weekdays: tuple[str, ...]
    atom: re.Pattern[str]
    forms: tuple[re.Pattern[str], ...]
    full: re.Pattern[str]
    ranged: re.Pattern[str]
    since: re.Pattern[str]
    part: re.Pattern[str]
    context: re.Pattern[str]
    relative: re.Pattern[str]
    weekday: re.Pattern[str]
    ago: re.Pattern[str]
    # Substrings that every match of a pattern holds: most sentences skip those patterns entirely.
    hints: dict[str, tuple[str, ...]]
    nth: re.Pattern[str] | None
    future: re.Pattern[str]


_EN_HINTS = {
    "relative": ("yesterday", "today", "tomorrow", "week", "month", "year"),
    "weekday": ("day",),
    "ago": ("ago",),
}
_FR_HINTS = {
    "relative": ("hier", "aujourd", "demain", "semaine", "mois", "an"),
    "weekday": ("di",),
    "ago": ("il y a",),
}
_YEAR = r"(?<!\d)(?:19\d\d|20\d\d|2100)(?!\d|,\d)"
_DAY = r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?!\d)"
_COUNT_NOUN = (
    r"(?!\s+(?i:people|persons|men|women|children|officers|troops|soldiers|police|personnel|"
    r"members|families|households|cases|deaths|victims|residents|individuals|personnes|"
    r"policiers|soldats|habitants|familles|victimes|morts))"
)


def _month_words(names: list[str], *, english: bool, dot: bool) -> str:
    if not english:
        return f"(?i:{_alternation(names)})"
    # English months are capitalised, which keeps "gangs may attack" and "protesters march" out.
    cased = [name.capitalize() for name in names] + [name.upper() for name in names]
    return f"(?:{_alternation(cased)})" + (r"\.?" if dot else "")


def _atom_forms(month: str, bare_month: str, english: bool) -> tuple[str, ...]:
    day_suffix = r"(?:st|nd|rd|th)?" if english else r"(?:er)?"
    day = _DAY + day_suffix
    return (
        rf"(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>[0-2]\d|3[01])(?!\d)",
        rf"(?P<nd>{_DAY})[/.](?P<nm>0?[1-9]|1[0-2])[/.](?P<ny>{_YEAR})",
        rf"(?P<dd>{day})(?:\s+of)?\s+(?P<dm>{month})(?:,?\s+(?P<dy>{_YEAR}))?",
        rf"(?P<my_m>{month}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})",
        rf"(?P<md_m>{month})\s+(?P<md_d>{day})(?!,\d{{3}})(?:,?\s+(?P<md_y>{_YEAR}))?",
        rf"(?P<bm>{bare_month})\b",
        rf"(?P<by>{_YEAR})",
        rf"(?P<bd>{day})",
    )


def _build(lang: str) -> _Lexicon:
    english = lang != "fr"
    months = _EN_MONTHS if english else _FR_MONTHS
    weekdays = _EN_WEEKDAYS if english else _FR_WEEKDAYS
    full_names = list(_EN_FULL if english else _FR_FULL)
    month = _month_words(list(months), english=english, dot=True)
    bare_month = _month_words(
        full_names + ([] if english else ["aout", "fevrier", "decembre"]), english=english, dot=False
    )
    forms = _atom_forms(month, bare_month, english)
    plain = [re.sub(r"\(\?P<\w+>", "(?:", form) for form in forms]
    atom = "(?:" + "|".join(plain) + ")"
    full = "(?:" + "|".join(plain[:5]) + ")"
    month_or_year = f"(?:{plain[3]}|{plain[5]}|{plain[6]})"
    # A cheap first test at each position: English atoms start with a digit or a capital.
    first = (r"\b(?=[\dA-Z])", r"\b(?=[\dA-ZfbFB])", r"(?=[a-zA-Z]+\s+[\dA-Z])") if english else (r"\b",) * 3
    if english:
        range_words = (r"(?i:from|between)", r"(?i:to|until|till|through|and)")
        since = r"(?i:since)\s+(?:(?i:the)\s+)?"
        part = r"(?i:early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)(?:\s+|-)"
        context = (
            r"(?i:in|during|by|until|till|before|after|of|last|this|through|throughout|around)",
            r"(?i:in|during|until|till|before|after|through|throughout)",
        )
        relative = (
            r"(?i:yesterday|today|tomorrow|(?:last|next|this|the\s+past)\s+(?:week|month|year)|"
            r"earlier\s+this\s+(?:week|month|year))"
        )
        weekday = rf"(?:(?i:last|next|this)\s+)?(?:{_alternation([w.capitalize() for w in weekdays])})\b"
        ago = r"(?i:(?:\d{1,3}|an?|[a-z]+(?:-[a-z]+)?)\s+(?:days?|weeks?|months?|years?)\s+ago)\b"
        future = (
            r"\b(?i:will|shall|next|scheduled|upcoming|planned|(?:is|are)\s+(?:due|set)\s+to|"
            r"(?:expected|plans?)\s+to)\b"
        )
        nth = re.compile(
            rf"\b(?i:the)\s+(?P<bd>{_DAY})(?:st|nd|rd|th)\b"
            r"(?=\s*(?:[,.;:)]|$|\s(?i:and|when|at|in|on|to|until|as|after|before|of\s+this\s+month)\b))"
        )
    else:
        range_words = (r"(?i:du|de|entre(?:\s+le)?)", r"(?i:au|à|et(?:\s+le)?)")
        since = r"(?i:depuis)\s+(?:(?i:le)\s+)?"
        part = r"(?i:début|mi|fin)(?:\s+|-)"
        context = (r"(?i:en|pendant|avant|après|jusqu['’]en|dès|d['’]ici)",) * 2
        relative = (
            r"(?i:avant-hier|hier|aujourd['’]hui|demain|la\s+semaine\s+(?:dernière|prochaine)|"
            r"le\s+mois\s+(?:dernier|prochain)|l['’](?:année|an)\s+(?:dernière|dernier|prochaine|prochain))"
        )
        weekday = rf"(?i:{_alternation(list(weekdays))})(?:\s+(?i:dernier|prochain))?\b"
        ago = r"(?i:il\s+y\s+a\s+(?:\d{1,3}|[a-zé]+(?:-[a-zé]+)?)\s+(?:jours?|semaines?|mois|ans?|années?))\b"
        future = r"\b(?i:va|vont|devra|devront|doit|doivent|prévue?s?|prochaine?|sera|seront)\b"
        nth = None
    return _Lexicon(
        months=months,
        weekdays=weekdays,
        atom=re.compile(atom),
        forms=tuple(re.compile(form) for form in forms),
        full=re.compile(rf"{first[0]}{full}"),
        ranged=re.compile(
            rf"{first[1]}(?:(?P<lead>\b{range_words[0]})\s+)?(?P<a>{atom})"
            rf"\s*(?:(?P<sep>\b{range_words[1]})\s+|[-–—]\s*)(?P<b>{atom})"
        ),
        since=re.compile(rf"{since}(?P<a>{atom})"),
        part=re.compile(rf"\b(?P<part>{part})(?P<a>{month_or_year})"),
        context=re.compile(
            rf"\b{first[2]}(?:{context[0]}\s+(?P<a>{plain[5]})|{context[1]}\s+(?P<y>{plain[6]}){_COUNT_NOUN})"
        ),
        relative=re.compile(rf"\b{relative}\b"),
        weekday=re.compile(rf"\b{weekday}"),
        ago=re.compile(rf"\b{ago}"),
        hints=_EN_HINTS if english else _FR_HINTS,
        nth=nth,
        future=re.compile(future),
    )


@lru_cache(maxsize=4)
def _lexicon(lang: str) -> _Lexicon:
    return _build("fr" if lang == "fr" else "en")


def _month_number(word: str, lexicon: _Lexicon) -> int | None:
    word = word.lower()
    return lexicon.months.get(word, lexicon.months.get(word.rstrip(".")))


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _partial(text: str, lexicon: _Lexicon) -> _Partial | None:
    """Read one atom ("19 January", "February 2024", "June", "2021", "15") into its parts."""
    for form in lexicon.forms:
        found = form.fullmatch(text)
        if not found:
            continue
        groups = {key: value for key, value in found.groupdict().items() if value is not None}
        year = next((_int(groups[k]) for k in ("iy", "ny", "dy", "my_y", "md_y", "by") if k in groups), None)
        day = next((_int(groups[k]) for k in ("id", "nd", "dd", "md_d", "bd") if k in groups), None)
        month: int | None = None
        for key in ("dm", "my_m", "md_m", "bm"):
            if key in groups:
                month = _month_number(groups[key], lexicon)
        for key in ("im", "nm"):
            if key in groups:
                month = int(groups[key])
        return _Partial(year, month, day)
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _complete(partial: _Partial) -> _Resolved | None:
    """Resolve a partial that already names its year (or is a bare year)."""
    year, month, day = partial.year, partial.month, partial.day
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        return None
    if month is None:
        return None if day is not None else _Resolved(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31))
    if day is None:
        return _Resolved(f"{year:04d}-{month:02d}", "month", date(year, month, 1), _month_end(year, month))
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    return _Resolved(when.isoformat(), "day", when, when)


def _with_year(partial: _Partial, published: date | None, future: bool) -> _Partial | None:
    """Give a year-less partial the year that puts it nearest the publication, on the right side."""
    if partial.year is not None:
        return partial
    if published is None:
        return None
    month, day = partial.month, partial.day
    if month is None:
        return None if day is None else _nth_day(day, published, future)
    years = (published.year - 1, published.year, published.year + 1)
    if day is None:
        this_month = published.replace(day=1)
        ok = [y for y in years if (date(y, month, 1) >= this_month if future else date(y, month, 1) <= published)]
    else:
        ok = [y for y in years if _valid(y, month, day) and _on_side(date(y, month, day), published, future)]
    if not ok:
        return None
    return _Partial(min(ok) if future else max(ok), month, day)


def _on_side(when: date, published: date, future: bool) -> bool:
    return when >= published if future else when <= published


def _valid(year: int, month: int, day: int) -> bool:
    return day <= calendar.monthrange(year, month)[1]


def _nth_day(day: int, published: date, future: bool) -> _Partial | None:
    """ "The 19th": this month's, or the nearest month on the side the tense points to."""
    year, month = published.year, published.month
    step = 1 if future else -1
    for _ in range(3):
        if _valid(year, month, day) and _on_side(date(year, month, day), published, future):
            return _Partial(year, month, day)
        month += step
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
    return None


def _resolve(partial: _Partial, published: date | None, future: bool) -> _Resolved | None:
    full = _with_year(partial, published, future)
    return _complete(full) if full else None


def _borrow(early: _Partial, late: _Resolved) -> _Partial:
    """The first end of a range takes the month and year its second end states."""
    year, month = early.year, early.month
    if year is None:
        year = late.first.year
        if early.month is not None and early.month > late.first.month:
            year -= 1
    if month is None and early.day is not None:
        month = late.first.month
    return _Partial(year, month, early.day)


def _parts(fraction: str) -> str:
    word = fraction.lower()
    if word.startswith(("early", "the start", "the beginning", "début")):
        return "early"
    if word.startswith(("mid", "the middle", "mi")):
        return "mid"
    return "late"


def _narrow(resolved: _Resolved, part: str) -> tuple[date, date]:
    """The third of a month (days 1-10, 11-20, 21-end) or of a year (four months each)."""
    first = resolved.first
    index = ("early", "mid", "late").index(part)
    if resolved.precision == "month":
        start = first.replace(day=1 + 10 * index)
        return start, (resolved.last if index == 2 else start + timedelta(days=9))
    start_month = 1 + 4 * index
    return date(first.year, start_month, 1), _month_end(first.year, start_month + 3)


class _Finder:
    """One call's state: the text, its publication date and its language's patterns."""

    def __init__(self, text: str, published: date | None, lang: str) -> None:
        self.text = text
        self.published = published
        self.lang = "fr" if lang == "fr" else "en"
        self.lexicon = _lexicon(self.lang)
        self.lowered = text.lower()

    def future(self, start: int) -> bool:
        """Words just before the span, in its sentence, that point to the future."""
        text = self.text
        floor = max(0, start - 60)
        sentence = max(text.rfind(mark, floor, start) for mark in ".!?\n") + 1
        window = text[max(sentence, floor) : start]
        return self.lexicon.future.search(window) is not None

    def mention(self, start: int, end: int, resolved: _Resolved, future: bool) -> DateMention:
        flagged = not future and self.published is not None and resolved.first > self.published
        return DateMention(
            start,
            end,
            self.text[start:end],
            resolved.value,
            resolved.precision,
            None,
            resolved.first,
            resolved.last,
            flagged,
        )

    def period(self, start: int, end: int, first: _Resolved, last: _Resolved, future: bool) -> DateMention | None:
        if first.first > last.last:
            return None
        flagged = not future and self.published is not None and first.first > self.published
        return DateMention(
            start,
            end,
            self.text[start:end],
            first.value,
            "range",
            (first.value, last.value),
            first.first,
            last.last,
            flagged,
        )

    def hinted(self, name: str) -> re.Pattern[str] | None:
        pattern: re.Pattern[str] = getattr(self.lexicon, name)
        return pattern if any(hint in self.lowered for hint in self.lexicon.hints[name]) else None

    def atom(self, found: re.Match[str], group: str = "a") -> _Partial | None:
        return _partial(found.group(group), self.lexicon)

    def candidates(self) -> Iterator[DateMention]:
        handlers: tuple[tuple[re.Pattern[str] | None, Callable[[re.Match[str]], DateMention | None]], ...] = (
            (self.lexicon.full, self.on_full),
            (self.lexicon.ranged, self.on_range),
            (self.lexicon.since, self.on_since),
            (self.lexicon.part, self.on_part),
            (self.lexicon.context, self.on_context),
            (self.hinted("relative"), self.on_relative),
            (self.hinted("weekday"), self.on_weekday),
            (self.hinted("ago"), self.on_ago),
            (self.lexicon.nth, self.on_nth),
        )
        for pattern, handler in handlers:
            if pattern is None:
                continue
            for found in pattern.finditer(self.text):
                mention = handler(found)
                if mention is not None:
                    yield mention

    def on_full(self, found: re.Match[str]) -> DateMention | None:
        partial = _partial(found.group(0), self.lexicon)
        if partial is None:
            return None
        future = self.future(found.start())
        resolved = _resolve(partial, self.published, future)
        return self.mention(found.start(), found.end(), resolved, future) if resolved else None

    def on_context(self, found: re.Match[str]) -> DateMention | None:
        group = "a" if found.group("a") else "y"
        partial = self.atom(found, group)
        if partial is None:
            return None
        future = self.future(found.start(group))
        resolved = _resolve(partial, self.published, future)
        return self.mention(found.start(group), found.end(group), resolved, future) if resolved else None

    def range_ends(self, found: re.Match[str]) -> tuple[_Partial, _Partial] | None:
        """Both ends of "from March to May 2024", "10-15 January", "January 10-15", or None."""
        early, late = self.atom(found, "a"), self.atom(found, "b")
        if early is None or late is None:
            return None
        if late.month is None and late.year is None and early.month is not None and early.day is not None:
            late = _Partial(early.year, early.month, late.day)  # "January 10-15"
        sep = (found.group("sep") or "").lower()
        if late.month is None and late.year is None:
            return None
        if sep.startswith(("and", "et")) and not found.group("lead"):
            return None  # "on 10 and 15 January" names two days, not a period
        if early.year is None and early.month is None and late.day is None:
            return None
        return early, late

    def on_range(self, found: re.Match[str]) -> DateMention | None:
        ends = self.range_ends(found)
        if ends is None:
            return None
        future = self.future(found.start())
        last = _resolve(ends[1], self.published, future)
        first = _complete(_borrow(ends[0], last)) if last else None
        if first is None or last is None:
            return None
        return self.period(found.start(), found.end(), first, last, future)

    def on_since(self, found: re.Match[str]) -> DateMention | None:
        partial = self.atom(found)
        if partial is None or self.published is None or (partial.month is None and partial.year is None):
            return None
        first = _resolve(partial, self.published, future=False)
        if first is None:
            return None
        today = _Resolved(self.published.isoformat(), "day", self.published, self.published)
        return self.period(found.start(), found.end(), first, today, future=False)

    def on_part(self, found: re.Match[str]) -> DateMention | None:
        partial = self.atom(found)
        if partial is None or partial.day is not None:
            return None
        future = self.future(found.start())
        resolved = _resolve(partial, self.published, future)
        if resolved is None:
            return None
        first, last = _narrow(resolved, _parts(found.group("part")))
        narrowed = _Resolved(resolved.value, resolved.precision, first, last)
        return self.mention(found.start(), found.end(), narrowed, future)

    def on_relative(self, found: re.Match[str]) -> DateMention | None:
        if self.published is None:
            return None
        phrase = " ".join(found.group(0).lower().replace("’", "'").split())
        resolved = _relative(phrase, self.published)
        if resolved is None:
            return None
        start, end = found.start(), found.end()
        if isinstance(resolved, tuple):
            return self.period(start, end, resolved[0], resolved[1], future=True)
        return self.mention(start, end, resolved, future=True)

    def on_weekday(self, found: re.Match[str]) -> DateMention | None:
        if self.published is None:
            return None
        words = found.group(0).lower().split()
        name = next(word for word in words if word in self.lexicon.weekdays)
        target = self.lexicon.weekdays.index(name)
        ahead = any(word in ("next", "prochain") for word in words) or self.future(found.start())
        strict = any(word in ("last", "next", "dernier", "prochain") for word in words)
        offset = (target - self.published.weekday()) % 7 if ahead else -((self.published.weekday() - target) % 7)
        if strict and offset == 0:
            offset = 7 if ahead else -7
        when = self.published + timedelta(days=offset)
        return self.mention(found.start(), found.end(), _Resolved(when.isoformat(), "day", when, when), ahead)

    def on_ago(self, found: re.Match[str]) -> DateMention | None:
        if self.published is None:
            return None
        resolved = _dateparser_relative(found.group(0), self.published, self.lang)
        return self.mention(found.start(), found.end(), resolved, future=False) if resolved else None

    def on_nth(self, found: re.Match[str]) -> DateMention | None:
        future = self.future(found.start())
        resolved = _resolve(_Partial(day=int(found.group("bd"))), self.published, future)
        return self.mention(found.start(), found.end(), resolved, future) if resolved else None


def _month_of(day: date) -> _Resolved:
    return _Resolved(day.strftime("%Y-%m"), "month", day.replace(day=1), _month_end(day.year, day.month))


def _year_of(year: int) -> _Resolved:
    return _Resolved(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31))


def _day(when: date) -> _Resolved:
    return _Resolved(when.isoformat(), "day", when, when)


def _relative(phrase: str, published: date) -> _Resolved | tuple[_Resolved, _Resolved] | None:
    """The fixed relative phrases, English and French, against the publication date."""
    monday = published - timedelta(days=published.weekday())
    last_month = published.replace(day=1) - timedelta(days=1)
    next_month = _month_end(published.year, published.month) + timedelta(days=1)
    table: dict[str, _Resolved | tuple[_Resolved, _Resolved]] = {
        "yesterday": _day(published - timedelta(days=1)),
        "today": _day(published),
        "tomorrow": _day(published + timedelta(days=1)),
        "last week": (_day(monday - timedelta(days=7)), _day(monday - timedelta(days=1))),
        "next week": (_day(monday + timedelta(days=7)), _day(monday + timedelta(days=13))),
        "this week": (_day(monday), _day(monday + timedelta(days=6))),
        "the past week": (_day(published - timedelta(days=7)), _day(published)),
        "the past month": (_day(published - timedelta(days=30)), _day(published)),
        "the past year": (_day(published - timedelta(days=365)), _day(published)),
        "last month": _month_of(last_month),
        "this month": _month_of(published),
        "next month": _month_of(next_month),
        "last year": _year_of(published.year - 1),
        "this year": _year_of(published.year),
        "next year": _year_of(published.year + 1),
        "earlier this week": (_day(monday), _day(published)),
        "earlier this month": (_month_of(published), _day(published)),
        "earlier this year": (_year_of(published.year), _day(published)),
    }
    french = {
        "hier": "yesterday",
        "aujourd'hui": "today",
        "demain": "tomorrow",
        "la semaine dernière": "last week",
        "la semaine prochaine": "next week",
        "le mois dernier": "last month",
        "le mois prochain": "next month",
    }
    if phrase == "avant-hier":
        return _day(published - timedelta(days=2))
    if phrase.startswith("l'"):
        phrase = "last year" if "dern" in phrase else "next year"
    return table.get(french.get(phrase, phrase))


@lru_cache(maxsize=16)
def _dateparser(lang: str, published: date) -> _DateParser:
    """One parser per language and publication date; building one costs far more than a parse."""
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]  # noqa: PLC0415  # untyped; its 0.1 s import is paid only by texts that need it

    settings = {
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
    }
    parser: _DateParser = DateDataParser(languages=[lang], settings=settings)
    return parser


class _DateParser:
    """The part of dateparser's DateDataParser we use, for the type checker."""

    def get_date_data(self, text: str) -> _DateData:
        raise NotImplementedError


class _DateData:
    date_obj: datetime | None
    period: str | None


def _dateparser_relative(phrase: str, published: date, lang: str) -> _Resolved | None:
    """ "Two days ago", "il y a trois semaines": dateparser knows the number words of both."""
    data = _dateparser(lang, published).get_date_data(phrase)
    if data.date_obj is None:
        return None
    when = data.date_obj.date()
    if not date(YEAR_MIN, 1, 1) <= when <= published:
        return None
    if data.period == "month":
        return _month_of(when)
    if data.period == "year":
        return _year_of(when.year)
    return _day(when)


def find_dates(text: str, published: date | None, lang: str = "en") -> list[DateMention]:
    """Every date or period in ``text``, longest first where spans overlap, in text order.

    ``published`` is the reference for relative and year-less dates; without it they give
    nothing. ``lang`` is "en" or "fr"; any other language is read with the English patterns.
    """
    chosen: list[DateMention] = []
    taken = bytearray(len(text))
    for mention in sorted(_Finder(text, published, lang).candidates(), key=lambda m: (m.start - m.end, m.start)):
        if not any(taken[mention.start : mention.end]):
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)
