"""Deployments: a contributor's personnel arriving, leaving, pledged, or starting patrols.

A movement word ("arrived", "pledged", "began patrolling") needs a contributing country in its
sentence (a demonym counts, "Kenyan-led" does not) and, except for patrols, personnel: a figure
followed by "officers" or "troops", or the noun alone. Each figure belongs to the verb it is the
object of ("pledged 150"), else to the one it is the subject of ("200 officers arrived").
Framework-free.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ulinzi.intake.extraction import cues, parts
from ulinzi.intake.extraction.cues import Cue
from ulinzi.intake.extraction.gazetteer import CountryFact, Mention
from ulinzi.intake.extraction.numbers import Quantity
from ulinzi.intake.extraction.parts import Span
from ulinzi.intake.extraction.records import Movement, Record

if TYPE_CHECKING:
    from ulinzi.intake.extraction.pipeline import Context, Sentence

PERSONNEL_GAP = re.compile(r"^[\s\w'’-]{0,45}?$")
LED = re.compile(r"[-‐]\s*(?:led|backed|funded|run)\b", re.IGNORECASE)
# "pledged 150", "pledged to bring it to 150": the figure a pledge names
PLEDGED_FIGURE = re.compile(
    r"(?:pledged|committed|promised|offered)(?:\s+to\s+(?:bring|raise|increase)\s+(?:it|its \w+|the \w+)?\s*to)?\s*$"
)
# "about 20 who had completed their tour departed": the personnel noun said before, not again
ELLIPTICAL = re.compile(r"\s+(?:who|of them|others)\b")
# "with strong support from the United States, Kenyan forces arrived": backing, not personnel
SUPPORTER = re.compile(r"\b(?:support|help|assistance|funding|backing)\s+(?:from|of)\s+(?:the\s+)?$", re.IGNORECASE)
FROM_BY = re.compile(r"\s*(?:from|by|of)\s+(?:the\s+)?$", re.IGNORECASE)


def deployments(context: Context, sentence: Sentence, used: set[int]) -> Iterator[Record]:
    text = context.text
    triggers = _movement_triggers(text, sentence)
    if not triggers:
        return
    contributors = [m for m in sentence.mentions if _is_contributor(context, text, m)]
    if not contributors:
        return
    counted = [(q, unit) for q in sentence.quantities if (unit := _personnel_of(text, q, triggers)) is not None]
    by_trigger: dict[int, list[tuple[Quantity, Cue]]] = {}
    for quantity, unit in counted:
        by_trigger.setdefault(_trigger_of(text, sentence, triggers, quantity), []).append((quantity, unit))
    taken: set[int] = set()
    for number, (movement, trigger) in enumerate(triggers):
        mine = by_trigger.get(number, [])
        if mine:
            for quantity, unit in mine:
                country = _contributor_of(text, contributors, quantity, unit=unit, trigger=trigger, taken=taken)
                if country is None:
                    continue
                taken.add(id(country))
                used.add(id(quantity))
                yield _deployment(context, sentence, movement, trigger, country=country, quantity=quantity, unit=unit)
            continue
        unit_near = _personnel_near(text, sentence, trigger)
        if (
            unit_near is None
            and movement != "patrol_start"
            and not re.search("contingent", text[trigger.end : sentence.end])
        ):
            continue
        for country in _coordinated(text, contributors, trigger, taken):
            taken.add(id(country))
            yield _deployment(context, sentence, movement, trigger, country=country, quantity=None, unit=unit_near)


def _trigger_of(text: str, sentence: Sentence, triggers: Sequence[tuple[Movement, Cue]], quantity: Quantity) -> int:
    """The verb a figure is the object of ("pledged 150"), else the one it is the subject of
    ("200 officers arrived"), within its clause; the nearest otherwise."""
    start, end = cues.clause_bounds(text, sentence.start, sentence.end, quantity.start)
    before = [n for n, (_, cue) in enumerate(triggers) if start <= cue.start and cue.end <= quantity.start]
    if before:
        return before[-1]
    after = [n for n, (_, cue) in enumerate(triggers) if quantity.end <= cue.start and cue.end <= end]
    if after:
        return after[0]
    return min(range(len(triggers)), key=lambda n: parts.distance(triggers[n][1], quantity))


def _movement_triggers(text: str, sentence: Sentence) -> list[tuple[Movement, Cue]]:
    found: list[tuple[Movement, Cue]] = []
    for movement, pattern in cues.MOVEMENTS:
        for cue in cues.find(pattern, text, sentence.start, sentence.end):
            if any(cue.start < other.end and other.start < cue.end for _, other in found):
                continue
            if cues.is_denied_or_hypothetical(text, sentence.start, sentence.end, cue):
                continue
            found.append((movement, cue))
    return sorted(found, key=lambda item: item[1].start)


def _deployment(
    context: Context,
    sentence: Sentence,
    movement: Movement,
    trigger: Cue,
    *,
    country: Mention,
    quantity: Quantity | None,
    unit: Cue | None,
) -> Record:
    notes = []
    if movement == "pledge" and quantity is None:
        notes.append("a pledge with no figure")
    clause = parts.within(sentence, *cues.clause_bounds(context.text, sentence.start, sentence.end, trigger.start))
    when = parts.date_for(context, clause, trigger.start, anchor=trigger)
    if when is None and cues.SAME_DAY.search(context.text, clause.start, clause.end):
        when = next((d for d in sentence.dates if d.precision == "day"), None)
    place = parts.location_of(context, clause, exclude=country, anchor=trigger)
    spans: list[Span] = [trigger, country, *([quantity] if quantity else []), *([when] if when else [])]
    spans += parts.place_spans(place)
    if when is None:
        notes.append("no date in the sentence")
    assert isinstance(country.fact, CountryFact)
    return Record(
        doc_id=context.doc_id,
        kind="deployment",
        evidence=parts.evidence(context.text, spans),
        confidence=parts.confidence(0.6, quantity is not None, when is not None, place is not None),
        country=country.fact.name,
        personnel=int(quantity.value) if quantity else None,
        qualifier=quantity.qualifier if quantity else None,
        unit=unit.text.lower() if unit and unit.text else None,
        movement=movement,
        location=parts.location(context, place) if place else None,
        notes=tuple(notes),
        **parts.date_fields(when),
    )


def _is_contributor(context: Context, text: str, mention: Mention) -> bool:
    if not isinstance(mention.fact, CountryFact) or mention.fact == context.theatre:
        return False
    return not LED.match(text, mention.end) and not SUPPORTER.search(text[: mention.start][-40:])


def _personnel_of(text: str, quantity: Quantity, triggers: Sequence[tuple[Movement, Cue]]) -> Cue | None:
    """The personnel noun a figure counts: "200 Kenyan police officers", "a contingent of 400",
    or, after a pledge, "pledged to bring to 150"."""
    if quantity.unit != "count":
        return None
    window_end = min(len(text), quantity.end + 50)
    for match in cues.PERSONNEL.finditer(text, quantity.end, window_end):
        if PERSONNEL_GAP.match(text[quantity.end : match.start()]) and not re.search(
            r"\b(?:who|that|of|in|to|from)\b", text[quantity.end : match.start()]
        ):
            return Cue(match.start(), match.end(), match.group())
        break
    if ELLIPTICAL.match(text, quantity.end) and any(movement != "pledge" for movement, _ in triggers):
        return Cue(quantity.start, quantity.start, "")
    before = text[max(0, quantity.start - 25) : quantity.start]
    if cues.CONTINGENT_OF.search(before):
        return Cue(quantity.start, quantity.start, "")
    pledges = [cue for movement, cue in triggers if movement == "pledge"]
    if any(0 <= quantity.start - cue.end <= 30 for cue in pledges) and PLEDGED_FIGURE.search(
        text[max(0, quantity.start - 60) : quantity.start]
    ):
        return Cue(quantity.start, quantity.start, "")
    return None


def _personnel_near(text: str, sentence: Sentence, trigger: Cue) -> Cue | None:
    found = cues.find(cues.PERSONNEL, text, sentence.start, sentence.end)
    return min(found, key=lambda cue: abs(cue.start - trigger.start), default=None)


def _contributor_of(
    text: str, contributors: Sequence[Mention], quantity: Quantity, *, unit: Cue, trigger: Cue, taken: set[int]
) -> Mention | None:
    """Whose personnel: the demonym in the figure's own phrase, then "from/sent by X", then the
    country the trigger's clause is about."""
    free = [m for m in contributors if id(m) not in taken] or list(contributors)
    inside = [m for m in free if quantity.end <= m.start and m.end <= max(unit.end, quantity.end) + 1]
    if inside:
        return inside[0]
    after = [m for m in free if m.start >= max(unit.end, trigger.end) and FROM_BY.search(text[: m.start][-12:])]
    if after:
        return after[0]
    following = [
        m
        for m in free
        if m.via == "demonym" and re.fullmatch(r"[\s\w]{0,15}", text[max(unit.end, quantity.end) : m.start])
    ]
    if following:
        return following[0]
    before = [m for m in free if m.end <= quantity.start]
    if before:
        return before[-1]
    return min(free, key=lambda m: abs(m.start - quantity.start), default=None)


def _coordinated(text: str, contributors: Sequence[Mention], trigger: Cue, taken: set[int]) -> list[Mention]:
    """ "Kenyan and Jamaican officers began patrolling": one record per country named together."""
    free = [m for m in contributors if id(m) not in taken]
    if not free:
        return []
    before = [m for m in free if m.end <= trigger.start]
    first = before[-1] if before else min(free, key=lambda m: abs(m.start - trigger.start))
    group = [first]
    for mention in sorted(free, key=lambda m: m.start):
        if mention is first:
            continue
        low, high = sorted((mention, first), key=lambda m: m.start)
        if re.fullmatch(r"\s*(?:,|and|,\s*and|et|,\s*et)\s*", text[low.end : high.start]):
            group.append(mention)
    return sorted(group, key=lambda m: m.start)
