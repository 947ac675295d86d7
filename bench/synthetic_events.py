"""Synthetic ACLED-shaped events around real Haitian places, streamed to a CSV file.

Every column ``import_acled`` knows (``REQUIRED`` + ``OPTIONAL``, in ACLED's export order) plus
two columns analysts carry that the importer ignores. Points cluster around the COD-AB
gazetteer's sections communales, most of them in the Port-au-Prince metro; dates run from the
end of 2025 back to 2018, newest first as ACLED exports are, with more events in recent years.
The same seed gives the same file, byte for byte; rows are written as they are made, so the
size of the file does not change the memory used.

    .venv/bin/python bench/synthetic_events.py --rows 200000 --seed 1 events.csv
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import math
import random
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Generic, TextIO, TypeVar

from ulinzi.incidents.importers.acled.rows import OPTIONAL, REQUIRED
from ulinzi.incidents.taxonomy import EVENT_TYPES

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GAZETTEER = Path("haiti/gazetteer/hti_admin_gazetteer_codab.csv")

# ACLED's export order; the check below stops the run if the importer's columns change.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
EXTRA_COLUMNS = ("analyst", "desk_reference")  # carried by analysts, ignored by the importer
COLUMNS = (*ACLED_COLUMNS, *EXTRA_COLUMNS)
if sorted(ACLED_COLUMNS) != sorted((*REQUIRED, *OPTIONAL)):
    raise RuntimeError("ACLED_COLUMNS has drifted from the importer's REQUIRED + OPTIONAL columns")

FIRST_DAY = date(2018, 1, 1)
LAST_DAY = date(2025, 12, 31)
# days back = span × u**GROWTH for the u-th fraction of rows: relative to 2018, about 1.7 times as
# many events a day in 2024 and 2.5 times in mid-2025
GROWTH = 1.5
METRO_SHARE = 0.75
ARTIBONITE, ARTIBONITE_SHARE = "HT05", 0.08
METRO_COMMUNES = {  # share of the metro's events by commune P-code
    "HT0111": 0.27,  # Port-au-Prince
    "HT0131": 0.14,  # Croix-des-Bouquets
    "HT0117": 0.14,  # Cité Soleil
    "HT0112": 0.13,  # Delmas
    "HT0113": 0.10,  # Carrefour
    "HT0118": 0.08,  # Tabarre
    "HT0114": 0.07,  # Pétion-Ville
    "HT0116": 0.04,  # Gressier
    "HT0115": 0.03,  # Kenscoff
}

# Share of each event type, and of each sub-event type within it (Haiti's mix, roughly).
TYPE_MIX: dict[str, float] = {
    "Violence against civilians": 0.38,
    "Battles": 0.30,
    "Protests": 0.12,
    "Strategic developments": 0.10,
    "Riots": 0.07,
    "Explosions/Remote violence": 0.03,
}
SUB_MIX: dict[str, dict[str, float]] = {
    "Violence against civilians": {"Attack": 0.62, "Abduction/forced disappearance": 0.30, "Sexual violence": 0.08},
    "Battles": {"Armed clash": 0.93, "Government regains territory": 0.04, "Non-state actor overtakes territory": 0.03},
    "Protests": {"Peaceful protest": 0.6, "Protest with intervention": 0.3, "Excessive force against protesters": 0.1},
    "Strategic developments": {
        "Looting/property destruction": 0.35,
        "Arrests": 0.25,
        "Change to group/activity": 0.15,
        "Disrupted weapons use": 0.08,
        "Agreement": 0.05,
        "Other": 0.05,
        "Headquarters or base established": 0.04,
        "Non-violent transfer of territory": 0.03,
    },
    "Riots": {"Violent demonstration": 0.7, "Mob violence": 0.3},
    "Explosions/Remote violence": {
        "Grenade": 0.45,
        "Remote explosive/landmine/IED": 0.25,
        "Air/drone strike": 0.2,
        "Shelling/artillery/missile attack": 0.1,
    },
}
for _kind, _subs in SUB_MIX.items():
    if not set(_subs) <= set(EVENT_TYPES[_kind]):
        raise RuntimeError(f"SUB_MIX names sub-event types ACLED does not have under {_kind!r}")
DISORDER = {
    "Violence against civilians": "Political violence",
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}
LETHAL = {"Violence against civilians", "Battles", "Explosions/Remote violence"}

POLICE = "Police Forces of Haiti (2017-)"
STATE = (POLICE, "Military Forces of Haiti (2017-)", "Multinational Security Support Mission in Haiti (2024-)")
CIVILIANS = "Civilians (Haiti)"
PROTESTERS = "Protesters (Haiti)"
RIOTERS = "Rioters (Haiti)"
UNIDENTIFIED = "Unidentified Armed Group (Haiti)"
CATEGORY = {
    STATE[0]: "State forces",
    STATE[1]: "State forces",
    STATE[2]: "External/Other forces",
    CIVILIANS: "Civilians",
    PROTESTERS: "Protesters",
    RIOTERS: "Rioters",
}
SHORT = {
    "State forces": "State forces",
    "External/Other forces": "External/Other forces",
    "Political militias": "Political militia",
    "Identity militias": "Identity militia",
    "Civilians": "Civilians",
    "Protesters": "Protesters",
    "Rioters": "Rioters",
}
GANG_PATTERNS = ("Gang de {}", "Baz {}", "Base {}", "Armée de {}", "{} Boys", "Lame {}", "Gran Grif {}")
COALITIONS = ("Coalition Nord (synthetic)", "Coalition Sud (synthetic)", "Alliance Plaine (synthetic)")
SOURCES = (
    "Le Nouvelliste", "AlterPresse", "Haiti Libre", "Radio Kiskeya", "Radio Metropole", "Gazette Haiti",
    "Loop Haiti", "Juno7", "Vant Bef Info", "Haiti Standard", "RNDDH", "CARDH", "BINUH", "AFP", "Reuters",
    "Associated Press", "Miami Herald", "Twitter", "Facebook", "WhatsApp",
)  # fmt: skip
SOURCE_SCALES = {
    "National": 0.45,
    "National-International": 0.15,
    "Subnational": 0.12,
    "New media": 0.1,
    "International": 0.1,
    "Other-National": 0.08,
}
ANALYSTS = ("JM", "AK", "RP", "SN", "LD", "")
VERBS = {
    "Attack": "attacked residents",
    "Abduction/forced disappearance": "kidnapped people",
    "Sexual violence": "sexually assaulted women",
    "Armed clash": "clashed",
    "Government regains territory": "retook positions",
    "Non-state actor overtakes territory": "seized a neighbourhood",
    "Peaceful protest": "demonstrated against insecurity and the cost of living",
    "Protest with intervention": "demonstrated and were dispersed with tear gas",
    "Excessive force against protesters": "demonstrated and were shot at",
    "Violent demonstration": "erected burning barricades and threw stones",
    "Mob violence": "lynched suspected gang members",
    "Grenade": "threw a grenade",
    "Remote explosive/landmine/IED": "set off an explosive device",
    "Air/drone strike": "struck gang positions with a drone",
    "Shelling/artillery/missile attack": "fired on positions with heavy weapons",
}


@dataclass(frozen=True)
class Place:
    """A section communale: where events cluster, with the names ACLED gives its admin levels."""

    name: str
    admin1: str
    admin2: str
    adm1_pcode: str
    adm2_pcode: str
    lon: float
    lat: float
    metro: bool
    spread: float  # degrees: how far events scatter around the place


T = TypeVar("T")


class Picker(Generic[T]):
    """Weighted choice by bisecting cumulative weights: ``random.choices`` rebuilds a list per call."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def read_places(data: Path = DATA) -> list[Place]:
    """The sections communales of the COD-AB gazetteer, with their commune and department names."""
    with (data / GAZETTEER).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["pcode"]: row["name_fr"].strip() for row in rows}
    places = []
    for row in rows:
        if row["level"] != "3":
            continue
        metro = row["pap_metro"] == "True"
        places.append(
            Place(
                name=" ".join(row["name_fr"].split()),
                admin1=names[row["adm1_pcode"]],
                admin2=names[row["adm2_pcode"]],
                adm1_pcode=row["adm1_pcode"],
                adm2_pcode=row["adm2_pcode"],
                lon=float(row["label_lon"]),
                lat=float(row["label_lat"]),
                metro=metro,
                spread=0.008 if metro else 0.03,
            )
        )
    return places


