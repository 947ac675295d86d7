"""An answered table as rows of plain values, for the API, the CSV export and the page alike.

Framework-free. It only relabels what ``suppression`` decided: a figure's value and qualifier pass
through unchanged, so no output can show more than the suppressed table holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from ulinzi.importing.rejects import safe_cell
from ulinzi.protection.gbvims import BY_NAME
from ulinzi.protection.suppression import Row, Table


@dataclass(frozen=True)
class Line:
    """One table row with its labels: an area's name, each band's code and label."""

    period: str
    pcode: str | None
    area_name: str
    bands: Mapping[str, str]
    band_labels: tuple[str, ...]
    count: int | None
    qualifier: str
    shown: str  # what a reader sees: "12", "at least 30" or "suppressed"


def lines(table: Table, area_names: Mapping[str, str]) -> list[Line]:
    return [_line(row, area_names) for row in table.rows]


def _line(row: Row, area_names: Mapping[str, str]) -> Line:
    bands = dict(row.bands)
    return Line(
        period=row.period,
        pcode=row.area,
        area_name="all areas" if row.area is None else area_names.get(row.area, row.area or "department unknown"),
        bands=bands,
        band_labels=tuple(BY_NAME[dimension].label(code) for dimension, code in row.bands),
        count=row.figure.value,
        qualifier=row.figure.qualifier.value,
        shown=str(row.figure),
    )


def caption(table: Table) -> str:
    """What a reader must know to read the figures, stated with the threshold in force."""
    k = table.min_cell
    return (
        f"Cells with 1 to {k - 1} incidents (fewer than {k}), and cells hidden so that those cannot be worked "
        f'out, are shown as "suppressed". "At least N" is a total whose exact value would reveal a suppressed '
        "cell: N adds up its published cells only. Zero means no incident was reported."
    )


def csv_text(table: Table, area_names: Mapping[str, str]) -> str:
    """The table as CSV: one row per cell, ``count`` empty when suppressed; text cells that a
    spreadsheet would run as formulas are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["period", "pcode", "area", *table.dimensions, "count", "qualifier", "min_cell"])
    for line in lines(table, area_names):
        writer.writerow(
            [
                line.period,
                safe_cell(line.pcode or ""),
                safe_cell(line.area_name),
                *(line.bands[dimension] for dimension in table.dimensions),
                "" if line.count is None else line.count,
                line.qualifier,
                table.min_cell,
            ]
        )
    return buffer.getvalue()
