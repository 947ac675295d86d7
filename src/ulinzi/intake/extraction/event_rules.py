"""Events: one incident, in one place, on one day, coded with ACLED's types.

A trigger ("clashed", "kidnapped", "looted") makes an event only where the sentence or the line
before it names a place below the country, and the sentence is not a total over a period. Its
killed, injured and kidnapped figures are the event's, never separate claims; a following
sentence that only adds a toll ("Two civilians killed by stray bullets") adds to it.
Framework-free.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ulinzi.intake.extraction import cues, parts
from ulinzi.intake.extraction.cues import Cue
from ulinzi.intake.extraction.gazetteer import ActorFact, CountryFact, Mention, PlaceFact
from ulinzi.intake.extraction.numbers import Quantity
from ulinzi.intake.extraction.parts import COUNT_METRICS, HARM_METRICS, Span
from ulinzi.intake.extraction.records import Fatalities, Record

if TYPE_CHECKING:
    from ulinzi.intake.extraction.pipeline import Context, Sentence

PERSON_REACH = 40  # characters after the trigger: "assassination of President Jovenel Moïse"
SINGLE_VICTIM = re.compile(
    r"\b(?:a|an|one)\s+(?:(?:police|PNH|HNP|Kenyan|MSS|young|local|elderly)\s+)?"
    r"(?:officer|policeman|policewoman|man|woman|child|boy|girl|resident|driver|journalist|teacher|soldier|"
    r"civilian|person|nurse|doctor|priest|pastor|student|vendor|motorcyclist)\s+(?:was|were)\s+(?:killed|shot dead)",
    re.IGNORECASE,
)


def events(context: Context, index: int, used: set[int]) -> Iterator[Record]:
    """One event per incident the sentence reports: "set fire to the station on Saturday and
    exchanged fire with police in Croix-des-Bouquets on Sunday" is two."""
    for segment in _segments(context, context.sentences[index]):
        yield from _event_in(context, index, segment, used)


def _segments(context: Context, sentence: Sentence) -> list[Sentence]:
    text = context.text
    triggers: list[Cue] = []
    for pattern, _, _ in cues.EVENT_TRIGGERS:
        for cue in cues.find(pattern, text, sentence.start, sentence.end):
            if not any(cue.start < other.end and other.start < cue.end for other in triggers):
                triggers.append(cue)
    triggers.sort(key=lambda cue: cue.start)
    cuts = [sentence.start]
    for first, second in itertools.pairwise(triggers):
        splits = list(cues.EVENT_SPLIT.finditer(text, first.end, second.start))
        if splits:
            cuts.append(splits[-1].start())
    cuts.append(sentence.end)
    segments = [parts.within(sentence, start, end) for start, end in itertools.pairwise(cuts)]
    if len(segments) > 1 and all(s.dates or parts.place_mentions(s) for s in segments):
        return segments
    return [sentence]


def _event_in(context: Context, index: int, sentence: Sentence, used: set[int]) -> Iterator[Record]:
    text = context.text
    found = _event_trigger(text, sentence)
    if found is None:
        return
    trigger, event_type, sub_event_type = found
    if parts.is_aggregate(text, sentence):
        return
    place = parts.location_of(context, sentence) or parts.earlier_place(context, index)
    when = parts.date_for(context, sentence, trigger.start) or parts.earlier_date(context, index)
    taken: set[int] = set(used)
    counts = _counts(text, sentence, taken)
    fatalities = counts.get("fatalities")
    if fatalities is None and trigger.text.lower().startswith("assassinat"):
        fatalities = (Fatalities(1, 1, 1), trigger)
    national = place is None or isinstance(place[1], CountryFact)
    if national and not (when is not None and when.precision == "day"):
        return
    if when is None and not counts and not _past(text, sentence, trigger):
        return
    used |= taken
    event_type, sub_event_type = _refine(text, sentence, trigger, event_type, sub_event_type)
    actors = [m for m in parts.actors(sentence, text) if _takes_part(m, trigger)]
    notes = [] if when else ["no date in the sentence"]
    spans: list[Span] = [trigger, *actors, *parts.place_spans(place), *([when] if when else [])]
    spans += [count[1] for count in counts.values()]
    yield Record(
        doc_id=context.doc_id,
        kind="event",
        evidence=parts.evidence(text, spans),
        confidence=parts.confidence(0.55, when is not None, bool(actors), fatalities is not None),
        event_type=event_type,
        sub_event_type=sub_event_type,
        location=parts.location(context, place) if place else None,
        actors=parts.actor_names(actors),
        fatalities=_fatality_record(fatalities[0]) if fatalities else None,
        injured=_count_value(counts.get("injured")),
        kidnapped=_count_value(counts.get("kidnapped")),
        notes=tuple(notes),
        **parts.date_fields(when),
    )


def _event_trigger(text: str, sentence: Sentence) -> tuple[Cue, str, str] | None:
    for pattern, event_type, sub_event_type in cues.EVENT_TRIGGERS:
        for trigger in cues.find(pattern, text, sentence.start, sentence.end):
            if cues.is_denied_or_hypothetical(text, sentence.start, sentence.end, trigger):
                continue
            if parts.inside_name(sentence, trigger):
                continue
            return trigger, event_type, sub_event_type
    return None


