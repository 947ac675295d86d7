"""A candidate's record as the fields a reviewer edits, and the highlighted text they check it against.

Framework-free: the review service, the API and the page all read a candidate through these
functions, so a field is named, typed and validated the same way wherever it is edited. Field
names are the JSON record's (``intake.extraction.records``), a nested value named by its path
(``location.pcode``, ``fatalities.best``), so what ``ulinzi extract`` prints is what the form
shows and what ``edits`` sends.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ulinzi.intake.extraction.records import METRICS, MOVEMENTS, QUALIFIERS

Type = Literal["text", "int", "number", "date", "choice", "actors"]
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
PRECISION_OF_WIDTH = {4: "year", 7: "month", 10: "day"}
MAX_TEXT = 200


class EditRefused(ValueError):
    """An edit (or a missing value) that stops the record being made; ``field`` names the input."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Spec:
    name: str
    type: Type
    label: str
    choices: tuple[str, ...] = ()


PLACE = (
    Spec("location.name", "text", "Place"),
    Spec("location.pcode", "text", "P-code"),
    Spec("location.lat", "number", "Latitude"),
    Spec("location.lon", "number", "Longitude"),
)
FIELDS: dict[str, tuple[Spec, ...]] = {
    "event": (
        Spec("event_type", "text", "Event type (ACLED)"),
        Spec("sub_event_type", "text", "Sub-event type"),
        Spec("date", "date", "Date (YYYY-MM-DD or YYYY-MM)"),
        *PLACE,
        Spec("actors", "actors", "Actors (separated by ;)"),
        Spec("fatalities.low", "int", "Killed, low"),
        Spec("fatalities.best", "int", "Killed, best"),
        Spec("fatalities.high", "int", "Killed, high"),
        Spec("injured", "int", "Injured"),
        Spec("kidnapped", "int", "Kidnapped"),
    ),
    "deployment": (
        Spec("country", "text", "Country"),
        Spec("movement", "choice", "Movement", MOVEMENTS),
        Spec("personnel", "int", "Personnel"),
        Spec("qualifier", "choice", "Qualifier", QUALIFIERS),
        Spec("unit", "text", "Unit"),
        Spec("date", "date", "Date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        Spec("location.name", "text", "Place"),
    ),
    "claim": (
        Spec("metric", "choice", "Metric", METRICS),
        Spec("value", "number", "Figure"),
        Spec("qualifier", "choice", "Qualifier", QUALIFIERS),
        Spec("unit", "text", "Unit"),
        Spec("area", "text", "Area as written"),
        Spec("location.pcode", "text", "Area P-code"),
        Spec("date", "date", "Date (for one date)"),
        Spec("period.start", "date", "Period start"),
        Spec("period.end", "date", "Period end"),
        Spec("actors", "actors", "Attributed to (separated by ;)"),
        Spec("speaker", "text", "Speaker"),
    ),
}
# Not part of the extracted record: which registry entry a movement belongs to, chosen by the reviewer.
CONTINGENT = "contingent"


@dataclass(frozen=True)
class FieldValue:
    """One input of the review form, its value as text."""

    spec: Spec
    value: str

    @property
    def name(self) -> str:
        return self.spec.name


def get(record: Mapping[str, Any], name: str) -> Any:
    """The value at a dotted path, None where any step is missing."""
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def fields_of(kind: str, record: Mapping[str, Any]) -> list[FieldValue]:
    """The form's inputs for a record, each showing the stored value as a person would type it."""
    return [FieldValue(spec, as_text(spec, get(record, spec.name))) for spec in FIELDS.get(kind, ())]


def as_text(spec: Spec, value: Any) -> str:
    if value is None:
        return ""
    if spec.type == "actors":
        return "; ".join(str(one) for one in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def flatten(edits: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"location": {"pcode": "X"}}`` and ``{"location.pcode": "X"}`` say the same thing."""
    flat: dict[str, Any] = {}
    for key, value in edits.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat |= flatten(value, f"{name}.")
        else:
            flat[name] = value
    return flat


def apply_edits(kind: str, record: Mapping[str, Any], edits: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The record with the edits applied, and the names of the fields whose value changed.

    Every edit is checked before any is applied; an unknown name or a value of the wrong kind
    raises ``EditRefused`` naming the field. An empty string clears a field. Editing ``date``
    sets its precision from what was written and drops a period; editing the period does the
    reverse, so the record never holds two answers to "when".
    """
    specs = {spec.name: spec for spec in FIELDS.get(kind, ())}
    wanted = flatten(edits)
    wanted.pop(CONTINGENT, None)
    parsed: dict[str, Any] = {}
    for name, raw in wanted.items():
        spec = specs.get(name)
        if spec is None:
            raise EditRefused(name, f"not a field of a {kind} candidate ({', '.join(specs) or 'none'})")
        parsed[name] = parse(spec, raw)
    out = copy.deepcopy(dict(record))
    changed = [name for name, value in parsed.items() if value != get(record, name)]
    for name in changed:
        _put(out, name, parsed[name])
    if "date" in changed:
        out["date_precision"] = PRECISION_OF_WIDTH[len(out["date"])] if out.get("date") else None
        if out.get("date"):
            out["period"] = None
    if any(name.startswith("period.") for name in changed):
        period = out.get("period") or {}
        if period.get("start") or period.get("end"):
            out["date"], out["date_precision"] = None, "range"
    return out, changed


def _put(record: dict[str, Any], name: str, value: Any) -> None:
    *parents, last = name.split(".")
    target = record
    for part in parents:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[last] = value


def parse(spec: Spec, raw: Any) -> Any:
    """The typed value of one input; None for an empty one."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return [] if spec.type == "actors" else None
    if spec.type == "actors":
        names = raw if isinstance(raw, list) else str(raw).split(";")
        return [_text(spec, name) for name in names if str(name).strip()]
    if spec.type == "int":
        return _integer(spec, raw)
    if spec.type == "number":
        return _number(spec, raw)
    text = _text(spec, raw)
    if spec.type == "date":
        return iso_date(spec.name, text)
    if spec.type == "choice" and text not in spec.choices:
        raise EditRefused(spec.name, f"{text!r} is not one of {', '.join(spec.choices)}")
    return text


def _text(spec: Spec, raw: Any) -> str:
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise EditRefused(spec.name, "expected text")
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise EditRefused(spec.name, f"at most {MAX_TEXT} characters")
    return text


def _integer(spec: Spec, raw: Any) -> int:
    if isinstance(raw, bool):
        raise EditRefused(spec.name, "expected a whole number")
    try:
        value = int(raw.strip()) if isinstance(raw, str) else int(raw)
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise EditRefused(spec.name, f"{raw!r} is not a whole number") from None
    if not 0 <= value <= 10_000_000:
        raise EditRefused(spec.name, "expected a whole number from 0 to 10,000,000")
    return value


def _number(spec: Spec, raw: Any) -> float:
    if isinstance(raw, bool):
        raise EditRefused(spec.name, "expected a number")
    try:
        value = float(raw.strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise EditRefused(spec.name, f"{raw!r} is not a number") from None
    if not math.isfinite(value):
        raise EditRefused(spec.name, f"{raw!r} is not a finite number")
    limit = {"location.lat": 90.0, "location.lon": 180.0}.get(spec.name)
    if limit is not None and abs(value) > limit:
        raise EditRefused(spec.name, f"must lie between -{limit:g} and {limit:g}")
    if limit is None and value < 0:
        raise EditRefused(spec.name, "must be zero or more")
    return value


def iso_date(field: str, text: str) -> str:
    """A date cut to its precision (``2025``, ``2025-01``, ``2025-01-19``), checked to exist."""
    if not ISO_DATE.match(text):
        raise EditRefused(field, f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    parts = [int(part) for part in text.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        raise EditRefused(field, f"{text!r} is not a real date") from None
    return text


def first_day(text: str) -> date:
    """The first day of an ISO date cut to its precision."""
    parts = [int(part) for part in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Segment:
    """A run of the document text, marked when an evidence span covers it."""

    text: str
    marked: bool


def segments(text: str, spans: Iterable[tuple[int, int]]) -> list[Segment]:
    """The text cut at the evidence offsets, overlapping or touching spans joined into one mark.

    Offsets, not the quoted words, place the marks: a quote that also appears elsewhere in the text
    is marked only where the extractor found it. A span outside the text is ignored (the queue
    stores none, but a page must not fail on one).

    >>> [(s.text, s.marked) for s in segments("over 5,000 killed", [(11, 17), (0, 4)])]
    [('over', True), (' 5,000 ', False), ('killed', True)]
    """
    merged: list[list[int]] = []
    for start, end in sorted((s, e) for s, e in spans if 0 <= s < e <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[Segment] = []
    at = 0
    for start, end in merged:
        if start > at:
            out.append(Segment(text[at:start], False))
        out.append(Segment(text[start:end], True))
        at = end
    if at < len(text):
        out.append(Segment(text[at:], False))
    return out


def evidence_spans(record: Mapping[str, Any]) -> list[tuple[int, int]]:
    spans = record.get("evidence") or []
    return [(int(span["start"]), int(span["end"])) for span in spans if isinstance(span, Mapping)]


def summary(kind: str, record: Mapping[str, Any]) -> str:
    """One line for the queue: what the candidate says, in the record's own terms."""
    when = record.get("date") or "–".join(filter(None, [get(record, "period.start"), get(record, "period.end")]))
    place = get(record, "location.name") or record.get("area") or ""
    if kind == "event":
        what = record.get("sub_event_type") or record.get("event_type") or "event"
    elif kind == "deployment":
        what = f"{record.get('country') or '?'} {record.get('movement') or ''} {record.get('personnel') or ''}"
    else:
        what = f"{record.get('metric') or '?'} {as_text(Spec('value', 'number', ''), record.get('value'))}"
    return " · ".join(part.strip() for part in (what, str(place), str(when or "")) if str(part).strip())
