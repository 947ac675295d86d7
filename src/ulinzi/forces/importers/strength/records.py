"""Parse strength CSV rows into typed records, without touching the database.

Two dialects, told apart by their header (docs/importing.md, "strength"):

- the Ulinzi template: one ``record`` column says movement, pledge or authorisation;
- the MSS timeline (``date,date_precision,event_type,country,personnel_arrived,...``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.citations import Citation, parse_citations

MOVEMENT_KINDS = ("arrival", "departure", "rotation_in", "rotation_out")
PRECISIONS = ("day", "approx", "month", "year")
CONFIDENCES = ("high", "medium", "low")
ROLES = ("police", "military", "staff", "civilian")


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    name: str


@dataclass(frozen=True)
class Provenance:
    line: int
    citations: tuple[Citation, ...]
    description: str
    confidence: str
    sensitivity: Sensitivity

    @property
    def references(self) -> str:
        return "|".join(sorted(c.reference for c in self.citations))


@dataclass(frozen=True)
class MovementRecord:
    country: Country
    kind: str
    date: dt.date
    date_precision: str
    reported_on: dt.date
    personnel: int
    reported_total: int | None
    preferred: bool | None
    contingent: str
    role: str
    provenance: Provenance

    @property
    def movement_key(self) -> str:
        return _key("movement", self.country.iso2, self.kind, self.date.isoformat(), self.contingent.lower())

    @property
    def report_key(self) -> str:
        """What one set of sources says on one date about one movement; its figure may be corrected."""
        return _key("report", self.movement_key, self.reported_on.isoformat(), self.provenance.references)


@dataclass(frozen=True)
class PledgeRecord:
    country: Country
    date: dt.date
    date_precision: str
    personnel: int | None
    provenance: Provenance

    @property
    def key(self) -> str:
        return _key("pledge", self.country.iso2, self.date.isoformat(), self.provenance.references)


@dataclass(frozen=True)
class AuthorisationRecord:
    date: dt.date
    date_precision: str
    instrument: str
    ceiling: int | None
    provenance: Provenance

    @property
    def key(self) -> str:
        return _key("authorisation", self.date.isoformat(), self.instrument.lower(), self.provenance.references)


StrengthRecord = MovementRecord | PledgeRecord | AuthorisationRecord


def updatable_fields(record: StrengthRecord) -> dict[str, object]:
    """What a re-import of the same source row may change in place: the figures and the metadata."""
    provenance = record.provenance
    common: dict[str, object] = {"sensitivity": int(provenance.sensitivity), "confidence": provenance.confidence}
    if isinstance(record, MovementRecord):
        return common | {
            "note": provenance.description,
            "personnel": record.personnel,
            "reported_total": record.reported_total,
        }
    if isinstance(record, PledgeRecord):
        return common | {"description": provenance.description, "personnel": record.personnel}
    return common | {"description": provenance.description, "ceiling": record.ceiling}


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# --- field parsers: each raises ValueError with a reason a user can act on -------------------


# Missions, pledges and mandates fall within these years; anything outside is a typo.
EARLIEST = dt.date(1945, 1, 1)
LATEST = dt.date(2100, 12, 31)


def parse_date(text: str) -> dt.date:
    if not text:
        raise ValueError("a date is required (YYYY-MM-DD)")
    problem = f"{text!r} is not a valid date (expected YYYY-MM-DD)"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError(problem)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(problem) from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{text!r} is outside {EARLIEST.year}–{LATEST.year}")
    return day


def parse_count(text: str) -> int:
    cleaned = text.replace(",", "").replace("_", "").strip()
    if not re.fullmatch(r"-?[0-9]+", cleaned):
        raise ValueError(f"{text!r} is not a whole number")
    if len(cleaned.lstrip("-0")) > 8:  # past 10,000,000 either way; int() stops at 4,300 digits
        raise ValueError(f"{text!r} is implausibly large")
    number = int(cleaned)
    if number < 0:
        raise ValueError(f"{text!r} is negative; personnel counts are 0 or more")
    if number > 10_000_000:
        raise ValueError(f"{text!r} is implausibly large")
    return number


def parse_optional_count(text: str) -> int | None:
    return None if not text else parse_count(text)


def parse_required_count(text: str) -> int:
    if not text:
        raise ValueError("a personnel count is required for this record")
    return parse_count(text)


def parse_choice(text: str, options: tuple[str, ...], default: str) -> str:
    value = text.strip().lower() or default
    if not value:
        raise ValueError(f"a value is required; use one of: {', '.join(options)}")
    if value not in options:
        raise ValueError(f"{text!r} is not one of: {', '.join(options)}")
    return value


def parse_yes_no(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in {"yes", "y", "true", "1"}:
        return True
    if value in {"no", "n", "false", "0"}:
        return False
    raise ValueError(f"{text!r} is not yes or no")


@lru_cache(maxsize=512)
def parse_country(text: str) -> Country:
    if not text:
        raise ValueError("a country is required (ISO 3166 code or English name)")
    try:
        found = pycountry.countries.lookup(text.strip())
    except LookupError:
        raise ValueError(f"{text!r} is not a country known to ISO 3166") from None
    return Country(iso2=found.alpha_2, iso3=found.alpha_3, name=getattr(found, "common_name", found.name))


def parse_sources(text: str) -> tuple[Citation, ...]:
    citations = tuple(parse_citations(text))
    if not citations:
        raise ValueError("every record needs at least one source")
    return citations


RESOLUTION = re.compile(r"resolution\s+(\d{3,5})", re.IGNORECASE)


def instrument_from(description: str) -> str:
    match = RESOLUTION.search(description)
    return f"resolution {match.group(1)}" if match else ""
