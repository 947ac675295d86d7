"""The month a situation report covers, read from ``YYYY-MM`` as people type it.

Framework-free, so the command line can check ``--period`` before Django is set up, and the page,
the command and the tests refuse the same inputs with the same words.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR = 1990  # nothing the mission records happened before; a typo like 0202-01 is caught


class BadPeriod(ValueError):
    """A period that is not a month a report can cover; the message says what to write instead."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def code(self) -> str:
        """``2025-01``: how the command line, the address and file names write it."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def name(self) -> str:
        """``January 2025``, whatever the server's locale."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def until(self, today: date) -> date:
        """The last day the report can speak of: the month's last day, or today in the current month."""
        return min(self.last, max(today, self.first))

    def is_complete(self, today: date) -> bool:
        return self.last < today

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def spoken(day: date) -> str:
    """``3 January 2025``: a date as the report writes it, whatever the server's locale.

    >>> spoken(date(2025, 1, 3))
    '3 January 2025'
    """
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def parse_month(text: str, today: date | None = None) -> Month:
    """The month ``YYYY-MM`` names; BadPeriod for anything else, or for a month not yet begun.

    >>> parse_month("2025-01").last
    datetime.date(2025, 1, 31)
    >>> parse_month("2025-1")
    Traceback (most recent call last):
    ...
    ulinzi.reports.period.BadPeriod: period: '2025-1' is not a month; write YYYY-MM, e.g. 2025-01
    """
    cleaned = text.strip()
    found = MONTH_PATTERN.fullmatch(cleaned) if cleaned.isascii() else None
    if found is None:
        raise BadPeriod(f"period: {cleaned[:20]!r} is not a month; write YYYY-MM, e.g. 2025-01")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        raise BadPeriod(f"period: {cleaned!r} has no month {month}; months run from 01 to 12")
    if year < FIRST_YEAR:
        raise BadPeriod(f"period: {cleaned!r} is before {FIRST_YEAR}; check the year")
    chosen = Month(year, month)
    if today is not None and chosen.first > today:
        raise BadPeriod(f"period: {chosen.name} has not begun (today is {today.isoformat()})")
    return chosen
