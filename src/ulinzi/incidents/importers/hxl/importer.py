"""``import_hxl``: an HXL-tagged CSV of events (e.g. from HDX) into events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import ProgressCallback, RowInvalid, RowReader
from ulinzi.importing.errors import RowError
from ulinzi.incidents.importers.hxl.rows import HxlSource, parse_event
from ulinzi.incidents.importers.writer import EventsOutcome, ParsedRow, import_events

KIND = "hxl"


class HxlEventRows:
    def __init__(self, source: HxlSource, sensitivity: Sensitivity) -> None:
        self.source = source
        self.name = source.name
        self.columns = source.columns
        self.sensitivity = sensitivity

    def parsed(self, on_progress: ProgressCallback | None) -> Iterator[ParsedRow]:
        tags = self.source.layout.tags
        for item, read in self.source.rows():
            if on_progress is not None:
                on_progress(read)
            if isinstance(item, RowError):
                yield item, None
                continue
            try:
                yield item, parse_event(RowReader(item), self.sensitivity, tags)
            except RowInvalid as invalid:
                yield item, [item.error(error.field, error.reason) for error in invalid.errors]


def import_hxl(
    path: Path,
    *,
    skip_invalid: bool = False,
    reject_file: Path | None = None,
    default_sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL,
    on_progress: ProgressCallback | None = None,
) -> EventsOutcome:
    with HxlSource(path) as source:
        ignored = source.layout.ignored
        notices = [f"extra columns ignored: {', '.join(ignored)}"] if ignored else []
        return import_events(
            path,
            HxlEventRows(source, default_sensitivity),
            kind=KIND,
            notices=notices,
            skip_invalid=skip_invalid,
            reject_file=reject_file,
            on_progress=on_progress,
        )
