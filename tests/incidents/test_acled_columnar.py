"""The columnar fast path reads exactly what the row-by-row reader reads, or steps aside."""

import dataclasses
from pathlib import Path

import pytest

from tests.incidents.test_acled_acceptance import write_acled
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import CsvRow, CsvSource, RowReader
from ulinzi.incidents.importers.acled import columnar
from ulinzi.incidents.importers.acled.rows import parse_event
from ulinzi.incidents.importers.records import EventRecord, NotColumnar

P2 = Sensitivity.CONFIDENTIAL


def row_by_row(path: Path) -> list[EventRecord]:
    with CsvSource(path) as source:
        return [parse_event(RowReader(row), P2) for row in source.rows() if isinstance(row, CsvRow)]


def fast(path: Path) -> list[EventRecord]:
    with CsvSource(path) as source:
        columns = source.columns
    return [record for _, record in columnar.records(path, columns, P2)]


def without_lines(records: list[EventRecord]) -> list[EventRecord]:
    return [dataclasses.replace(record, line=0) for record in records]


def test_both_readers_give_the_same_records(shared_data, tmp_path):
    path = tmp_path / "acled.csv"
    write_acled(path, shared_data, 2500, seed=11)
    slow, quick = row_by_row(path), fast(path)
    assert len(quick) == 2500
    assert without_lines(quick) == without_lines(slow)


def test_the_fixture_with_iso_dates_reads_the_same(fixtures_dir, tmp_path):
    path = tmp_path / "sample.csv"
    path.write_text((fixtures_dir / "acled_sample.csv").read_text().replace("05 May 2024", "2024-05-05"))
    assert without_lines(fast(path)) == without_lines(row_by_row(path))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2024-05-05", "05 May 2024"),  # an older date format: the row-by-row reader knows it
        ("Grenade", "Confetti"),  # not a sub-event type
        ("18.51,", "18,51,"),  # a decimal comma shifts the cells
        ("Outlet One; Outlet Three", "Outlet\x00One"),  # a NUL character
        (",2,Outlet One", ",7,Outlet One"),  # geo_precision out of range
    ],
)
def test_anything_doubtful_stops_the_fast_path(fixtures_dir, tmp_path, old, new):
    text = (fixtures_dir / "acled_sample.csv").read_text().replace("05 May 2024", "2024-05-05")
    assert old in text
    path = tmp_path / "doubtful.csv"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(NotColumnar):
        fast(path)