def _region(place: Place) -> str:
    if place.metro:
        return place.adm2_pcode
    return "artibonite" if place.adm1_pcode == ARTIBONITE else "rest"


def place_weights(places: Sequence[Place]) -> list[float]:
    """Three events in four in the metro, spread over its communes as the violence has been;
    Artibonite next; the rest of the country evenly. Sections share their region's weight."""
    shares = {
        **{pcode: METRO_SHARE * share for pcode, share in METRO_COMMUNES.items()},
        "artibonite": ARTIBONITE_SHARE,
        "rest": 1 - METRO_SHARE - ARTIBONITE_SHARE,
    }
    sections = Counter(_region(place) for place in places)
    return [shares[_region(place)] / sections[_region(place)] for place in places]


class Generator:
    """Makes rows one at a time from one ``random.Random``; nothing depends on hash order."""

    def __init__(self, places: Sequence[Place], seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.places = Picker(places, place_weights(places))
        self.types = Picker(list(TYPE_MIX), list(TYPE_MIX.values()))
        self.subs = {kind: Picker(list(mix), list(mix.values())) for kind, mix in SUB_MIX.items()}
        self.scales = Picker(list(SOURCE_SCALES), list(SOURCE_SCALES.values()))
        self.gangs = self._gang_names(places)
        self.is_gang = frozenset(self.gangs)  # membership only: never iterated, so hash order cannot leak
        # each place has its own few gangs, so who fights where stays plausible
        self.local = {place.name + place.admin2: rng.sample(self.gangs, 3) for place in places}
        self._days: dict[date, tuple[str, str, str, int]] = {}
        self.notes = {sub: self._note_template(kind, sub) for kind, subs in SUB_MIX.items() for sub in subs}

    def _gang_names(self, places: Sequence[Place], count: int = 300) -> list[str]:
        """A few hundred made-up gangs named after real places; none is a real group."""
        names: list[str] = []
        picker = Picker(places, place_weights(places))
        while len(names) < count:
            place = picker(self.rng)
            stem = place.name.split(" ", 2)[-1] if place.name[0].isdigit() else place.name
            name = self.rng.choice(GANG_PATTERNS).format(stem)
            if name not in names:
                names.append(name)
        return names

    @staticmethod
    def _note_template(kind: str, sub: str) -> str:
        verb = VERBS.get(sub, "were involved in an incident")
        if kind == "Strategic developments":
            verb = f"were reported in a development of type '{sub.lower()}'"
        return (
            "On {day}, {actor1} " + verb + " in {location} ({admin2}, {admin1}). "
            "Sources differ on the details; the figure below is the most conservative reported. "
            "[{fatalities} reported fatalities]"
        )

    def rows(self, count: int) -> Iterator[list[str]]:
        span = (LAST_DAY - FIRST_DAY).days
        for index in range(count):
            back = int(span * ((index + self.rng.random()) / count) ** GROWTH)
            yield self.row(count - index, LAST_DAY - timedelta(days=back))

    def row(self, number: int, day: date) -> list[str]:
        rng = self.rng
        place = self.places(rng)
        kind = self.types(rng)
        sub = self.subs[kind](rng)
        actor1, actor2 = self._actors(kind, sub, place)
        inter1, inter2 = self._category(actor1), self._category(actor2)
        precision = 1 if (r := rng.random()) < 0.7 else 2 if r < 0.95 else 3
        lon, lat = self._point(place, precision)
        fatalities = self._fatalities(kind)
        location = place.admin2 if precision == 3 else place.name
        sources = "; ".join(rng.sample(SOURCES, 1 if (r := rng.random()) < 0.6 else 2 if r < 0.9 else 3))
        iso, year, long, midnight = self._day(day)
        return [
            f"SYN{number}",
            iso,
            year,
            "1" if (r := rng.random()) < 0.85 else "2" if r < 0.97 else "3",
            DISORDER[kind],
            kind,
            sub,
            actor1,
            rng.choice(COALITIONS) if actor1 in self.is_gang and rng.random() < 0.15 else "",
            inter1,
            actor2,
            "",
            inter2,
            f"{SHORT[inter1]}-{SHORT[inter2]}" if inter2 else f"{SHORT[inter1]} only",
            "Civilian targeting" if actor2 == CIVILIANS and kind in LETHAL else "",
            "332",
            "Caribbean",
            "Haiti",
            place.admin1,
            place.admin2,
            place.name,
            location,
            f"{lat:.4f}",
            f"{lon:.4f}",
            str(precision),
            sources,
            self.scales(rng),
            self.notes[sub].format(
                day=long,
                actor1=actor1,
                location=location,
                admin2=place.admin2,
                admin1=place.admin1,
                fatalities=fatalities,
            ),
            str(fatalities),
            "crowd size=no report" if kind in {"Protests", "Riots"} else "",
            str(midnight + 86_400 * rng.randint(3, 40)),  # uploaded days or weeks later
            rng.choice(ANALYSTS),
            f"DESK-{rng.randrange(1, 10_000):04d}" if rng.random() < 0.2 else "",
        ]

    def _day(self, day: date) -> tuple[str, str, str, int]:
        """A day's texts, made once: rows come in date order, so the cache stays one entry long."""
        if day not in self._days:
            midnight = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
            self._days = {day: (day.isoformat(), str(day.year), day.strftime("%d %B %Y"), midnight)}
        return self._days[day]

    def _gang(self, place: Place) -> str:
        local = self.local[place.name + place.admin2]
        return local[self.rng.randrange(3)] if self.rng.random() < 0.8 else self.rng.choice(self.gangs)

    def _actors(self, kind: str, sub: str, place: Place) -> tuple[str, str]:
        rng = self.rng
        if kind == "Protests":
            return PROTESTERS, POLICE if sub != "Peaceful protest" else ""
        if kind == "Riots":
            return RIOTERS, CIVILIANS if sub == "Mob violence" else ""
        if kind == "Battles":
            other = self._gang(place) if rng.random() < 0.5 else STATE[0 if rng.random() < 0.85 else 2]
            return self._gang(place), other
        if kind == "Strategic developments":
            return (POLICE, self._gang(place)) if rng.random() < 0.4 else (self._gang(place), "")
        first = UNIDENTIFIED if (r := rng.random()) < 0.05 else POLICE if r < 0.12 else self._gang(place)
        return first, CIVILIANS if kind == "Violence against civilians" or rng.random() < 0.5 else self._gang(place)

    @staticmethod
    def _category(actor: str) -> str:
        if not actor:
            return ""
        return CATEGORY.get(actor, "Political militias")

    def _point(self, place: Place, precision: int) -> tuple[float, float]:
        """Precision 1: scattered around the place; 2: near it; 3: the place's own point."""
        if precision == 3:
            return place.lon, place.lat
        spread = place.spread * (1.0 if precision == 1 else 0.3)
        return place.lon + self.rng.gauss(0.0, spread), place.lat + self.rng.gauss(0.0, spread)

    def _fatalities(self, kind: str) -> int:
        """Most events kill nobody or one or two people; a few (massacres) kill dozens."""
        r = self.rng.random()
        if kind not in LETHAL:
            return 0 if r < 0.95 else 1 if r < 0.99 else 2
        if r < 0.45:
            return 0
        if r < 0.70:
            return 1
        if r < 0.82:
            return 2
        if r < 0.90:
            return 3
        return min(300, 3 + math.floor(self.rng.paretovariate(1.1)))


def write_events(out: TextIO, rows: int, seed: int = 1, data: Path = DATA) -> None:
    """Write a header and ``rows`` events, newest first, to an open text file."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    generator = Generator(read_places(data), seed)
    made = generator.rows(rows)
    while batch := list(itertools.islice(made, 1000)):
        writer.writerows(batch)


def write_file(path: Path, rows: int, seed: int = 1, data: Path = DATA) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        write_events(out, rows, seed, data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="CSV file to write")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder (holds haiti/gazetteer/)")
    options = parser.parse_args()
    write_file(options.path, options.rows, options.seed, options.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
