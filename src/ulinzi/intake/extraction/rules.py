"""Rules that turn one sentence's names, dates and figures into records.

Each rule looks for a trigger, refuses it when the clause denies it or makes it hypothetical,
then attaches the nearest parts of the right type: a figure followed by "officers" and a
demonym make a deployment; a figure next to "killed" over a period makes a claim, or, beside an
attack in a named place, the event's fatalities. What a rule cannot fill stays empty and the
reason goes into ``notes`` for the reviewer; nothing is guessed from outside the text except
what the text points to (the publication date for "in June", the country the places belong to
for a national figure, the sentence before for "the same day"). Framework-free.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ulinzi.intake.extraction import claim_rules, deployment_rules, event_rules

if TYPE_CHECKING:
    from ulinzi.intake.extraction.pipeline import Context
    from ulinzi.intake.extraction.records import Record


def records_of(context: Context, index: int) -> Iterator[Record]:
    sentence = context.sentences[index]
    used: set[int] = set()
    deployments = list(deployment_rules.deployments(context, sentence, used))
    events = [] if event_rules.continues_event(context, index) else list(event_rules.events(context, index, used))
    if not events:
        event_rules.add_counts_to_previous_event(context, index, used)
    else:
        used.update(id(q) for q in sentence.quantities if event_rules.harm_count(context.text, sentence, q))
    claims = list(claim_rules.claims(context, index, used))
    yield from sorted((*deployments, *events, *claims), key=lambda record: record.evidence[0].start)
