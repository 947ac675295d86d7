"""Read GPS track points from GPX, GeoJSON, CSV or Cursor-on-Target, one point at a time.

The format is recognised from the first bytes, not the file name: field devices name exports
freely. Every reader streams (memory does not grow with the file) and stops at the first bad
record with one ``ImportRejected`` naming file, line and field. Because a stream can only find
a fault when it reaches it, a caller that must write nothing on error writes inside one
transaction (as ``importer`` does); a file whose kind cannot be recognised at all is refused
before the first point.

See ``xmltracks`` for why XML goes through defusedxml's SAX driver rather than gpxpy, and
``jsontracks`` for how GeoJSON streams without a JSON streaming dependency.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Literal, TextIO, TypeVar

from ulinzi.patrols.columns import (
    DEFAULT_BATCH,
    CsvLayout,
    DeviceNames,
    PointColumns,
    columns_from_points,
    fast_csv_columns,
)
from ulinzi.patrols.jsontracks import read_geojson
from ulinzi.patrols.points import TrackPoint, accuracy, device_name, latitude, longitude, reject, utc_time
from ulinzi.patrols.xmltracks import read_cot, read_gpx

__all__ = ["TrackCounter", "TrackFile", "TrackFormat", "TrackPoint", "TrackSummary", "read_points"]

TrackFormat = Literal["gpx", "geojson", "csv", "cot"]
SNIFF_BYTES = 4096
CSV_REQUIRED = ("time", "lat", "lon")
CSV_ACCURACY = ("accuracy", "accuracy_m")
MAX_CACHED_DEVICES = 10_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CSV_BYTES_PER_ROW = 64  # a typical fix row, to size Arrow's blocks from a batch size in rows
INFINITY = float("inf")
T = TypeVar("T")
_FIRST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(gpx|event)[\s>/]")


@dataclass(frozen=True)
class TrackSummary:
    """What a validating pass found; nothing of it is a point, so it may be shown to anyone
    allowed to import."""

    format: TrackFormat
    points: int
    devices: tuple[str, ...]
    first: datetime | None
    last: datetime | None
    skipped: dict[str, int]


class TrackFile:
    """A track file whose kind is known; iterate it (more than once if needed) for its points.

    ``skipped`` counts records left out on purpose (non-friendly CoT events, GPX waypoints,
    GeoJSON polygons) by reason; it is complete once an iteration has finished.
    """

    def __init__(
        self,
        path: Path,
        *,
        default_device: str | None = None,
        display_name: str | None = None,
        max_bytes: int | None = None,
    ) -> None:
        self.path = path
        self.name = display_name or path.name
        self.skipped: Counter[str] = Counter()
        self.default_device = None
        if default_device is not None:
            try:
                self.default_device = device_name(default_device)
            except ValueError as error:
                reject(self.name, 0, "default device", str(error))
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
        except OSError as error:
            reject(self.name, 0, "file", f"cannot be read ({error.strerror})")
        if max_bytes is not None and size > max_bytes:
            reject(self.name, 0, "file", f"{size:,} bytes is over the {max_bytes:,}-byte limit")
        self.format: TrackFormat = _sniff(self.name, head)

    def __iter__(self) -> Iterator[TrackPoint]:
        return self.points()

    def points(self) -> Iterator[TrackPoint]:
        self.skipped.clear()
        if self.format in ("gpx", "cot"):
            with self.path.open("rb") as handle:
                if self.format == "gpx":
                    yield from read_gpx(handle, self.name, self.default_device, self.skipped)
                else:
                    yield from read_cot(handle, self.name, self.skipped)
        elif self.format == "geojson":
            with self.path.open(encoding="utf-8-sig", errors="strict") as text:
                try:
                    yield from read_geojson(text, self.name, self.default_device, self.skipped)
                except UnicodeDecodeError:
                    reject(self.name, 0, "document", "not valid UTF-8 text")
        else:
            # surrogateescape keeps undecodable bytes so the row holding them can be named
            with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as text:
                yield from _read_csv(text, self.name, self.default_device)

    def columns(self, devices: DeviceNames, batch: int = DEFAULT_BATCH) -> Iterator[PointColumns]:
        """The same points as ``points()``, in batches of columns; CSV takes Arrow's fast path
        where it can (see ``columns``) and the point reader from the first row it cannot."""
        self.skipped.clear()
        given = 0
        if self.format == "csv":
            layout, cells = self._csv_layout()
            size = batch * CSV_BYTES_PER_ROW
            for part in fast_csv_columns(
                self.path,
                layout,
                header_cells=cells,
                default_device=self.default_device,
                devices=devices,
                batch_bytes=size,
            ):
                if isinstance(part, int):
                    given = part
                    break
                yield part
            else:
                return
        yield from columns_from_points(islice(self.points(), given, None), devices, batch)

    def _csv_layout(self) -> tuple[CsvLayout, int]:
        with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as text:
            reader = csv.reader(text, strict=True)
            try:
                header = next(reader, [])
            except csv.Error as error:
                reject(self.name, 1, "header", f"not valid CSV ({error})")
        return _csv_layout(self.name, header, self.default_device), len(header)


def read_points(path: Path, *, default_device: str | None = None) -> Iterator[TrackPoint]:
    """Every point of a track file in file order; raises ``ImportRejected`` at the first fault.

    The file's kind is checked now, so an unrecognisable file fails at the call, not mid-import.
    """
    return TrackFile(path, default_device=default_device).points()


class TrackCounter:
    """What a file held as batches pass: fixes and first and last time, dropped ones included;
    ``summary`` adds the format, the devices and what the reader skipped."""

    def __init__(self) -> None:
        self.points = 0
        self._first: int | None = None
        self._last: int | None = None

    def add(self, batch: PointColumns) -> None:
        if not len(batch):
            return
        self.points += len(batch)
        low, high = int(batch.micros.min()), int(batch.micros.max())
        self._first = low if self._first is None else min(self._first, low)
        self._last = high if self._last is None else max(self._last, high)

    def summary(self, track: TrackFile, devices: DeviceNames) -> TrackSummary:
        first, last = (None if m is None else EPOCH + timedelta(microseconds=m) for m in (self._first, self._last))
        return TrackSummary(track.format, self.points, tuple(sorted(devices.names)), first, last, dict(track.skipped))


def _sniff(name: str, head: bytes) -> TrackFormat:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text:
        reject(name, 1, "file", "the file is empty")
    if text.startswith(b"{"):
        return "geojson"
    if text.startswith(b"<"):
        match = _FIRST_TAG.search(text)
        doctype = text.find(b"<!DOCTYPE")
        if match is not None and match.group(1) == b"gpx":
            return "gpx"  # the defused parser refuses a DTD where it finds one
        if doctype != -1:  # a CoT stream is re-rooted, so refuse here what expat would misreport
            reject(name, text.count(b"\n", 0, doctype) + 1, "xml", "a document type declaration (DTD) is refused")
        if match is not None:
            return "cot"
        reject(name, 1, "file", "XML, but neither GPX (<gpx>) nor Cursor-on-Target (<event>)")
    if b"\x00" in text:
        reject(name, 1, "file", "a binary file, not GPX, GeoJSON, CSV or Cursor-on-Target")
    return "csv"


def _csv_layout(name: str, header: list[str], default_device: str | None) -> CsvLayout:
    columns = [column.strip().lower() for column in header]
    for column in (*CSV_REQUIRED, *(() if default_device else ("device",))):
        if column not in columns:
            reject(name, 1, column, "required column is missing")
    duplicated = next((column for column in columns if column and columns.count(column) > 1), None)
    if duplicated is not None:
        reject(name, 1, duplicated, "column appears more than once")
    found = (
        columns.index("time"),
        columns.index("lat"),
        columns.index("lon"),
        columns.index("device") if "device" in columns else None,
        next((columns.index(column) for column in CSV_ACCURACY if column in columns), None),
    )
    return CsvLayout(*found, width=1 + max(index for index in found if index is not None))


def _read_csv(text: TextIO, name: str, default_device: str | None) -> Iterator[TrackPoint]:
    """``time,lat,lon,device[,accuracy]``; the hot loop of a million-point import, hence inlined checks."""
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader, [])
    except csv.Error as error:
        reject(name, 1, "header", f"not valid CSV ({error})")
    layout = _csv_layout(name, header, default_device)
    time_at, lat_at, lon_at, device_at, accuracy_at = (
        layout.time,
        layout.lat,
        layout.lon,
        layout.device,
        layout.accuracy,
    )
    width = layout.width
    devices: dict[str, str] = {}
    fromisoformat = datetime.fromisoformat
    line = reader.line_num + 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if len(record) < width:
                if not any(record):
                    continue
                reject(name, start, "row", f"{len(record)} cells; the header needs at least {width}")
            raw = record[time_at]
            try:
                time = fromisoformat(raw)
            except ValueError:
                time = _cell(name, start, "time", utc_time, raw)
            if time.tzinfo is not UTC:
                time = _cell(name, start, "time", utc_time, raw)
            try:
                lat = float(record[lat_at])
                lon = float(record[lon_at])
                if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                    raise ValueError
            except ValueError:
                lat = _cell(name, start, "lat", latitude, record[lat_at])
                lon = _cell(name, start, "lon", longitude, record[lon_at])
            raw = (record[device_at] if device_at is not None else "") or default_device or ""
            device = devices.get(raw)
            if device is None:
                device = _cell(name, start, "device", device_name, raw)
                if len(devices) < MAX_CACHED_DEVICES:
                    devices[raw] = device
            error_m = None if accuracy_at is None else _accuracy(name, start, record[accuracy_at])
            yield TrackPoint(time, lat, lon, device, error_m, start)
    except csv.Error as error:
        reject(name, line, "row", f"not valid CSV ({error})")


def _accuracy(name: str, line: int, raw: str) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return _cell(name, line, "accuracy", accuracy, raw)
    return value if 0.0 <= value < INFINITY else _cell(name, line, "accuracy", accuracy, raw)


def _cell(name: str, line: int, field: str, parse: Callable[[str], T], raw: str) -> T:
    try:
        return parse(raw)
    except ValueError as error:
        reject(name, line, field, str(error))
