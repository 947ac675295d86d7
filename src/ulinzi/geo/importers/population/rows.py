"""Read a population CSV into (line, P-code, population) rows, without touching the database.

The P-code column is the deepest of ``adm3_pcode``, ``adm2_pcode``, ``adm1_pcode`` or a plain
``pcode``; the figure is ``population`` or the first ``pop_total*`` column, whose trailing year
(``pop_total_2019``) becomes the figures' year unless one is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ulinzi.importing.csvrows import CsvRow, CsvSource, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected, RowError

PCODE_COLUMNS = ("adm4_pcode", "adm3_pcode", "adm2_pcode", "adm1_pcode", "pcode")
YEAR_SUFFIX = re.compile(r"(19|20)\d{2}$")
MAX_POPULATION = 2_000_000_000


@dataclass(frozen=True)
class PopulationRow:
    line: int
    pcode: str
    population: int


@dataclass(frozen=True)
class PopulationColumns:
    pcode: str
    population: str
    year: int | None


def detect_columns(source: CsvSource) -> PopulationColumns:
    pcode = next((column for column in PCODE_COLUMNS if column in source.columns), None)
    population = "population" if "population" in source.columns else None
    population = population or next((c for c in source.columns if c.startswith("pop_total")), None)
    errors = []
    if pcode is None:
        errors.append(RowError(source.name, 1, "pcode", f"no P-code column (one of {', '.join(PCODE_COLUMNS)})"))
    if population is None:
        errors.append(RowError(source.name, 1, "population", "no population or pop_total* column"))
    if errors or pcode is None or population is None:
        raise ImportRejected(errors)
    year = YEAR_SUFFIX.search(population)
    return PopulationColumns(pcode, population, int(year.group(0)) if year else None)


def parse_population(text: str) -> int:
    cleaned = text.replace(",", "").replace("_", "").strip()
    if not re.fullmatch(r"[0-9]+(\.0+)?", cleaned):
        raise ValueError(f"{text!r} is not a whole number of people")
    # the digits before any ".0", read exactly: float() turns 400 nines into infinity
    digits = cleaned.partition(".")[0].lstrip("0") or "0"
    if len(digits) > len(str(MAX_POPULATION)) or int(digits) > MAX_POPULATION:
        raise ValueError(f"{text!r} is implausibly large")
    return int(digits)


def parse_pcode(text: str) -> str:
    if not text or len(text) > 20:
        raise ValueError(f"{text!r} is not a P-code")
    return text


def read_rows(source: CsvSource, columns: PopulationColumns) -> Iterator[PopulationRow | RowError]:
    for item in source.rows():
        if isinstance(item, RowError):
            yield item
            continue
        yield from _row(item, columns)


def _row(row: CsvRow, columns: PopulationColumns) -> Iterator[PopulationRow | RowError]:
    reader = RowReader(row)
    pcode = reader.value(columns.pcode, parse_pcode)
    population = reader.value(columns.population, parse_population)
    try:
        reader.check()
    except RowInvalid as invalid:
        yield from (row.error(error.field, error.reason) for error in invalid.errors)
        return
    yield PopulationRow(row.line, pcode, population)
