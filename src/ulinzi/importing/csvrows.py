"""Stream a CSV file as rows that know their line number, checking the header first."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from ulinzi.importing.errors import FieldError, ImportRejected, RowError

MAX_FIELD_CHARS = 100_000


@dataclass(frozen=True)
class CsvRow:
    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def error(self, field: str, reason: str) -> RowError:
        return RowError(self.file, self.line, field, reason)


@dataclass(frozen=True)
class CsvHeader:
    columns: tuple[str, ...]
    ignored: tuple[str, ...]
    missing: tuple[str, ...] = ()


ProgressCallback = Callable[[int], None]
T = TypeVar("T")


class CsvSource:
    """A CSV file opened for streaming; the header is read and checked on construction."""

    def __init__(self, path: Path, display_name: str | None = None) -> None:
        self.path = path
        self.name = display_name or path.name
        self.size = path.stat().st_size
        self._binary = path.open("rb")
        # surrogateescape keeps undecodable bytes so the row holding them can be named precisely
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._reader = csv.reader(self._text, strict=True)
        try:
            header = next(self._reader, None)
        except csv.Error as error:
            self.close()
            raise ImportRejected([RowError(self.name, 1, "header", _describe(error))]) from None
        if header and not _is_utf8(header):
            self.close()
            raise ImportRejected([RowError(self.name, 1, "header", "not valid UTF-8 text")])
        if not header:
            self.close()
            raise ImportRejected([RowError(self.name, 1, "header", "the file is empty; expected a header row")])
        self.columns = tuple(column.strip().lower() for column in header)

    def check_header(self, required: Sequence[str], known: Sequence[str]) -> CsvHeader:
        """Refuse duplicated columns; report missing ones without stopping, so rows still get checked."""
        duplicates = sorted({column for column in self.columns if self.columns.count(column) > 1})
        if duplicates:
            raise ImportRejected([_duplicate_column(self.name, column) for column in duplicates])
        missing = tuple(column for column in required if column not in self.columns)
        ignored = tuple(column for column in self.columns if column not in known and column)
        return CsvHeader(columns=self.columns, ignored=ignored, missing=missing)

    def header_errors(self, header: CsvHeader) -> list[RowError]:
        return [RowError(self.name, 1, column, "required column is missing") for column in header.missing]

    def rows(self, on_progress: ProgressCallback | None = None) -> Iterator[CsvRow | RowError]:
        """Yield each data row, or a RowError for a row that cannot be read as CSV."""
        width = len(self.columns)
        line = self._reader.line_num + 1
        while True:
            try:
                record = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield RowError(self.name, line, "row", _describe(error))
                return  # the rest of the file cannot be trusted once the CSV structure breaks
            start, line = line, self._reader.line_num + 1
            if on_progress is not None:
                on_progress(self._binary.tell())
            if not any(cell.strip() for cell in record):
                continue
            if not _is_utf8(record):
                yield RowError(self.name, start, "row", "not valid UTF-8 text")
                continue
            if any("\x00" in cell for cell in record):
                yield RowError(self.name, start, "row", "contains a NUL character")
                continue
            if len(record) > width:
                yield RowError(self.name, start, "row", f"{len(record)} cells but the header has {width} columns")
                continue
            oversized = next((i for i, cell in enumerate(record) if len(cell) > MAX_FIELD_CHARS), None)
            if oversized is not None:
                column = self.columns[oversized] or f"column {oversized + 1}"
                yield RowError(self.name, start, column, f"longer than {MAX_FIELD_CHARS} characters")
                continue
            yield CsvRow(self.name, start, dict(zip(self.columns, record, strict=False)))

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> CsvSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _duplicate_column(file: str, column: str) -> RowError:
    if not column:  # a blank name cannot be the field, so the problem is the header's
        return RowError(file, 1, "header", "more than one column has no name")
    return RowError(file, 1, column, "column appears more than once")


def _describe(error: Exception) -> str:
    return f"not valid CSV ({error})"


def _is_utf8(cells: list[str]) -> bool:
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class RowReader:
    """Parse a row's cells, collecting every field's problem instead of stopping at the first.

    A column missing from the header was reported once for the whole file, so its cells are not
    reported again on every row.
    """

    def __init__(self, row: CsvRow, missing_columns: tuple[str, ...] = ()) -> None:
        self.row = row
        self.missing = frozenset(missing_columns)
        self.errors: list[FieldError] = []

    def text(self, column: str) -> str:
        return self.row.get(column)

    def value(self, column: str, parser: Callable[[str], T]) -> T:
        """The parsed cell; on a problem, record it and return a placeholder ``check`` will never let out."""
        if column in self.missing:
            return cast(T, None)
        try:
            return parser(self.row.get(column))
        except ValueError as error:
            self.errors.append(FieldError(column, str(error)))
            return cast(T, None)

    def check(self) -> None:
        if self.errors or self.missing:
            raise RowInvalid(self.errors)


class RowInvalid(ValueError):
    """A row with one or more field problems (possibly none beyond a missing column)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors
