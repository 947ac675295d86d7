"""The records extraction produces, and their JSON Lines form.

The JSON shape is a contract: ``ulinzi extract`` prints it, the evaluation harness reads it,
the review queue stores it, and tools outside the project parse it. Field names never change
meaning; a new field may be added. Framework-free.

Conventions every producer and every gold annotation follows:

- ``evidence`` lists the minimal character spans ``[start, end)`` into the document text that
  support the record, in text order: the trigger word ("arrived", "killed", "control",
  "patrolling", "clashed"), the number with its qualifier words ("an additional 200",
  "over 5,000", "80 per cent"), the country or demonym ("Kenyan"), each actor ("Viv Ansam",
  quotes outside the span), the place ("Port-au-Prince", "the capital") and the date or period
  ("January 19", "in June", "Since February 2024").
- Dates are ISO strings cut to their precision: ``2025-01-19`` (day), ``2024-06`` (month),
  ``2024`` (year). A period has a ``start`` and an ``end`` each at its own precision, and the
  record's ``date_precision`` is ``range``.
- ``qualifier`` turns words before a number into a bound: ``gt`` (over, more than),
  ``gte`` (at least), ``lt`` (nearly, almost), ``lte`` (up to, as many as), ``approx``
  (about, some, an estimated), ``increment`` (an additional, another: a change, not a total),
  or ``None`` for a plain figure.
- Percentages keep the figure as written: "80 per cent" is ``value`` 80 with ``unit`` "percent".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["event", "deployment", "claim"]
KINDS: tuple[Kind, ...] = ("event", "deployment", "claim")
DatePrecision = Literal["day", "month", "year", "range"]
Qualifier = Literal["gt", "gte", "lt", "lte", "approx", "increment"]
QUALIFIERS: tuple[Qualifier, ...] = ("gt", "gte", "lt", "lte", "approx", "increment")
Movement = Literal["arrival", "departure", "pledge", "patrol_start"]
MOVEMENTS: tuple[Movement, ...] = ("arrival", "departure", "pledge", "patrol_start")
METRICS = (
    "killed",
    "injured",
    "kidnapped",
    "displaced",
    "sexual_violence_victims",
    "territory_controlled_pct",
    "personnel_pledged",
    "personnel_deployed",
    "food_insecure",
    "funding_usd",
)


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Location:
    name: str
    pcode: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None  # 1 the point is the place, 2 near it, 3 an area's centre

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pcode": self.pcode,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "lat": self.lat,
            "lon": self.lon,
            "geo_precision": self.geo_precision,
        }


@dataclass(frozen=True)
class Fatalities:
    low: int | None
    best: int | None
    high: int | None

    def as_json(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high}


@dataclass(frozen=True)
class Period:
    start: str
    end: str

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Record:
    """One candidate: an event, a deployment or a claim, with the spans that support it."""

    doc_id: str
    kind: Kind
    evidence: tuple[Evidence, ...]
    confidence: float
    date: str | None = None
    date_precision: DatePrecision | None = None
    period: Period | None = None
    location: Location | None = None
    actors: tuple[str, ...] = ()
    # event
    event_type: str | None = None
    sub_event_type: str | None = None
    fatalities: Fatalities | None = None
    injured: int | None = None
    kidnapped: int | None = None
    # deployment
    country: str | None = None
    personnel: int | None = None
    movement: Movement | None = None
    # deployment and claim
    qualifier: Qualifier | None = None
    unit: str | None = None
    # claim
    metric: str | None = None
    value: float | None = None
    area: str | None = None
    speaker: str | None = None
    notes: tuple[str, ...] = field(default=())  # why the extractor is unsure, for the reviewer

    def as_json(self) -> dict[str, Any]:
        """The record as one JSON Lines object: common fields, then those of its kind."""
        out: dict[str, Any] = {"doc_id": self.doc_id, "kind": self.kind}
        if self.kind == "event":
            out |= {
                "event_type": self.event_type,
                "sub_event_type": self.sub_event_type,
                "fatalities": self.fatalities.as_json() if self.fatalities else None,
                "injured": self.injured,
                "kidnapped": self.kidnapped,
            }
        elif self.kind == "deployment":
            out |= {
                "country": self.country,
                "personnel": self.personnel,
                "qualifier": self.qualifier,
                "unit": self.unit,
                "movement": self.movement,
            }
        else:
            out |= {
                "metric": self.metric,
                "value": _number(self.value),
                "qualifier": self.qualifier,
                "unit": self.unit,
                "area": self.area,
                "speaker": self.speaker,
            }
        out |= {
            "date": self.date,
            "date_precision": self.date_precision,
            "period": self.period.as_json() if self.period else None,
            "location": self.location.as_json() if self.location else None,
            "actors": list(self.actors),
            "evidence": [span.as_json() for span in self.evidence],
            "confidence": round(self.confidence, 3),
            "notes": list(self.notes),
        }
        return out


def _number(value: float | None) -> float | int | None:
    """Whole figures print as integers, so ``5000`` never reads as ``5000.0``."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
