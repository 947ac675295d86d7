from pathlib import Path

import pytest

from ulinzi.importing.csvrows import CsvRow, CsvSource, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected, RowError


def write(tmp_path: Path, text: str | bytes, name: str = "input.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_rows_carry_the_physical_line_even_after_multiline_cells(tmp_path):
    path = write(tmp_path, 'a,b\n1,"two\nlines"\n3,4\n')
    with CsvSource(path) as source:
        rows = list(source.rows())
    assert [row.line for row in rows if isinstance(row, CsvRow)] == [2, 4]


def test_a_byte_order_mark_and_header_case_are_ignored(tmp_path):
    path = write(tmp_path, "\ufeffDate,Country\n2024-01-01,KE\n")
    with CsvSource(path) as source:
        assert source.columns == ("date", "country")


def test_an_empty_file_is_rejected_at_line_1(tmp_path):
    path = write(tmp_path, "")
    with pytest.raises(ImportRejected) as rejected:
        CsvSource(path)
    assert str(rejected.value.errors[0]) == "input.csv:1: header: the file is empty; expected a header row"


def test_invalid_utf8_is_reported_not_raised(tmp_path):
    path = write(tmp_path, b"a,b\n1,2\n\xff\xfe,3\n")
    with CsvSource(path) as source:
        items = list(source.rows())
    assert isinstance(items[-1], RowError)
    assert "not valid UTF-8" in items[-1].reason


def test_a_row_wider_than_the_header_is_an_error(tmp_path):
    path = write(tmp_path, "a,b\n1,2,3\n")
    with CsvSource(path) as source:
        (item,) = list(source.rows())
    assert str(item) == "input.csv:2: row: 3 cells but the header has 2 columns"


def test_duplicate_columns_are_refused(tmp_path):
    path = write(tmp_path, "a,a\n1,2\n")
    with CsvSource(path) as source, pytest.raises(ImportRejected) as rejected:
        source.check_header(["a"], ["a"])
    assert str(rejected.value.errors[0]) == "input.csv:1: a: column appears more than once"


def test_missing_and_extra_columns_are_reported_not_raised(tmp_path):
    path = write(tmp_path, "a,extra\n1,2\n")
    with CsvSource(path) as source:
        header = source.check_header(["a", "b"], ["a", "b"])
        assert header.missing == ("b",)
        assert header.ignored == ("extra",)
        assert [str(e) for e in source.header_errors(header)] == ["input.csv:1: b: required column is missing"]


def test_the_row_reader_collects_every_field_problem():
    reader = RowReader(CsvRow("f.csv", 7, {"n": "x", "m": "-1"}))

    def positive(text: str) -> int:
        if int(text) < 0:
            raise ValueError("negative")
        return int(text)

    reader.value("n", int)
    reader.value("m", positive)
    with pytest.raises(RowInvalid) as invalid:
        reader.check()
    assert [error.field for error in invalid.value.errors] == ["n", "m"]


def test_a_missing_column_is_not_reported_again_on_each_row():
    reader = RowReader(CsvRow("f.csv", 2, {}), missing_columns=("personnel",))
    assert reader.value("personnel", int) is None
    with pytest.raises(RowInvalid) as invalid:
        reader.check()
    assert invalid.value.errors == []
