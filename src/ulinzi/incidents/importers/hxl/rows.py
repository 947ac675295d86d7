"""Read HXL-tagged event tables with the HXL reference library, without touching the database.

HXL names columns by a hashtag row under (or instead of) the human header, so a column is
found by its tag and attributes, not by its header text: ``#affected+killed`` is the best
fatality figure and ``#affected+killed+min`` its low estimate, whatever the headers say. Each
field lists the tag patterns it accepts, most specific first; the first column matching one is
used. Rows without an ``#event+id``/``#event+code`` column are keyed by a digest of their cells,
so re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hxl

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import MAX_FIELD_CHARS, CsvRow, RowInvalid, RowReader
from ulinzi.importing.errors import FieldError, ImportRejected, RowError
from ulinzi.importing.fields import coordinate, whole_number
from ulinzi.incidents import taxonomy
from ulinzi.incidents.importers.fields import MAX_FATALITIES, actor_name, event_date, fatality_range, row_id
from ulinzi.incidents.importers.records import EventRecord

# field -> tag patterns, most specific first (HXL pattern syntax: +attribute required, -attribute excluded)
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("#event+id", "#event+code"),
    "event_date": ("#date+occurred", "#date+start", "#date-year-end-reported-precision"),
    "time_precision": ("#date+precision",),
    "disorder_type": ("#event+type+disorder",),
    "event_type": ("#event+type-sub-disorder",),
    "sub_event_type": ("#event+type+sub", "#event+subtype"),
    "actor1": ("#group+name+actor1", "#group+name+first", "#org+name+actor1"),
    "actor2": ("#group+name+actor2", "#group+name+second", "#org+name+actor2"),
    "assoc_actor_1": ("#group+name+assoc1",),
    "assoc_actor_2": ("#group+name+assoc2",),
    "country": ("#country+name",),
    "admin1": ("#adm1+name",),
    "admin2": ("#adm2+name",),
    "admin3": ("#adm3+name",),
    "location": ("#loc+name",),
    "latitude": ("#geo+lat",),
    "longitude": ("#geo+lon",),
    "geo_precision": ("#geo+precision",),
    "fatalities": ("#affected+killed-min-max", "#affected+killed"),
    "fatalities_low": ("#affected+killed+min",),
    "fatalities_high": ("#affected+killed+max",),
    "civilian_targeting": ("#event+civilians", "#affected+civilians+targeted"),
    "source": ("#meta+source",),
    "notes": ("#description",),
    "tags": ("#meta+tags",),
}
REQUIRED = ("event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude", "fatalities")
# Codes and years are derivable from what the store keeps (P-codes come from each point), so
# these tags are recognised and not reported as ignored.
RECOGNISED = ("#country+code", "#adm1+code", "#adm2+code", "#adm3+code", "#date+year")


@dataclass(frozen=True)
class HxlColumns:
    """Which column index holds each field, and what the file carries that is not used."""

    index: dict[str, int]
    tags: dict[str, str]  # field -> the column's own tag, so errors name what the user wrote
    ignored: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in REQUIRED if name not in self.index)


class HxlSource:
    """An HXL file opened for streaming by the HXL library, its hashtag row located and checked."""

    def __init__(self, path: Path, display_name: str | None = None) -> None:
        self.name = display_name or path.name
        self.size = path.stat().st_size
        self._file = path.open("rb")
        options = hxl.InputOptions(allow_local=True, encoding="utf-8")
        try:
            # Read as CSV only, as documented: given a file name, libhxl sniffs the bytes and opens
            # zip, Excel and JSON too, and its CSV delimiter guess can raise csv.Error.
            self.dataset: Any = hxl.data(hxl.input.CSVInput(self._file, options), options)
            columns = list(self.dataset.columns)
        except (hxl.HXLException, csv.Error) as error:
            self._file.close()
            raise ImportRejected([RowError(self.name, 1, "hashtag row", _describe(error))]) from None
        except UnicodeDecodeError:
            self._file.close()
            raise ImportRejected([RowError(self.name, 1, "file", "not valid UTF-8 text")]) from None
        self.tags = tuple(column.display_tag or f"column {i + 1}" for i, column in enumerate(columns))
        self.layout = _locate(columns)
        self.columns = ("id", *(name for name in FIELDS if name in self.layout.index and name != "id"))
        missing = self.layout.missing
        if missing:
            self.close()
            raise ImportRejected(
                [RowError(self.name, 1, name, f"no column tagged {' or '.join(FIELDS[name])}") for name in missing]
            )

    def close(self) -> None:
        self.dataset.__exit__(None, None, None)
        self._file.close()

    def __enter__(self) -> HxlSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def rows(self) -> Iterator[tuple[CsvRow | RowError, int]]:
        """Each data row as a CsvRow keyed by field name, with the bytes read so far (roughly)."""
        read, line = 0, 1
        try:
            for row in self.dataset:
                values: list[str] = ["" if value is None else str(value) for value in row.values]
                read += sum(len(value) + 1 for value in values)
                line = int(row.source_row_number) + 1
                if not any(value.strip() for value in values):
                    continue
                problem = self._cell_problem(line, values)
                if problem is not None:
                    yield problem, read
                    continue
                cells = {name: values[i] if i < len(values) else "" for name, i in self.layout.index.items()}
                if "id" not in cells:
                    cells["id"] = hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]
                yield CsvRow(self.name, line, cells), read
        except (hxl.HXLException, csv.Error) as error:
            # the reader stopped inside the row after the last one it returned
            yield RowError(self.name, line + 1, "row", _describe(error)), read

    def _cell_problem(self, line: int, values: list[str]) -> RowError | None:
        """What CsvSource refuses in any CSV row: a NUL (PostgreSQL cannot store it) or a huge cell."""
        if any("\x00" in value for value in values):
            return RowError(self.name, line, "row", "contains a NUL character")
        oversized = next((i for i, value in enumerate(values) if len(value) > MAX_FIELD_CHARS), None)
        if oversized is None:
            return None
        tag = self.tags[oversized] if oversized < len(self.tags) else f"column {oversized + 1}"
        return RowError(self.name, line, tag, f"longer than {MAX_FIELD_CHARS} characters")


def _locate(columns: list[Any]) -> HxlColumns:
    index: dict[str, int] = {}
    tags: dict[str, str] = {}
    used: set[int] = set()
    for name, patterns in FIELDS.items():
        for text in patterns:
            pattern = hxl.model.TagPattern.parse(text)
            found = next((i for i, column in enumerate(columns) if i not in used and pattern.match(column)), None)
            if found is not None:
                index[name], tags[name] = found, columns[found].display_tag
                used.add(found)
                break
    recognised = [hxl.model.TagPattern.parse(text) for text in RECOGNISED]
    ignored = tuple(
        column.display_tag or column.header or f"column {i + 1}"
        for i, column in enumerate(columns)
        if i not in used and not any(pattern.match(column) for pattern in recognised)
    )
    return HxlColumns(index=index, tags=tags, ignored=ignored)


def _describe(error: Exception) -> str:
    return f"not a readable HXL table ({error})"


def _flag(text: str) -> bool:
    cleaned = text.strip().casefold()
    if cleaned in {"", "0", "false", "no", "n"}:
        return False
    if cleaned in {"1", "true", "yes", "y", "civilian targeting"}:
        return True
    raise ValueError(f"{text!r} is not yes/no")


def parse_event(reader: RowReader, sensitivity: Sensitivity, tags: dict[str, str]) -> EventRecord:
    """The row as an event; field problems name the column's HXL tag, as the user wrote it."""
    event_id = reader.value("id", row_id)
    day = reader.value("event_date", event_date)
    kind = reader.value("event_type", taxonomy.event_type)
    sub = reader.value("sub_event_type", lambda text: taxonomy.sub_event_type(kind, text)) if kind else ""
    actor1 = reader.value("actor1", actor_name)
    latitude = reader.value("latitude", coordinate(90))
    longitude = reader.value("longitude", coordinate(180))
    geo_precision = reader.value("geo_precision", whole_number(1, 3, default=1))
    time_precision = reader.value("time_precision", whole_number(1, 3, default=1))
    best = reader.value("fatalities", whole_number(0, MAX_FATALITIES, default=0))
    targeting = reader.value("civilian_targeting", _flag)
    low, high = fatality_range(reader, best, "fatalities", "fatalities_low", "fatalities_high")
    if reader.errors:
        raise RowInvalid([FieldError(tags.get(e.field, e.field), e.reason) for e in reader.errors])
    text = reader.text
    return EventRecord(
        line=reader.row.line,
        natural_key=f"hxl:{event_id}",
        event_date=day,
        time_precision=time_precision,
        disorder_type=text("disorder_type")[:60],
        event_type=kind,
        sub_event_type=sub,
        actor1=actor1,
        assoc_actor_1=text("assoc_actor_1")[:500],
        inter1="",
        actor2=text("actor2")[:200],
        assoc_actor_2=text("assoc_actor_2")[:500],
        inter2="",
        interaction="",
        civilian_targeting=targeting,
        country=text("country")[:100],
        admin1=text("admin1")[:200],
        admin2=text("admin2")[:200],
        admin3=text("admin3")[:200],
        location=text("location")[:200],
        latitude=latitude,
        longitude=longitude,
        geo_precision=geo_precision,
        source=text("source"),
        source_scale="",
        notes=text("notes"),
        tags=text("tags")[:500],
        fatalities=best,
        fatalities_low=low,
        fatalities_high=high,
        sensitivity=sensitivity,
    )
