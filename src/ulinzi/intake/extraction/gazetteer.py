"""Names the extractor recognises: actors, countries and their demonyms, and places.

Off-the-shelf NER reads "400 Mawozo" as a number and a person, "Port-au-Prince" as a facility and
cuts "Croix-des-Bouquets" at the first hyphen (docs/extraction.md), so every gang, state force,
mission, country and Haitian place comes from a list of facts instead. Actors and countries ship
with the package (``data/actors.csv``, ``data/countries.csv``); places come from the caller,
read from the database's gazetteer or from a boundaries file, plus the aliases writers use
for them ("the capital") in ``data/place_aliases.csv``.

Matching works on word tokens folded to lower case without accents, and ignores hyphens, so
"Petion Ville", "Pétion-Ville" and "PETION-VILLE" are one name; a name must start with a capital
letter or a digit in the text unless its list says otherwise, so the noun "cabaret" is not the
commune of Cabaret. The longest name wins where two overlap. Framework-free.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal

MentionKind = Literal["actor", "country", "place"]
TOKEN = re.compile(r"\w+|[^\w\s]")
IGNORED_TOKENS = frozenset({"-", "‐", "‑", "–"})
SECTION_PREFIX = re.compile(r"^\d+\s*(?:re|e|ère|eme|ème)\s+section\s+(?:de\s+la\s+|des\s+|du\s+|de\s+|d')?", re.I)
# Single words that name a department but read as ordinary words: they count only as
# "the Centre department", "Nord department" and so on (see _needs_department).
BARE_WORD_AREAS = frozenset({"centre", "nord", "sud", "ouest", "est", "nippes", "sud est", "nord est", "nord ouest"})
MAX_NAME_TOKENS = 10
SHORT_NAME = 4


@dataclass(frozen=True)
class ActorFact:
    name: str  # canonical, as the incident store names it
    kind: str  # coalition, gang, state_force, mission, agency, person, generic
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class CountryFact:
    name: str  # English short name: "Kenya"
    iso2: str
    names: tuple[str, ...]  # the name and its variants ("the Bahamas")
    demonyms: tuple[str, ...]  # "Kenyan", "Kenyans"


class InAdminChain:
    """A place held by administrative units, deepest first: its department and commune."""

    admin_chain: tuple[str, ...]

    @property
    def admin1(self) -> str | None:
        return self.admin_chain[-1] if self.admin_chain else None

    @property
    def admin2(self) -> str | None:
        return self.admin_chain[-2] if len(self.admin_chain) >= 2 else None


@dataclass(frozen=True)
class PlaceFact(InAdminChain):
    name: str  # display name
    pcode: str | None  # an admin unit's own P-code (or a country's code); None for other places
    admin_chain: tuple[str, ...]  # P-codes from the deepest unit holding the place up to level 1
    level: int | None  # admin level; 0 for a country, None for a neighbourhood or landmark
    lat: float | None
    lon: float | None
    geo_precision: int  # 1 the point is the place, 2 near it, 3 the centre of an area
    names: tuple[str, ...]
    # "Turgeau" for "1re Section Turgeau": recognised only where the document names the commune,
    # because many sections share their name with neighbourhoods elsewhere ("Bel Air").
    short_names: tuple[str, ...] = ()


Fact = ActorFact | CountryFact | PlaceFact


@dataclass(frozen=True)
class Mention:
    """One name found in the text; ``via`` says whether a country came from a demonym."""

    start: int
    end: int
    text: str
    kind: MentionKind
    fact: Fact
    via: Literal["name", "demonym", "alias", "short"] = "name"


def fold(word: str) -> str:
    """One token as the index compares it: no accents, no case, typographic quotes made plain."""
    return _fold_cached(word)


@lru_cache(maxsize=65536)
def _fold_cached(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return plain.replace("’", "'").replace("‘", "'")


def name_key(name: str) -> tuple[str, ...]:
    return tuple(fold(token) for token in TOKEN.findall(name) if token not in IGNORED_TOKENS)


@dataclass
class _Entry:
    kind: MentionKind
    fact: Fact
    via: Literal["name", "demonym", "alias", "short"]
    any_case: bool
    priority: int  # among equal keys: a country over a place, a commune over a section
    name: str = ""
    # A short one-word name ("Nò", Creole for Nord) counts only as written, accents and case
    # included, or every "No" in English would be a department.
    exact_only: bool = False


@dataclass
class NameIndex:
    """Every name of every fact, keyed by its folded tokens."""

    entries: dict[tuple[str, ...], list[_Entry]] = field(default_factory=dict)

    def add(
        self,
        name: str,
        kind: MentionKind,
        fact: Fact,
        via: Literal["name", "demonym", "alias", "short"] = "name",
        *,
        any_case: bool = False,
        priority: int = 0,
    ) -> None:
        key = name_key(name)
        if not key or len(key) > MAX_NAME_TOKENS:
            return
        bucket = self.entries.setdefault(key, [])
        if any(existing.fact == fact for existing in bucket):
            return
        exact_only = len(key) == 1 and len(name) <= SHORT_NAME and kind == "place"
        bucket.append(_Entry(kind, fact, via, any_case, priority, name, exact_only))
        bucket.sort(key=lambda entry: -entry.priority)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Names in ``text[start:end]``, longest first where they overlap, in text order."""
        stop = len(text) if end is None else end
        tokens = [
            (match.start(), match.end(), fold(match.group()))
            for match in TOKEN.finditer(text, start, stop)
            if match.group() not in IGNORED_TOKENS
        ]
        found: list[Mention] = []
        position = 0
        while position < len(tokens):
            mention = self._longest_at(text, tokens, position)
            if mention is None:
                position += 1
                continue
            found.append(mention[0])
            position = mention[1]
        return found

    def _longest_at(
        self, text: str, tokens: Sequence[tuple[int, int, str]], position: int
    ) -> tuple[Mention, int] | None:
        first_char = text[tokens[position][0]]
        capitalised = first_char.isupper() or first_char.isdigit()
        for length in range(min(MAX_NAME_TOKENS, len(tokens) - position), 0, -1):
            key = tuple(token[2] for token in tokens[position : position + length])
            bucket = self.entries.get(key)
            if not bucket:
                continue
            for entry in bucket:
                if not (capitalised or entry.any_case):
                    continue
                begin, finish = tokens[position][0], tokens[position + length - 1][1]
                if entry.exact_only and text[begin:finish] != entry.name:
                    continue
                if entry.kind == "place" and _needs_department(key, text, finish):
                    continue
                return Mention(begin, finish, text[begin:finish], entry.kind, entry.fact, entry.via), position + length
        return None


