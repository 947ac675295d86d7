"""What every rule needs: the place, date and actors a sentence gives a record, the evidence
spans, and the small tests (is this figure a duration, a subset, a total?). Framework-free.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypedDict

from ulinzi.intake.extraction import cues
from ulinzi.intake.extraction.cues import Cue
from ulinzi.intake.extraction.dates import DateMention
from ulinzi.intake.extraction.gazetteer import ActorFact, CountryFact, Mention, PlaceFact
from ulinzi.intake.extraction.numbers import Quantity
from ulinzi.intake.extraction.places_unknown import UnknownPlace, unknown_place
from ulinzi.intake.extraction.records import DatePrecision, Evidence, Location, Period, Record

if TYPE_CHECKING:
    from ulinzi.intake.extraction.pipeline import Context, Sentence

Span = Cue | Mention | Quantity | DateMention | UnknownPlace
Place = tuple[Mention | UnknownPlace | None, PlaceFact | CountryFact | UnknownPlace]
NEAR = 100  # characters: how far a figure may sit from the word it counts
WEEK_DAYS = 8  # a period longer than this is a total, never one incident
COUNT_METRICS = {"killed": "fatalities", "injured": "injured", "kidnapped": "kidnapped"}
HARM_METRICS = {"killed", "injured", "kidnapped", "sexual_violence_victims", "territory_controlled_pct"}
ARMED_KINDS = {"gang", "coalition", "generic", "state_force", "movement"}


def inside_name(sentence: Sentence, cue: Cue) -> bool:
    return any(m.start <= cue.start and cue.end <= m.end for m in sentence.mentions)


def metric_near(text: str, sentence: Sentence, quantity: Quantity) -> tuple[str, Cue] | None:
    """The metric whose cue sits closest to the figure, in the same clause."""
    best: tuple[int, str, Cue] | None = None
    low = max(sentence.start, quantity.start - NEAR)
    high = min(sentence.end, quantity.end + NEAR)
    for metric, pattern in cues.METRICS:
        for cue in cues.find(pattern, text, low, high):
            between = text[min(cue.end, quantity.end) : max(cue.start, quantity.start)]
            if ";" in between or re.search(r"\b(?:and|while|but|after|before)\b.*\d", between):
                continue
            if any(
                q is not quantity
                and min(cue.end, quantity.end) <= q.start < max(cue.start, quantity.start)
                and q.unit == quantity.unit
                for q in sentence.quantities
            ):
                continue
            distance = cue.start - quantity.end if cue.start >= quantity.end else quantity.start - cue.end
            if best is None or distance < best[0]:
                best = (distance, metric, cue)
    return (best[1], best[2]) if best else None


def previous_claim(context: Context) -> Record | None:
    return next((r for r in reversed(context.records) if r.kind == "claim"), None)


def actors(sentence: Sentence, text: str = "", *, reporters: bool = False) -> list[Mention]:
    """Who took part: named actors, or one unnamed group ("gangs") when none is named. Who only
    reports ("police said") is left out unless ``reporters``: a group claiming its own control is
    both."""
    found = [
        m
        for m in sentence.mentions
        if isinstance(m.fact, ActorFact)
        and m.fact.kind != "agency"
        and not (
            m.text.islower() and m.fact.kind == "state_force" and cues.FOREIGN_POLICE.search(text[: m.start][-30:])
        )
        and (reporters or not (text and _is_source_of_report(text, m)))
    ]
    named = [m for m in found if isinstance(m.fact, ActorFact) and m.fact.kind != "generic"]
    armed = [m for m in named if isinstance(m.fact, ActorFact) and m.fact.kind in {"gang", "coalition"}]
    return named if armed else named + [m for m in found if m not in named][:1]


def _is_source_of_report(text: str, mention: Mention) -> bool:
    """ "police said", "according to the PNH": who reports the event, not who took part."""
    return bool(cues.SAYS_AFTER.match(text, mention.end) or cues.ACCORDING_BEFORE.search(text[: mention.start][-25:]))


def actor_names(actors: Iterable[Mention]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(mention.fact.name for mention in actors))


def within(sentence: Sentence, start: int, end: int) -> Sentence:
    """The part of a sentence between two offsets, with only what lies inside it."""
    return replace(
        sentence,
        start=start,
        end=end,
        mentions=tuple(m for m in sentence.mentions if start <= m.start and m.end <= end),
        dates=tuple(d for d in sentence.dates if start <= d.start and d.end <= end),
        quantities=tuple(q for q in sentence.quantities if start <= q.start and q.end <= end),
    )


def place_mentions(sentence: Sentence) -> list[Mention]:
    return [m for m in sentence.mentions if isinstance(m.fact, PlaceFact)]


def location_of(
    context: Context,
    sentence: Sentence,
    exclude: Mention | None = None,
    anchor: Cue | None = None,
    *,
    known_only: bool = False,
) -> Place | None:
    """The most precise place the sentence names; the theatre country when it names only that.
    With ``anchor``, only places its clause reaches (not across "that", "who", "which")."""
    places = place_mentions(sentence)
    if anchor is not None:
        places = [m for m in places if in_scope(context.text, m, anchor)]
    known = max(places, key=lambda m: (depth(m.fact), m.via != "alias", -m.start)) if places else None
    if not known_only and (known is None or depth(known.fact) <= 1):
        unknown = unknown_place(context.text, sentence.start, sentence.end, sentence.mentions)
        if unknown is not None:
            return unknown, unknown.within(known.fact if known else None)  # type: ignore[arg-type]
    if known is not None:
        return known, known.fact  # type: ignore[return-value]
    countries = [
        m
        for m in sentence.mentions
        if isinstance(m.fact, CountryFact)
        and m.fact == context.theatre
        and m.via != "demonym"
        and m is not exclude
        and (anchor is None or in_scope(context.text, m, anchor))
    ]
    if countries:
        return countries[0], countries[0].fact  # type: ignore[return-value]
    return None


def earlier_place(context: Context, index: int) -> Place | None:
    """A field note names the place once, in its first line: later sentences of the paragraph or
    the line just before inherit it."""
    for earlier in range(index - 1, max(-1, index - 3), -1):
        sentence = context.sentences[earlier]
        found = location_of(context, sentence)
        if found is not None and not isinstance(found[1], CountryFact):
            return found
    return None


def earlier_date(context: Context, index: int) -> DateMention | None:
    sentence = context.sentences[index]
    if not cues.SAME_DAY.search(context.text, sentence.start, sentence.end) and index > 0:
        if context.sentences[index - 1].paragraph == sentence.paragraph and index - 1 >= 0:
            return next(iter(context.sentences[index - 1].dates), None) if is_field_note(context, index) else None
        return None
    for earlier in range(index - 1, -1, -1):
        dates = [d for d in context.sentences[earlier].dates if d.precision == "day"]
        if dates:
            return dates[0]
    return None


def is_field_note(context: Context, index: int) -> bool:
    return index <= 2 and context.sentences[0].end - context.sentences[0].start < 60


def depth(fact: object) -> int:
    if isinstance(fact, PlaceFact):
        return 8 if fact.level is None else fact.level
    return 0


def place_spans(place: Place | None) -> list[Span]:
    return [place[0]] if place and place[0] is not None else []


def location(context: Context, place: Place) -> Location:
    fact = place[1]
    if isinstance(fact, CountryFact):
        return Location(name=fact.name, pcode=fact.iso2, geo_precision=3)

    def name_of(code: str | None) -> str | None:
        found = context.places_by_code.get(code) if code else None
        return found.name if found else code

    if isinstance(fact, UnknownPlace):
        return Location(name=fact.text, admin1=name_of(fact.admin1), admin2=name_of(fact.admin2))
    return Location(
        name=fact.name,
        pcode=fact.pcode or (fact.admin_chain[0] if fact.admin_chain else None),
        admin1=name_of(fact.admin1),
        admin2=name_of(fact.admin2),
        lat=fact.lat,
        lon=fact.lon,
        geo_precision=fact.geo_precision,
    )


def nearest(mentions: Sequence[Mention], position: int) -> Mention:
    return min(mentions, key=lambda m: abs(m.start - position))


def distance(first: Cue | Quantity, second: Cue | Quantity) -> int:
    if first.end <= second.start:
        return second.start - first.end
    if second.end <= first.start:
        return first.start - second.end
    return 0


def date_for(
    context: Context,
    sentence: Sentence,
    position: int,
    *,
    scope: Quantity | None = None,
    rivals: Sequence[Quantity] = (),
    anchor: Cue | None = None,
) -> DateMention | None:
    """The date nearest ``position`` that its clause reaches; for a figure, not one that a rival
    figure of the same measure stands between ("80 per cent, up from 60% at the end of 2022")."""
    usable = [d for d in sentence.dates if not d.after_publication or d.precision == "range"]
    if anchor is not None:
        usable = [d for d in usable if in_scope(context.text, d, anchor)]
    if scope is not None:
        usable = [
            d
            for d in usable
            if in_scope(context.text, d, scope)
            and not cues.CLAIM_SCOPE_BREAK.search(context.text, min(scope.end, d.end), max(scope.start, d.start))
            and not any(min(scope.end, d.end) <= q.start < max(scope.start, d.start) for q in rivals)
        ]
    if not usable:
        return None
    return min(usable, key=lambda d: abs(d.start - position))


def as_cue(mention: DateMention) -> Cue:
    return Cue(mention.start, mention.end, mention.text)


def in_scope(text: str, part: Mention | DateMention | UnknownPlace, quantity: Quantity | Cue) -> bool:
    between = text[min(part.end, quantity.end) : max(part.start, quantity.start)]
    return not cues.RELATIVE.search(between)


def is_aggregate(text: str, sentence: Sentence) -> bool:
    if cues.AGGREGATES.search(text, sentence.start, sentence.end):
        return True
    return any(d.precision == "range" and (d.last_day - d.first_day).days > WEEK_DAYS for d in sentence.dates)


def is_subset(text: str, quantity: Quantity) -> bool:
    return bool(cues.SUBSET.search(text[max(0, quantity.start - 60) : quantity.start]))


def is_vague(quantity: Quantity) -> bool:
    """ "Thousands fled", "dozens were killed": a size, not a figure anyone can check."""
    return not any(char.isdigit() for char in quantity.text) and bool(cues.VAGUE.search(quantity.text))


def is_duration(text: str, quantity: Quantity) -> bool:
    return bool(cues.DURATION.match(text, quantity.end))


class DateFields(TypedDict):
    date: str | None
    date_precision: DatePrecision | None
    period: Period | None


def date_fields(when: DateMention | None) -> DateFields:
    """A record's date, precision and period from the mention that dates it (all empty for none)."""
    if when is None:
        return DateFields(date=None, date_precision=None, period=None)
    if when.precision == "range" and when.period:
        return DateFields(date=None, date_precision="range", period=Period(*when.period))
    return DateFields(date=when.value, date_precision=when.precision, period=None)


def confidence(base: float, *filled: bool) -> float:
    return min(0.95, base + 0.1 * sum(filled))


def spans_of(record: Record) -> list[Span]:
    return [Cue(e.start, e.end, e.text) for e in record.evidence]


def evidence(text: str, spans: Iterable[Span]) -> tuple[Evidence, ...]:
    """Spans in text order, overlapping ones joined, each with the text it covers."""
    ordered = sorted((s.start, s.end) for s in spans if s.end > s.start)
    merged: list[list[int]] = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Evidence(start, end, text[start:end]) for start, end in merged)
