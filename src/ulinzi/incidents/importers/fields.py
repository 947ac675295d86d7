"""Cell parsers every event importer shares: dates as event datasets write them, actor names,
row ids. Each raises ValueError with a reason the user can act on."""

from __future__ import annotations

import re
from datetime import date, datetime

from ulinzi.importing.csvrows import RowReader
from ulinzi.importing.errors import FieldError
from ulinzi.importing.fields import whole_number

MAX_FATALITIES = 100_000
DATE_PATTERNS = ("%Y-%m-%d", "%d %B %Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S")


def event_date(text: str) -> date:
    """ACLED writes ``2024-03-01`` (``01 March 2024`` in older files); UCDP adds a time of day.

    >>> event_date("01 March 2024"), event_date("2024-03-01 00:00:00.000")
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    """
    cleaned = text.strip()
    if len(cleaned) == 10:
        try:
            return date.fromisoformat(cleaned)  # the common case, ten times faster than strptime
        except ValueError:
            pass
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or '01 March 2024')")


def row_id(text: str) -> str:
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 70 or not re.fullmatch(r"[A-Za-z0-9_\-.]+", cleaned):
        raise ValueError(f"{text!r} is not a row id (letters, digits, '_', '-', '.'; at most 70)")
    return cleaned


def actor_name(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("an actor name is required")
    if len(cleaned) > 200:
        raise ValueError("longer than 200 characters")
    return cleaned


def fatality_range(
    reader: RowReader, best: int | None, best_column: str, low_column: str, high_column: str
) -> tuple[int, int]:
    """The low and high estimates around ``best`` (UCDP's low/high, HXL's +min/+max): an empty
    one is ``best`` itself; an order other than low ≤ best ≤ high is a problem of ``best_column``."""
    low = reader.value(low_column, whole_number(0, MAX_FATALITIES, default=-1))
    high = reader.value(high_column, whole_number(0, MAX_FATALITIES, default=-1))
    if best is None or low is None or high is None:
        return 0, 0
    low = best if low < 0 else low
    high = best if high < 0 else high
    if not low <= best <= high:
        reader.errors.append(
            FieldError(best_column, f"low {low}, best {best}, high {high}: expected low ≤ best ≤ high")
        )
    return low, high