def _needs_department(key: tuple[str, ...], text: str, end: int) -> bool:
    return " ".join(key) in BARE_WORD_AREAS and not re.match(r"\s*(?:department|département|departement)", text[end:])


@dataclass(frozen=True)
class Gazetteer:
    """The three lists, and one index over all of them."""

    actors: tuple[ActorFact, ...]
    countries: tuple[CountryFact, ...]
    places: tuple[PlaceFact, ...]
    index: NameIndex

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        return self.index.find(text, start, end)

    def place_named(self, name: str) -> PlaceFact | None:
        bucket = self.index.entries.get(name_key(name), [])
        return next((entry.fact for entry in bucket if isinstance(entry.fact, PlaceFact)), None)


def build(
    places: Iterable[PlaceFact],
    actors: Iterable[ActorFact] | None = None,
    countries: Iterable[CountryFact] | None = None,
    place_aliases: Iterable[tuple[str, str, bool]] | None = None,
) -> Gazetteer:
    """The gazetteer over the given places and the packaged actors, countries and aliases.

    ``place_aliases`` are ``(alias, place name, any case)``: an alias whose place is not among
    ``places`` is left out, so "the capital" means Port-au-Prince only where Haiti's places are
    loaded.
    """
    actor_facts = tuple(packaged_actors() if actors is None else actors)
    country_facts = tuple(packaged_countries() if countries is None else countries)
    place_facts = tuple(places)
    index = NameIndex()
    for country in country_facts:
        for name in country.names:
            index.add(name, "country", country, priority=30)
        for demonym in country.demonyms:
            index.add(demonym, "country", country, "demonym", any_case=demonym[:1].islower(), priority=30)
    for actor in actor_facts:
        for name in (actor.name, *actor.aliases):
            index.add(name, "actor", actor, any_case=actor.kind == "generic" or name[:1].islower(), priority=20)
    for place in place_facts:
        priority = 10 - (place.level if place.level is not None else 5)
        for name in place.names:
            index.add(name, "place", place, priority=priority)
        for name in place.short_names:
            index.add(name, "place", place, "short", priority=priority - 10)
    by_name = {name_key(place.name): place for place in sorted(place_facts, key=_coarsest_first, reverse=True)}
    for alias, target, any_case in packaged_place_aliases() if place_aliases is None else place_aliases:
        found = by_name.get(name_key(target))
        if found is not None:
            index.add(alias, "place", found, "alias", any_case=any_case, priority=15)
    return Gazetteer(actor_facts, country_facts, place_facts, index)


def _coarsest_first(place: PlaceFact) -> int:
    return -(place.level if place.level is not None else 9)


def admin_place(
    pcode: str,
    level: int,
    names: Sequence[str],
    chain: Sequence[str],
    *,
    lat: float | None,
    lon: float | None,
) -> PlaceFact:
    """An administrative unit as a place, named also without the "1re Section" prefix sections carry."""
    all_names = tuple(dict.fromkeys(name for name in names if name))
    stripped = dict.fromkeys(SECTION_PREFIX.sub("", name) for name in all_names)
    short = [name for name in stripped if name not in all_names]
    return PlaceFact(
        name=names[0],
        pcode=pcode,
        admin_chain=tuple(chain),
        level=level,
        lat=lat,
        lon=lon,
        geo_precision=3,
        names=all_names,
        short_names=tuple(name for name in short if name),
    )


def _data_rows(file_name: str) -> Iterator[dict[str, str]]:
    source = resources.files("ulinzi.intake.extraction").joinpath("data", file_name)
    lines = source.read_text(encoding="utf-8").splitlines()
    yield from csv.DictReader(line for line in lines if not line.startswith("#"))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


@lru_cache(maxsize=1)
def packaged_actors() -> tuple[ActorFact, ...]:
    return tuple(ActorFact(row["name"], row["kind"], _split(row["aliases"])) for row in _data_rows("actors.csv"))


@lru_cache(maxsize=1)
def packaged_countries() -> tuple[CountryFact, ...]:
    return tuple(
        CountryFact(row["name"], row["iso2"], (row["name"], *_split(row["aliases"])), _split(row["demonyms"]))
        for row in _data_rows("countries.csv")
    )


@lru_cache(maxsize=1)
def packaged_place_aliases() -> tuple[tuple[str, str, bool], ...]:
    return tuple(
        (row["alias"], row["place"], row["any_case"].strip().lower() == "yes")
        for row in _data_rows("place_aliases.csv")
    )
