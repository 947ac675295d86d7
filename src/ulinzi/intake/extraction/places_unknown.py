"""Places the gazetteer does not hold, named as writers name them: "in Pont-Sondé", "the
neighbourhood of Village de Dieu", "à Solino".

Neighbourhoods, markets and crossroads are where events happen, and most are in no official
list. A capitalised name after a word that introduces a place is kept as the location's name,
with no P-code, inside the department or commune the sentence also names, so a reviewer sees
"Pont-Sondé (Artibonite)" rather than nothing, and can add the place to the gazetteer.
Framework-free.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ulinzi.intake.extraction.gazetteer import InAdminChain, Mention, PlaceFact

NAME = r"[A-Z][\w'’-]+(?:\s+(?:de|des|du|la|le|l'|d'|de la)?\s*[A-Z][\w'’-]+){0,3}"
INTRODUCERS = re.compile(
    r"(?:\b(?:in|at|near|outside|around|town of|village of|neighbourhood of|neighborhood of|district of|"
    r"area of|commune of|locality of|community of|attacked|stormed|raided|besieged|overran|attack on|assault on|"
    r"raid on|attacks on)"
    r"|\b(?:à|dans le quartier de|dans la localité de|quartier de|près de))\s+(?:the\s+)?(" + NAME + ")"
)
NOT_PLACES = frozenset(
    {
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "The",
        "A",
        "An",
        "This",
        "That",
        "Police",
        "Haiti",
    }
)


@dataclass(frozen=True)
class UnknownPlace(InAdminChain):
    start: int
    end: int
    text: str
    admin_chain: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.text

    def within(self, known: PlaceFact | None) -> UnknownPlace:
        if known is None:
            return self
        return UnknownPlace(self.start, self.end, self.text, known.admin_chain)


SUFFIXED = re.compile(
    r"\b(?:the\s+)?(" + NAME + r")\s+(?:neighbourhood|neighborhood|district|quarter|slum|market|crossroads)\b"
)


def unknown_place(text: str, start: int, end: int, mentions: Sequence[Mention]) -> UnknownPlace | None:
    """The first name after a place word that no list knows, or None."""
    found = [*INTRODUCERS.finditer(text, start, end), *SUFFIXED.finditer(text, start, end)]
    for match in sorted(found, key=lambda m: m.start(1)):
        begin, finish = match.span(1)
        name = match.group(1)
        if name.split()[0] in NOT_PLACES:
            continue
        if any(m.start < finish and begin < m.end for m in mentions):
            continue
        return UnknownPlace(begin, finish, name)
    return None
