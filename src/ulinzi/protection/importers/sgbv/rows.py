"""Read an SGBV counts CSV into typed rows, refusing anything that could be survivor-level data.

Framework-free: the header and cell checks need no database; P-codes are checked against the
loaded areas by ``importer``. The file must hold exactly the columns in ``COLUMNS``. A column that
looks like a name, contact detail, exact place or date, free text or the contributing organisation
is refused with a message saying why; any other unknown column is refused too, since a column of
free text can hide under any name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ulinzi.importing.csvrows import CsvRow, CsvSource, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.fields import whole_number
from ulinzi.protection.gbvims import AGE_BANDS, PERPETRATOR_TYPES, SEX_BANDS, VIOLENCE_TYPES

COLUMNS = ("month", "pcode", "violence_type", "age_band", "sex_band", "perpetrator_type", "count")
MAX_COUNT = 100_000

# Words that mark survivor-level or contributor data, matched as whole words of a column name
# (``survivor_name`` and ``Phone number`` both match). The format's own columns never match, so
# ``age_band`` is accepted while ``age`` is refused.
SURVIVOR_LEVEL_WORDS = frozenset(
    {
        # who: names and identifiers of people and cases
        "name", "names", "firstname", "lastname", "surname", "nickname", "alias", "initials",
        "survivor", "survivors", "victim", "victims", "client", "patient", "person", "case",
        "caseid", "id", "code", "dob", "birth", "birthdate", "birthday", "nationality", "ethnicity",
        # how to reach them
        "phone", "telephone", "tel", "mobile", "cell", "email", "mail", "contact", "whatsapp",
        # where, exactly
        "address", "street", "house", "village", "neighbourhood", "neighborhood", "camp", "site",
        "location", "place", "gps", "latitude", "longitude", "lat", "lon", "lng", "long",
        "coordinates", "coordinate", "coords", "geometry", "geom", "point", "x", "y", "easting",
        "northing",
        # when, exactly
        "date", "day", "time", "datetime", "timestamp",
        # free text
        "narrative", "notes", "note", "comment", "comments", "description", "story", "details",
        "remarks", "summary", "text", "account", "statement", "testimony",
        # who recorded it (GBVIMS: contributor identity never leaves its organisation)
        "organisation", "organization", "org", "agency", "partner", "contributor", "reporter",
        "caseworker", "worker", "staff", "provider", "facility",
        # exact age instead of a band
        "age", "years",
    }
)  # fmt: skip
# Also refused when run together with other words (``survivorname``, ``phonenumber``).
SURVIVOR_LEVEL_STEMS = ("survivor", "victim", "phone", "narrative", "address", "latitude", "longitude", "name")
WORD = re.compile(r"[a-z0-9]+")
MONTH_CELL = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?")
PCODE = re.compile(r"[A-Z]{2,3}[A-Z0-9-]{0,17}")
REFUSAL = (
    "looks like survivor-level data (a name, contact, exact place or date, free text or the recording "
    "organisation); Ulinzi accepts only de-identified counts per month, commune and GBVIMS category "
    "(docs/protection.md)"
)


@dataclass(frozen=True)
class SgbvRow:
    line: int
    month: dt.date
    pcode: str
    violence_type: str
    age_band: str
    sex_band: str
    perpetrator_type: str
    count: int

    @property
    def bands(self) -> tuple[str, str, str, str]:
        return self.violence_type, self.age_band, self.sex_band, self.perpetrator_type


def looks_survivor_level(column: str) -> bool:
    """Whether a column name suggests data about a person rather than a count.

    >>> [looks_survivor_level(c) for c in ("Survivor Name", "lat", "phonenumber", "age", "age_band", "count")]
    [True, True, True, True, False, False]
    """
    lowered = column.strip().lower()
    if lowered in COLUMNS:
        return False
    words = WORD.findall(lowered)
    joined = "".join(words)
    return any(word in SURVIVOR_LEVEL_WORDS for word in words) or any(stem in joined for stem in SURVIVOR_LEVEL_STEMS)


def check_header(source: CsvSource) -> None:
    """Refuse a header with survivor-level, unknown, repeated or missing columns, each named."""
    errors = [RowError(source.name, 1, column, REFUSAL) for column in source.columns if looks_survivor_level(column)]
    refused = {error.field for error in errors}
    for column in source.columns:
        if column not in COLUMNS and column not in refused:
            reason = "unknown column; an SGBV file holds only " + ", ".join(COLUMNS) + " (free text is never accepted)"
            errors.append(RowError(source.name, 1, column or "(empty)", reason))
    if not errors:
        source.check_header(COLUMNS, COLUMNS)  # refuses a repeated column
    errors += [
        RowError(source.name, 1, column, "required column is missing")
        for column in COLUMNS
        if column not in source.columns
    ]
    if errors:
        raise ImportRejected(errors)


def month_parser(today: dt.date) -> Callable[[str], dt.date]:
    """``2024-03`` or ``2024-03-01``; another day, or a month after ``today``'s, is refused.

    >>> month_parser(dt.date(2025, 1, 9))("2024-03")
    datetime.date(2024, 3, 1)
    """
    latest = today.replace(day=1)

    def parse(text: str) -> dt.date:
        match = MONTH_CELL.fullmatch(text.strip())
        if match is None or not 1 <= int(match["month"]) <= 12:
            raise ValueError(f"{text!r} is not a month (YYYY-MM)")
        if match["day"] not in (None, "01"):
            raise ValueError(f"{text!r} is an exact date; give the month only (YYYY-MM): exact dates are not kept")
        month = dt.date(int(match["year"]), int(match["month"]), 1)
        if month > latest:
            raise ValueError(f"{text!r} is in the future")
        return month

    return parse


def parse_pcode(text: str) -> str:
    """A P-code, upper-cased; a point or anything finer than a code is refused.

    >>> parse_pcode(" ht0111 ")
    'HT0111'
    """
    cleaned = text.strip().upper()
    if re.search(r"\d[.,]\d|[;,]\s*-?\d", cleaned):
        raise ValueError(f"{text!r} looks like coordinates; give the commune's P-code, never a point")
    if not PCODE.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not a P-code")
    return cleaned


def read_rows(source: CsvSource, today: dt.date) -> Iterator[SgbvRow | RowError]:
    parse_month_cell = month_parser(today)
    parse_count = whole_number(0, MAX_COUNT)
    for item in source.rows():
        if isinstance(item, RowError):
            yield item
            continue
        yield from _row(item, parse_month_cell, parse_count)


def _row(
    row: CsvRow, parse_month_cell: Callable[[str], dt.date], parse_count: Callable[[str], int]
) -> Iterator[SgbvRow | RowError]:
    reader = RowReader(row)
    parsed = SgbvRow(
        line=row.line,
        month=reader.value("month", parse_month_cell),
        pcode=reader.value("pcode", parse_pcode),
        violence_type=reader.value("violence_type", VIOLENCE_TYPES.parse),
        age_band=reader.value("age_band", AGE_BANDS.parse),
        sex_band=reader.value("sex_band", SEX_BANDS.parse),
        perpetrator_type=reader.value("perpetrator_type", PERPETRATOR_TYPES.parse),
        count=reader.value("count", parse_count),
    )
    try:
        reader.check()
    except RowInvalid as invalid:
        yield from (row.error(error.field, error.reason) for error in invalid.errors)
        return
    yield parsed
