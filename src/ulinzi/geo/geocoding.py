"""Geocoding: place names in French, English and Haitian Creole to ranked candidates.

Framework-free: a ``Gazetteer`` is built from plain ``Entry`` values (one per name or alias of
a place) and answers ``geocode`` with every plausible candidate, best first, each saying which
name matched and how well. Ambiguity is reported, never resolved silently.

Matching tiers, each with a fixed score so ranks are explainable:

- exact after normalising case, accents, punctuation and spacing ("Cite Soleil" = "Cité Soleil"): 1.0
- the same letters without spaces ("Petion Ville" = "Pétion-Ville" = "Petionville"): 0.97
- after folding common French/Creole spelling variants (y→i, k→c, ou→u, final -ville/-vil): 0.9
- fuzzy, on the spaceless form (rapidfuzz ratio ≥ 80): 0.6 to 0.85 by similarity
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

EXACT, COMPACT, FOLDED = 1.0, 0.97, 0.9
FUZZY_CUTOFF = 80.0  # bench/geocode.py: 97% top-1 on misspelt communes, no wrong first answer
AMBIGUITY_MARGIN = 0.05
SEPARATOR = re.compile(r"\s+-\s+")  # ACLED's "Port-au-Prince - Solino": area, then place


@dataclass(frozen=True)
class Entry:
    """One name of one place; a place has as many entries as it has names and aliases."""

    place_id: int
    name: str
    language: str  # "fr", "en", "ht", or "" for an alias in no particular language
    place_name: str  # the place's display name
    kind: str  # admin, neighbourhood, landmark, road, settlement
    admin_chain: tuple[str, ...]  # P-codes from the deepest unit holding the place up to level 1
    lon: float
    lat: float
    precision: int  # 1 the point is the place, 2 near it, 3 the centre of an area


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    score: float
    match: str  # exact, compact, folded, fuzzy

    @property
    def matched_name(self) -> str:
        return self.entry.name


@dataclass(frozen=True)
class Result:
    query: str
    candidates: tuple[Candidate, ...]

    @property
    def ambiguous(self) -> bool:
        """Two different places score within the margin of each other at the top."""
        places = [c for c in self.candidates if c.entry.place_id != self.candidates[0].entry.place_id]
        return bool(places) and self.candidates[0].score - places[0].score <= AMBIGUITY_MARGIN


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation and hyphens as spaces, single spaces.

    >>> normalise("  Pétion-Ville ")
    'petion ville'
    >>> normalise("Carrefour-Feuilles / Sainte Bernadette")
    'carrefour feuilles sainte bernadette'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", stripped).split())


def compact(text: str) -> str:
    return normalise(text).replace(" ", "")


FOLDS = ((re.compile(r"ville$|vil$"), "vil"), (re.compile("y"), "i"), (re.compile("k"), "c"), (re.compile("ou"), "u"))


def fold(text: str) -> str:
    """Spelling variants folded together: "Petyonvil" and "Pétion-Ville" both give "petionvil".

    >>> fold("Petyonvil") == fold("Pétion-Ville")
    True
    """
    folded = compact(text)
    for pattern, replacement in FOLDS:
        folded = pattern.sub(replacement, folded)
    return folded


class Gazetteer:
    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self._exact: dict[str, list[Entry]] = defaultdict(list)
        self._compact: dict[str, list[Entry]] = defaultdict(list)
        self._folded: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            self._exact[normalise(entry.name)].append(entry)
            self._compact[compact(entry.name)].append(entry)
            self._folded[fold(entry.name)].append(entry)
        self._fuzzy_keys = list(self._compact)

    def __len__(self) -> int:
        return len(self.entries)

    def geocode(self, query: str, within: str | None = None, limit: int = 10) -> Result:
        """Candidates for ``query``, best first; ``within`` keeps places inside that P-code.

        "Area - Place" (ACLED's location pattern) looks for Place inside the best match for Area.
        """
        parts = SEPARATOR.split(query.strip(), maxsplit=1)
        if len(parts) == 2 and within is None:
            area = self.geocode(parts[0], limit=1).candidates
            inner = self.geocode(parts[1], within=_area_code(area[0]) if area else None, limit=limit)
            if inner.candidates:
                return Result(query, inner.candidates)
            return Result(query, self.geocode(parts[0], limit=limit).candidates)
        best: dict[int, Candidate] = {}
        for candidate in self._candidates(query):
            if within and within not in candidate.entry.admin_chain:
                continue
            current = best.get(candidate.entry.place_id)
            if current is None or candidate.score > current.score:
                best[candidate.entry.place_id] = candidate
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.entry.kind != "admin", c.entry.place_name))
        return Result(query, tuple(ranked[:limit]))

    def _candidates(self, query: str) -> Iterable[Candidate]:
        yield from (Candidate(e, EXACT, "exact") for e in self._exact.get(normalise(query), ()))
        yield from (Candidate(e, COMPACT, "compact") for e in self._compact.get(compact(query), ()))
        yield from (Candidate(e, FOLDED, "folded") for e in self._folded.get(fold(query), ()))
        key = compact(query)
        if not key:
            return
        for match, similarity, _ in process.extract(
            key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
        ):
            score = 0.6 + 0.25 * (similarity - FUZZY_CUTOFF) / (100 - FUZZY_CUTOFF)
            yield from (Candidate(e, round(score, 3), "fuzzy") for e in self._compact[match])


def _area_code(candidate: Candidate) -> str | None:
    chain = candidate.entry.admin_chain
    return chain[0] if chain else None


def top_codes(results: Sequence[Result]) -> list[str | None]:
    """The deepest P-code of each result's best candidate (for batch geocoding and benchmarks)."""
    return [
        r.candidates[0].entry.admin_chain[0] if r.candidates and r.candidates[0].entry.admin_chain else None
        for r in results
    ]
