"""Claims: headline figures (killed since February, share of the capital controlled, people
displaced, money given) with their qualifier, area, period, actors and speaker.

A figure is a claim when a metric word sits near it in the same clause and no event took it.
"Up from 60%" repeats the measure before it at another time; "Additionally, ..." inherits the
period of the claim before. Framework-free.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ulinzi.intake.extraction import cues, parts
from ulinzi.intake.extraction.cues import Cue
from ulinzi.intake.extraction.dates import DateMention
from ulinzi.intake.extraction.gazetteer import ActorFact, CountryFact, Mention
from ulinzi.intake.extraction.numbers import Quantity
from ulinzi.intake.extraction.parts import ARMED_KINDS, HARM_METRICS, Place, Span
from ulinzi.intake.extraction.records import Period, Record

if TYPE_CHECKING:
    from ulinzi.intake.extraction.pipeline import Context, Sentence


def claims(context: Context, index: int, used: set[int]) -> Iterator[Record]:
    sentence = context.sentences[index]
    text = context.text
    measured: list[tuple[Quantity, str, Cue]] = []
    previous_metric = None
    for quantity in sentence.quantities:
        if id(quantity) in used or parts.is_duration(text, quantity) or parts.is_vague(quantity):
            continue
        if parts.is_subset(text, quantity) and _part_of_counted(sentence, quantity, used, measured):
            continue
        found = _claim_metric(context, sentence, quantity, previous_metric)
        if found is None:
            continue
        metric, cue = found
        figure = Cue(quantity.start, quantity.end, "")
        if cues.is_denied_or_hypothetical(text, sentence.start, sentence.end, figure, figure=True):
            continue
        if not _unit_fits(metric, quantity) or (metric == "funding_usd" and _not_given(text, quantity)):
            continue
        used.add(id(quantity))
        measured.append((quantity, metric, cue))
        previous_metric = metric
    made: list[Record] = []
    for quantity, metric, cue in measured:
        rivals = [q for q, m, _ in measured if m == metric and q is not quantity]
        if cue.text == "":
            earlier = made[-1] if made else parts.previous_claim(context)
            assert earlier is not None
            made.append(_compared(context, index, quantity, earlier, rivals))
        else:
            made.append(_claim(context, index, metric, cue, quantity, rivals=rivals))
    yield from made


def _part_of_counted(
    sentence: Sentence, quantity: Quantity, used: set[int], measured: Sequence[tuple[Quantity, str, Cue]]
) -> bool:
    """ "including three police officers" after a counted toll is part of it; after a figure no
    metric takes ("8,400 victims, including 4,789 who were killed") it is the figure."""
    earlier = [q for q in sentence.quantities if q.end <= quantity.start]
    counted = {id(q) for q, _, _ in measured} | used
    return any(id(q) in counted for q in earlier)


def _total_parts(text: str, cue: Cue, quantity: Quantity) -> list[Cue]:
    """What a running total counts and its "to": "bringing [the Kenyan contingent] of the MSS [to 400]"."""
    found = []
    counted = cues.TOTAL_OF.match(text, cue.end, quantity.start)
    if counted:
        found.append(Cue(counted.start(1), counted.end(1), counted.group(1)))
    if text[max(0, quantity.start - 3) : quantity.start] == "to ":
        found.append(Cue(quantity.start - 3, quantity.end, text[quantity.start - 3 : quantity.end]))
    return found


def _not_given(text: str, quantity: Quantity) -> bool:
    """ "$600 million the mission needs", "a ransom of $1 million": money asked for, not given."""
    before = text[max(0, quantity.start - 25) : quantity.start]
    after = re.split(r"[,;.]", text[quantity.end : quantity.end + 30], maxsplit=1)[0]
    return bool(cues.FUNDING_NOT_GIVEN.search(before) or cues.FUNDING_NOT_GIVEN.search(after))


def _compared(context: Context, index: int, quantity: Quantity, earlier: Record, rivals: Sequence[Quantity]) -> Record:
    """For "up from 60% at the end of 2022": the earlier claim's measure, place and actors, its own date;
    for "in the Artibonite, the share is about 40 per cent": its own place."""
    sentence = context.sentences[index]
    when = parts.date_for(context, sentence, quantity.start, scope=quantity, rivals=rivals)
    spans: list[Span] = [quantity, *([when] if when else [])]
    own = [m for m in parts.place_mentions(sentence) if m.end <= quantity.start or m.start >= quantity.end]
    if own and earlier.area is not None and not any(m.fact.name == earlier.area for m in own):
        place: Place = (own[0], own[0].fact)  # type: ignore[assignment]
        spans.append(own[0])
        earlier = replace(earlier, area=own[0].fact.name, location=parts.location(context, place))
    return replace(
        earlier,
        evidence=parts.evidence(context.text, spans),
        value=quantity.value,
        qualifier=quantity.qualifier,
        unit=_claim_unit(context.text, quantity) or earlier.unit,
        notes=("measure, place and actors taken from the figure it is compared with",),
        **parts.date_fields(when),
    )


def _claim_metric(
    context: Context, sentence: Sentence, quantity: Quantity, previous_metric: str | None
) -> tuple[str, Cue] | None:
    text = context.text
    before = text[max(sentence.start, quantity.start - 130) : quantity.start]
    comparison = cues.COMPARISON.search(before)
    if previous_metric is None:
        earlier = parts.previous_claim(context)
        previous_metric = earlier.metric if earlier else None
    if comparison and previous_metric:
        return previous_metric, Cue(quantity.start, quantity.start, "")
    grown = cues.GROWN_TO.search(before)
    if grown and quantity.unit == "count" and cues.PERSONNEL.match(text, quantity.end + 1):
        start = quantity.start - len(before) + grown.start()
        return "personnel_deployed", Cue(start, start + len(grown.group(1)), grown.group(1))
    running = cues.RUNNING_TOTAL.search(before)
    if running and quantity.unit == "count":
        start = quantity.start - len(before) + running.start()
        metric = "personnel_pledged" if cues.PLEDGE_WORDS.search(running.group()) else "personnel_deployed"
        return metric, Cue(start, start + len(running.group(1)), running.group(1))
    return parts.metric_near(text, sentence, quantity)


def _unit_fits(metric: str, quantity: Quantity) -> bool:
    if metric == "territory_controlled_pct":
        return quantity.unit == "percent"
    if metric == "funding_usd":
        return quantity.unit == "usd"
    return quantity.unit == "count"


def _claim(
    context: Context, index: int, metric: str, cue: Cue, quantity: Quantity, *, rivals: Sequence[Quantity]
) -> Record:
    sentence = context.sentences[index]
    text = context.text
    place = _claim_place(context, sentence, metric, quantity)
    when = parts.date_for(context, sentence, quantity.start, scope=quantity, rivals=rivals)
    period = _period_phrase(context, sentence, when)
    notes = []
    inherited: Record | None = None
    if when is None and (cues.CONTINUATIONS.match(text, sentence.start, sentence.end) or _same_period(text, sentence)):
        inherited = parts.previous_claim(context)
        if inherited is not None and (inherited.period or inherited.date):
            notes.append("period taken from the claim before it")
        else:
            inherited = None
    actors = _claim_actors(context, sentence, metric)
    speaker = _speaker(context, sentence)
    spans: list[Span] = [cue, quantity, *actors, *parts.place_spans(place), *([when] if when else [])]
    if metric in {"personnel_deployed", "personnel_pledged"}:
        spans += _total_parts(text, cue, quantity)
    record = Record(
        doc_id=context.doc_id,
        kind="claim",
        evidence=parts.evidence(text, spans),
        confidence=parts.confidence(0.6, when is not None or inherited is not None, place is not None, bool(actors)),
        metric=metric,
        value=quantity.value,
        qualifier=quantity.qualifier,
        unit=_claim_unit(text, quantity),
        area=place[1].name if place else None,
        location=parts.location(context, place) if place else None,
        actors=parts.actor_names(actors),
        speaker=speaker,
        notes=tuple(notes),
        **parts.date_fields(when),
    )
    if inherited is not None:
        record = replace(record, period=inherited.period, date=inherited.date, date_precision=inherited.date_precision)
    elif period is not None:
        record = replace(record, period=period[0], date=None, date_precision="range")
        record = replace(record, evidence=parts.evidence(text, [*parts.spans_of(record), period[1]]))
    return record


def _period_phrase(context: Context, sentence: Sentence, when: DateMention | None) -> tuple[Period, Cue] | None:
    """Periods that run to the publication date or cover part of a year, which dates leave to us:
    "since the attack on Pont-Sondé in October", "so far this year", "the first six months of the year"."""
    text, published = context.text, context.published
    if published is None:
        return None
    first = cues.FIRST_MONTHS.search(text, sentence.start, sentence.end)
    if first:
        months = _month_count(first.group(1))
        if months:
            cue = Cue(first.start(), first.end(), first.group())
            return Period(f"{published.year}-01", f"{published.year}-{months:02d}"), cue
    if when is not None:
        since = cues.SINCE_BEFORE.search(text, sentence.start, when.start)
        if since and when.precision in {"day", "month", "year"}:
            return Period(when.value, published.isoformat()), Cue(
                since.start(), when.end, text[since.start() : when.end]
            )
        return None
    year_to_date = cues.YEAR_TO_DATE.search(text, sentence.start, sentence.end)
    if year_to_date:
        cue = Cue(year_to_date.start(), year_to_date.end(), year_to_date.group())
        return Period(f"{published.year}-01", published.isoformat()), cue
    return None


def _month_count(word: str) -> int | None:
    words = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
    if word.lower() in {"quarter", "half"}:
        return 3 if word.lower() == "quarter" else 6
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 12 else None
    return words.index(word.lower()) + 1 if word.lower() in words else None


def _claim_place(context: Context, sentence: Sentence, metric: str, quantity: Quantity) -> Place | None:
    if metric in {"personnel_deployed", "personnel_pledged"} and context.theatre is not None:
        return None, context.theatre
    if metric == "territory_controlled_pct":
        after = [m for m in parts.place_mentions(sentence) if m.start >= quantity.end]
        if after:
            return after[0], after[0].fact  # type: ignore[return-value]
    found = parts.location_of(context, sentence, known_only=True)
    if found is not None and (found[0] is None or parts.in_scope(context.text, found[0], quantity)):
        return found
    if context.theatre is not None:
        return None, context.theatre
    return None


def _claim_actors(context: Context, sentence: Sentence, metric: str) -> list[Mention]:
    """Harm and control figures name who did it; money names who gave it (never the country
    receiving it); other figures name no actor."""
    text = context.text
    if metric in HARM_METRICS:
        return [
            m
            for m in parts.actors(sentence, text, reporters=True)
            if isinstance(m.fact, ActorFact) and m.fact.kind in ARMED_KINDS
        ]
    if metric == "funding_usd":
        donors = [
            m
            for m in sentence.mentions
            if isinstance(m.fact, CountryFact) and m.via != "demonym" and m.fact != context.theatre
        ]
        return donors[:1]
    return []


def _claim_unit(text: str, quantity: Quantity) -> str | None:
    if quantity.unit in {"percent", "usd"}:
        return quantity.unit
    match = cues.UNIT_WORDS.match(text, quantity.end)
    return match.group(1).lower() if match else None


def _same_period(text: str, sentence: Sentence) -> bool:
    return bool(cues.SAME_PERIOD.search(text, sentence.start, sentence.end))


def _speaker(context: Context, sentence: Sentence) -> str | None:
    text = context.text
    speech = cues.find(cues.SPEECH, text, sentence.start, sentence.end)
    if not speech:
        return None
    cue = speech[0]
    named = [m for m in sentence.mentions if isinstance(m.fact, ActorFact) and m.fact.kind != "generic"]
    if cue.text.lower() in {"according to", "selon"}:
        after = [m for m in named if m.start >= cue.end]
        if after:
            return after[0].fact.name
        words = re.match(r"\s*((?:the\s+)?(?:[A-Z][\w'’-]*\s*){1,5})", text[cue.end : sentence.end])
        return words.group(1).strip() if words else None
    if named:
        return parts.nearest(named, cue.start).fact.name
    return None
