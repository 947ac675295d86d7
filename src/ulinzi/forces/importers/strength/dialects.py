"""The two strength CSV dialects: which columns each has, and how a row becomes a record.

Parsers read every cell through a ``RowReader`` so one pass reports every problem in a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.importers.strength.records import (
    CONFIDENCES,
    MOVEMENT_KINDS,
    PRECISIONS,
    ROLES,
    AuthorisationRecord,
    MovementRecord,
    PledgeRecord,
    Provenance,
    StrengthRecord,
    instrument_from,
    parse_choice,
    parse_country,
    parse_date,
    parse_optional_count,
    parse_required_count,
    parse_sources,
    parse_yes_no,
)
from ulinzi.importing.csvrows import RowReader


@dataclass(frozen=True)
class Dialect:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    parse: Callable[[RowReader, Sensitivity], StrengthRecord]

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


def _one_of(options: tuple[str, ...], default: str = "") -> Callable[[str], str]:
    return lambda text: parse_choice(text, options, default)


def _provenance(reader: RowReader, default_sensitivity: Sensitivity) -> Provenance:
    sensitivity = default_sensitivity
    if reader.text("sensitivity"):
        sensitivity = reader.value("sensitivity", Sensitivity.parse)
    return Provenance(
        line=reader.row.line,
        citations=reader.value("sources", parse_sources),
        description=reader.text("description"),
        confidence=reader.value("confidence", _one_of(CONFIDENCES, "medium")),
        sensitivity=sensitivity,
    )


# --- the Ulinzi template ---------------------------------------------------------------------


def parse_template_row(reader: RowReader, default_sensitivity: Sensitivity) -> StrengthRecord:
    record = reader.value("record", _one_of(("movement", "pledge", "authorisation")))
    day = reader.value("date", parse_date)
    precision = reader.value("date_precision", _one_of(PRECISIONS, "day"))
    provenance = _provenance(reader, default_sensitivity)
    if record == "authorisation":
        ceiling = reader.value("ceiling", parse_optional_count)
        reader.check()
        instrument = reader.text("instrument") or instrument_from(provenance.description)
        return AuthorisationRecord(day, precision, instrument[:200], ceiling, provenance)
    country = reader.value("country", parse_country)
    if record == "pledge":
        personnel = reader.value("personnel", parse_optional_count)
        reader.check()
        return PledgeRecord(country, day, precision, personnel, provenance)
    movement_date = reader.value("movement_date", parse_date) if reader.text("movement_date") else day
    kind = reader.value("kind", _one_of(MOVEMENT_KINDS))
    personnel = reader.value("personnel", parse_required_count)
    reported_total = reader.value("reported_total", parse_optional_count)
    preferred = reader.value("preferred", parse_yes_no)
    role = reader.value("role", _one_of(ROLES, "police"))
    reader.check()
    return MovementRecord(
        country=country,
        kind=kind,
        date=movement_date,
        # date_precision describes this report's date; a movement_date given beside it is exact
        date_precision="day" if reader.text("movement_date") else precision,
        reported_on=day,
        personnel=personnel,
        reported_total=reported_total,
        preferred=preferred,
        contingent=reader.text("contingent")[:200],
        role=role,
        provenance=provenance,
    )


TEMPLATE = Dialect(
    name="ulinzi-template",
    required=("record", "date", "country", "personnel", "sources"),
    optional=(
        "date_precision",
        "kind",
        "movement_date",
        "contingent",
        "role",
        "reported_total",
        "preferred",
        "instrument",
        "ceiling",
        "confidence",
        "description",
        "sensitivity",
    ),
    parse=parse_template_row,
)


# --- the MSS timeline ------------------------------------------------------------------------

# In the timeline, "departure" is a contingent leaving its home country for the mission, so it
# adds personnel; the arrival is dated by that departure (docs/importing.md explains the mapping).
TIMELINE_EVENTS = ("arrival", "departure", "pledge", "authorisation")


def parse_timeline_row(reader: RowReader, default_sensitivity: Sensitivity) -> StrengthRecord:
    event = reader.value("event_type", _one_of(TIMELINE_EVENTS))
    day = reader.value("date", parse_date)
    precision = reader.value("date_precision", _one_of(PRECISIONS, "day"))
    provenance = _provenance(reader, default_sensitivity)
    if event == "authorisation":
        reader.check()
        return AuthorisationRecord(day, precision, instrument_from(provenance.description), None, provenance)
    country = reader.value("country", parse_country)
    if event == "pledge":
        personnel = reader.value("personnel_arrived", parse_optional_count)
        reader.check()
        return PledgeRecord(country, day, precision, personnel, provenance)
    personnel = reader.value("personnel_arrived", parse_required_count)
    reported_total = reader.value("cumulative_reported", parse_optional_count)
    reader.check()
    return MovementRecord(
        country=country,
        kind="arrival",
        date=day,
        date_precision="approx" if event == "departure" and precision == "day" else precision,
        reported_on=day,
        personnel=personnel,
        reported_total=reported_total,
        preferred=None,
        contingent="",
        role="police",
        provenance=provenance,
    )


MSS_TIMELINE = Dialect(
    name="mss-timeline",
    required=("date", "event_type", "country", "personnel_arrived", "sources"),
    optional=("date_precision", "cumulative_reported", "description", "confidence", "sensitivity"),
    parse=parse_timeline_row,
)

DIALECTS = (TEMPLATE, MSS_TIMELINE)


def detect_dialect(columns: tuple[str, ...]) -> Dialect | None:
    if "event_type" in columns:
        return MSS_TIMELINE
    if "record" in columns:
        return TEMPLATE
    return None
