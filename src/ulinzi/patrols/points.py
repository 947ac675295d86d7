"""The track point every reader yields, and the value checks all track formats share.

Every reader stops at the first bad value with one ``ImportRejected`` naming file, line and
field: a track is a sequence, so a hole in it would silently bend effort and replay.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import NamedTuple, NoReturn

from ulinzi.importing.errors import ImportRejected, RowError

MAX_DEVICE_CHARS = 100


class TrackPoint(NamedTuple):
    """One position fix. A NamedTuple, not a dataclass: imports build millions of them, and a
    frozen dataclass costs three times as much to create."""

    time: datetime
    lat: float
    lon: float
    device: str
    accuracy_m: float | None
    line: int


def reject(file: str, line: int, field: str, reason: str) -> NoReturn:
    raise ImportRejected([RowError(file, line, field, reason)])


def utc_time(text: str, *, naive_is_utc: bool = False) -> datetime:
    """An ISO 8601 time as an aware UTC datetime.

    A time without an offset is refused unless the format itself says it is UTC (GPX does):
    guessing the zone would shift a patrol by hours.

    >>> utc_time("2025-06-25T14:00:00-04:00").isoformat()
    '2025-06-25T18:00:00+00:00'
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("missing")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{cleaned[:40]!r} is not an ISO 8601 time") from None
    if value.tzinfo is None:
        if not naive_is_utc:
            raise ValueError(f"{cleaned[:40]!r} has no UTC offset (add 'Z' or '+00:00')")
        return value.replace(tzinfo=UTC)
    if value.tzinfo is UTC:
        return value
    return value.astimezone(UTC)


def latitude(text: str | float) -> float:
    return _bounded(text, 90.0)


def longitude(text: str | float) -> float:
    return _bounded(text, 180.0)


def _bounded(raw: str | float, limit: float) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{str(raw)[:40]!r} is not a number") from None
    if not -limit <= value <= limit:  # NaN fails too
        raise ValueError(f"{value!r} is outside ±{limit:g}")
    return value


def accuracy(raw: str | float | None) -> float | None:
    """Horizontal accuracy in metres; empty means unknown, never zero."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{str(raw)[:40]!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{value!r} is not a distance in metres")
    return value


def device_name(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("missing")
    cleaned = raw.strip()
    if len(cleaned) > MAX_DEVICE_CHARS:
        raise ValueError(f"longer than {MAX_DEVICE_CHARS} characters")
    if not cleaned.isprintable():
        raise ValueError("contains control characters")
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid UTF-8 text") from None
    return cleaned
