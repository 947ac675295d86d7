"""One event as every importer hands it to the writer, whatever the source format.

ACLED, UCDP GED and HXL rows each parse into an ``EventRecord``; the writer then assigns
P-codes and an H3 cell, links sources, and matches it against events already stored.
Framework-free, so the parsers and the deduplication rule are tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.citations import Citation, parse_citations


@dataclass(frozen=True)
class EventRecord:
    line: int
    natural_key: str  # dataset prefix and the row's own id, e.g. "acled:HTI1234" or "ucdp:552301"
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
    fatalities_low: int
    fatalities_high: int
    sensitivity: Sensitivity

    @property
    def dataset(self) -> str:
        return self.natural_key.split(":", 1)[0]

    def citations(self) -> list[Citation]:
        """Event datasets name publishers in their source column, so each name is also the publisher."""
        return [replace(c, publisher=c.publisher or c.reference[:200]) for c in parse_citations(self.source)]


class NotColumnar(Exception):
    """A columnar reader met something it cannot prove valid; the row-by-row reader will say what."""
