"""Event files that are plain CSV with a known set of columns (ACLED, UCDP GED): the header
checked, every row parsed by the dataset's own parser, then written by ``import_events``.

A dataset may also offer a columnar reader (ACLED does): it is tried first, inside the same
all-or-nothing transaction, and when it stops on anything it cannot prove valid the import
starts again row by row, so errors are always reported by the row-by-row parser."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import CsvRow, CsvSource, ProgressCallback, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.importers.records import EventRecord, NotColumnar
from ulinzi.incidents.importers.writer import EventRows, EventsOutcome, ParsedRow, import_events

RowParser = Callable[[RowReader, Sensitivity], EventRecord]
# A fast reader of a whole file: (bytes read, record) pairs, or NotColumnar at the first doubt.
ColumnarReader = Callable[[Path, Sequence[str], Sensitivity], Iterator[tuple[int, EventRecord]]]
_FAST_ROW = CsvRow("", 0, {})  # the fast path has no rejected rows to show, so one placeholder serves


class ColumnarRows:
    def __init__(self, source: CsvSource, read: ColumnarReader, sensitivity: Sensitivity) -> None:
        self.path = source.path
        self.name = source.name
        self.columns = source.columns
        self.read = read
        self.sensitivity = sensitivity

    def parsed(self, on_progress: ProgressCallback | None) -> Iterator[ParsedRow]:
        for position, record in self.read(self.path, self.columns, self.sensitivity):
            if on_progress is not None:
                on_progress(position)
            yield _FAST_ROW, record


class CsvEventRows:
    def __init__(self, source: CsvSource, parse: RowParser, sensitivity: Sensitivity) -> None:
        self.source = source
        self.name = source.name
        self.columns = source.columns
        self.parse = parse
        self.sensitivity = sensitivity

    def parsed(self, on_progress: ProgressCallback | None) -> Iterator[ParsedRow]:
        for item in self.source.rows(on_progress):
            if not isinstance(item, CsvRow):
                yield item, None
                continue
            try:
                yield item, self.parse(RowReader(item), self.sensitivity)
            except RowInvalid as invalid:
                yield item, [item.error(error.field, error.reason) for error in invalid.errors]


def import_csv_events(
    path: Path,
    *,
    kind: str,
    required: Sequence[str],
    optional: Sequence[str],
    parse: RowParser,
    columnar: ColumnarReader | None = None,
    skip_invalid: bool = False,
    reject_file: Path | None = None,
    default_sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL,
    on_progress: ProgressCallback | None = None,
) -> EventsOutcome:
    with CsvSource(path) as source:
        header = source.check_header(required, (*required, *optional))
        header_errors = source.header_errors(header)
        if header_errors:
            raise ImportRejected(header_errors)
        notices = [f"extra columns ignored: {', '.join(header.ignored)}"] if header.ignored else []

        def run(rows: EventRows) -> EventsOutcome:
            return import_events(
                path,
                rows,
                kind=kind,
                notices=notices,
                skip_invalid=skip_invalid,
                reject_file=reject_file,
                on_progress=on_progress,
            )

        if columnar is not None:
            try:
                return run(ColumnarRows(source, columnar, default_sensitivity))
            except NotColumnar:
                pass  # rolled back; the row-by-row reader below names every problem with its line
        return run(CsvEventRows(source, parse, default_sensitivity))
