"""Event files that are plain CSV with a known set of columns (ACLED, UCDP GED): the header
checked, every row parsed by the dataset's own parser, then written by ``import_events``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import CsvRow, CsvSource, ProgressCallback, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.importers.records import EventRecord
from ulinzi.incidents.importers.writer import EventsOutcome, ParsedRow, import_events

RowParser = Callable[[RowReader, Sensitivity], EventRecord]


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
        return import_events(
            path,
            CsvEventRows(source, parse, default_sensitivity),
            kind=kind,
            notices=notices,
            skip_invalid=skip_invalid,
            reject_file=reject_file,
            on_progress=on_progress,
        )
