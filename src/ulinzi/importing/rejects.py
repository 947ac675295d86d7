"""Reject files: the rows an import with --skip-invalid left out, each with its reason.

Opened before anything is written, so an unwritable path stops the import rather than the report;
cells a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ulinzi.importing.csvrows import CsvRow
from ulinzi.importing.errors import ImportRejected, RowError

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def open_rejects(target: Path, file_name: str) -> Iterator[TextIO]:
    try:
        handle = target.open("w", newline="", encoding="utf-8")
    except OSError as error:
        reason = f"cannot write the reject file {target}: {error.strerror}"
        raise ImportRejected([RowError(file_name, 0, "--reject-file", reason)]) from None
    with handle:
        yield handle


def safe_cell(value: str) -> str:
    """``'=1+1`` instead of ``=1+1``.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Kenya")
    ("'=HYPERLINK(1)", 'Kenya')
    """
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def write_rejects(handle: TextIO, columns: Sequence[str], rejected: Sequence[tuple[RowError, CsvRow | None]]) -> None:
    writer = csv.writer(handle)
    writer.writerow(("line", "field", "reason", *columns))
    for error, row in rejected:
        values = [row.values.get(column, "") for column in columns] if row else []
        writer.writerow([str(error.line), safe_cell(error.field), safe_cell(error.reason), *map(safe_cell, values)])