def _refine(text: str, sentence: Sentence, trigger: Cue, event_type: str, sub_event_type: str) -> tuple[str, str]:
    if event_type == "Violence against civilians" and sub_event_type == "Attack" and _on_forces(text, trigger):
        return "Battles", "Armed clash"
    if event_type == "Protests" and cues.INTERVENTION.search(text, sentence.start, sentence.end):
        return "Protests", "Protest with intervention"
    return event_type, sub_event_type


def _counts(text: str, sentence: Sentence, used: set[int]) -> dict[str, tuple[Fatalities | int, Span]]:
    """Killed, injured and kidnapped figures of this sentence, each the one nearest its word."""
    found: dict[str, tuple[Fatalities | int, Span]] = {}
    for quantity in sentence.quantities:
        if id(quantity) in used or quantity.unit != "count" or parts.is_duration(text, quantity):
            continue
        if parts.is_vague(quantity):
            continue
        if parts.is_subset(text, quantity):
            used.add(id(quantity))
            continue
        metric = parts.metric_near(text, sentence, quantity)
        if metric is None or metric[0] not in COUNT_METRICS:
            continue
        field = COUNT_METRICS[metric[0]]
        if field in found:
            continue
        used.add(id(quantity))
        if field == "fatalities":
            found[field] = (_fatalities_of(quantity), quantity)
        else:
            found[field] = (int(quantity.value), quantity)
    zero = cues.ZERO_DEATHS.search(text, sentence.start, sentence.end)
    if "fatalities" not in found and zero:
        found["fatalities"] = (Fatalities(0, 0, 0), Cue(zero.start(), zero.end(), zero.group()))
    if "fatalities" not in found:
        single = SINGLE_VICTIM.search(text, sentence.start, sentence.end)
        if single:
            found["fatalities"] = (Fatalities(1, 1, 1), Cue(single.start(), single.end(), single.group()))
    return found


def _fatalities_of(quantity: Quantity) -> Fatalities:
    best = int(quantity.value)
    if quantity.low is not None and quantity.high is not None:
        return Fatalities(int(quantity.low), int(quantity.low), int(quantity.high))
    if quantity.qualifier in {"gt", "gte"}:
        return Fatalities(best, best, None)
    if quantity.qualifier in {"lt", "lte"}:
        return Fatalities(None, best, best)
    if quantity.qualifier == "approx":
        return Fatalities(None, best, None)
    return Fatalities(best, best, best)


def _fatality_record(value: Fatalities | int) -> Fatalities:
    return value if isinstance(value, Fatalities) else Fatalities(value, value, value)


def _count_value(found: tuple[Fatalities | int, Span] | None) -> int | None:
    if found is None or isinstance(found[0], Fatalities):
        return None
    return found[0]


def continues_event(context: Context, index: int) -> bool:
    """ "At least 12 people were killed" after the sentence about the clash adds to that event."""
    if not context.records or context.origins[-1] != index - 1 or context.records[-1].kind != "event":
        return False
    sentence = context.sentences[index]
    if sentence.paragraph != context.sentences[index - 1].paragraph:
        return False
    found = _event_trigger(context.text, sentence)
    if found is None or not cues.CASUALTY_ONLY.fullmatch(found[0].text):
        return False
    return not any(isinstance(m.fact, PlaceFact) for m in sentence.mentions) and not any(
        d.precision == "day" for d in sentence.dates
    )


def harm_count(text: str, sentence: Sentence, quantity: Quantity) -> bool:
    metric = parts.metric_near(text, sentence, quantity)
    return metric is not None and metric[0] in HARM_METRICS and quantity.unit == "count"


def add_counts_to_previous_event(context: Context, index: int, used: set[int]) -> None:
    """ "Two civilians killed by stray bullets" after the sentence reporting the clash: its toll."""
    if not context.records or context.origins[-1] != index - 1 or context.records[-1].kind != "event":
        return
    sentence = context.sentences[index]
    previous = context.sentences[index - 1]
    if sentence.paragraph != previous.paragraph or parts.is_aggregate(context.text, sentence):
        return
    if any(isinstance(m.fact, PlaceFact | CountryFact) and m.via != "demonym" for m in sentence.mentions):
        return
    if cues.YEAR_TO_DATE.search(context.text, sentence.start, sentence.end):
        return
    event = context.records[-1]
    counts = _counts(context.text, sentence, used)
    if not counts:
        return
    fatalities = counts.get("fatalities")
    extra = [count[1] for count in counts.values()]
    context.records[-1] = replace(
        event,
        fatalities=event.fatalities or (_fatality_record(fatalities[0]) if fatalities else None),
        injured=event.injured if event.injured is not None else _count_value(counts.get("injured")),
        kidnapped=event.kidnapped if event.kidnapped is not None else _count_value(counts.get("kidnapped")),
        evidence=parts.evidence(context.text, [*parts.spans_of(event), *extra]),
    )


def _takes_part(mention: Mention, trigger: Cue) -> bool:
    """A public figure is an event's actor as its target ("the assassination of President Moïse"),
    not for being named nearby ("Prime Minister Conille condemned the massacre")."""
    if not isinstance(mention.fact, ActorFact) or mention.fact.kind != "person":
        return True
    return 0 <= mention.start - trigger.end <= PERSON_REACH


def _on_forces(text: str, trigger: Cue) -> bool:
    return bool(cues.FORCES_TARGETS.search(text, trigger.end, min(len(text), trigger.end + 40)))


def _past(text: str, sentence: Sentence, trigger: Cue) -> bool:
    if trigger.text.lower().endswith(("ed", "é", "ée", "és", "ées")):
        return True
    return bool(cues.PAST.search(text, sentence.start, sentence.end))
