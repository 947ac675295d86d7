"""Parse ACLED export rows into typed events, without touching the database.

Columns may come in any order; the optional ones may be absent. ``event_id_cnty`` is the
natural key of a row (ACLED's own id), so re-importing the same export changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import RowReader
from ulinzi.importing.fields import coordinate
from ulinzi.incidents import taxonomy

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "latitude",
    "longitude",
    "fatalities",
)
OPTIONAL = (
    "year",
    "time_precision",
    "disorder_type",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "tags",
    "timestamp",
)


@dataclass(frozen=True)
class AcledEvent:
    line: int
    event_id: str
    event_date: date
    time_precision: int
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str
    inter1: str
    actor2: str
    assoc_actor_2: str
    inter2: str
    interaction: str
    civilian_targeting: bool
    country: str
    admin1: str
    admin2: str
    admin3: str
    location: str
    latitude: float
    longitude: float
    geo_precision: int
    source: str
    source_scale: str
    notes: str
    tags: str
    fatalities: int
    sensitivity: Sensitivity

    @property
    def key(self) -> str:
        return f"acled:{self.event_id}"


def _date(text: str) -> date:
    """ACLED writes ``2024-03-01`` in its API exports and ``01 March 2024`` in older files."""
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or '01 March 2024')")


def _bounded_int(low: int, high: int, default: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.strip() and default is not None:
            return default
        if not re.fullmatch(r"[0-9]+", text.strip()):
            raise ValueError(f"{text!r} is not a whole number")
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}-{high}")
        return value

    return parse


def _id(text: str) -> str:
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 70 or not re.fullmatch(r"[A-Za-z0-9_\-.]+", cleaned):
        raise ValueError(f"{text!r} is not an ACLED event id")
    return cleaned


def _actor(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("actor1 is required")
    if len(cleaned) > 200:
        raise ValueError("longer than 200 characters")
    return cleaned


def parse_event(reader: RowReader, sensitivity: Sensitivity) -> AcledEvent:
    event_id = reader.value("event_id_cnty", _id)
    day = reader.value("event_date", _date)
    kind = reader.value("event_type", taxonomy.event_type)
    sub = reader.value("sub_event_type", lambda text: taxonomy.sub_event_type(kind, text)) if kind else ""
    actor1 = reader.value("actor1", _actor)
    inter1 = reader.value("inter1", taxonomy.actor_category)
    inter2 = reader.value("inter2", taxonomy.actor_category)
    latitude = reader.value("latitude", coordinate(90))
    longitude = reader.value("longitude", coordinate(180))
    geo_precision = reader.value("geo_precision", _bounded_int(1, 3, default=1))
    time_precision = reader.value("time_precision", _bounded_int(1, 3, default=1))
    fatalities = reader.value("fatalities", _bounded_int(0, 100_000))
    reader.check()
    text = reader.text
    return AcledEvent(
        line=reader.row.line,
        event_id=event_id,
        event_date=day,
        time_precision=time_precision,
        disorder_type=text("disorder_type")[:60],
        event_type=kind,
        sub_event_type=sub,
        actor1=actor1,
        assoc_actor_1=text("assoc_actor_1")[:500],
        inter1=inter1,
        actor2=text("actor2")[:200],
        assoc_actor_2=text("assoc_actor_2")[:500],
        inter2=inter2,
        interaction=text("interaction")[:100],
        civilian_targeting=bool(text("civilian_targeting")),
        country=text("country")[:100],
        admin1=text("admin1")[:200],
        admin2=text("admin2")[:200],
        admin3=text("admin3")[:200],
        location=text("location")[:200],
        latitude=latitude,
        longitude=longitude,
        geo_precision=geo_precision,
        source=text("source"),
        source_scale=text("source_scale")[:100],
        notes=text("notes"),
        tags=text("tags")[:500],
        fatalities=fatalities,
        sensitivity=sensitivity,
    )
