"""Actor names as sources write them: one key per spelling, so "Viv Ansanm", "viv  ansanm" and
"Viv-Ansanm" find the same actor, while genuinely different spellings ("Viv Ansam") are aliases
an analyst records. Framework-free.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[^0-9a-z]+")


def actor_key(name: str) -> str:
    """The comparison key of an actor name: no accents, no case, punctuation as single spaces.

    >>> actor_key("G-Pèp"), actor_key("  Police Forces of Haiti (2017-) ")
    ('g pep', 'police forces of haiti 2017')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return _SEPARATORS.sub(" ", plain).strip()
