"""Track points as columns (NumPy arrays), and the fast way to read a CSV track into them.

A million ``TrackPoint`` tuples cost more to build than everything done to them afterwards, so
the import works on batches of columns: times as integer microseconds since the epoch (exact,
like ``datetime``), positions as floats, devices as small integer codes into one list of names
shared by every batch of the import.

CSV, the format of bulk exports, is parsed by Arrow's reader without a Python object per point.
Arrow accepts slightly different text than the point reader in ``tracks`` does, so the fast path
only takes text both agree on exactly (no quotes, no blank lines, times and numbers that match
strict patterns) and hands every other batch, and everything after it, to the point reader. That
reader gives the precise file, line and field message, so a bad file is refused exactly as before;
the fast path only ever changes how quickly a good file is read.
"""

from __future__ import annotations

import math
import mmap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as arrow_csv

from ulinzi.patrols.points import TrackPoint, device_name

__all__ = ["DeviceNames", "PointColumns", "columns_from_points", "fast_csv_columns", "micros_of"]

DEFAULT_BATCH = 200_000
EPOCH_US = np.datetime64(0, "us")
# Times both Arrow and ``datetime.fromisoformat`` read the same way: seconds, at most six digits of
# fraction, an explicit offset. Numbers need no pattern: whatever Arrow's parser takes, ``float``
# reads to the same value, or it is NaN, which the range check sends back.
_STRICT_TIME = r"^\d{4}-\d\d-\d\d[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$"

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class DeviceNames:
    """Device names of one import and their codes; a batch's ``device`` column indexes ``names``."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._codes: dict[str, int] = {}

    def code(self, name: str) -> int:
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self.names)
            self.names.append(name)
        return found


@dataclass(frozen=True)
class PointColumns:
    """One batch of fixes in file order; ``accuracy`` is NaN where unknown."""

    micros: Ints
    lat: Floats
    lon: Floats
    device: npt.NDArray[np.int32]
    accuracy: Floats
    line: Ints

    def __len__(self) -> int:
        return len(self.micros)

    def take(self, keep: npt.NDArray[np.bool_]) -> PointColumns:
        return PointColumns(
            self.micros[keep], self.lat[keep], self.lon[keep], self.device[keep], self.accuracy[keep], self.line[keep]
        )

    def times(self) -> npt.NDArray[np.datetime64]:
        return EPOCH_US + self.micros.astype("timedelta64[us]")


def columns_from_points(
    points: Iterable[TrackPoint], devices: DeviceNames, batch: int = DEFAULT_BATCH
) -> Iterator[PointColumns]:
    """Batches of columns from any point reader (GPX, GeoJSON, CoT, or CSV the fast path refused)."""
    iterator = iter(points)
    while chunk := list(islice(iterator, batch)):
        count = len(chunk)
        micros = np.fromiter(
            (micros_of(point.time) for point in chunk),
            np.int64,
            count,
        )
        yield PointColumns(
            micros,
            np.fromiter((point.lat for point in chunk), np.float64, count),
            np.fromiter((point.lon for point in chunk), np.float64, count),
            np.fromiter((devices.code(point.device) for point in chunk), np.int32, count),
            np.fromiter(
                (math.nan if point.accuracy_m is None else point.accuracy_m for point in chunk), np.float64, count
            ),
            np.fromiter((point.line for point in chunk), np.int64, count),
        )


def micros_of(moment: datetime) -> int:
    """Microseconds since the epoch of an aware time, exactly (``timestamp()`` is a float)."""
    moment = moment.astimezone(UTC) if moment.utcoffset() else moment
    return (moment.toordinal() - 719_163) * 86_400_000_000 + (
        (moment.hour * 3600 + moment.minute * 60 + moment.second) * 1_000_000 + moment.microsecond
    )


@dataclass(frozen=True)
class CsvLayout:
    """Positions of the columns in the header, as the point reader found them."""

    time: int
    lat: int
    lon: int
    device: int | None
    accuracy: int | None
    width: int


def fast_csv_columns(
    path: Path,
    layout: CsvLayout,
    *,
    header_cells: int,
    default_device: str | None,
    devices: DeviceNames,
    batch_bytes: int = 1 << 24,
) -> Iterator[PointColumns | int]:
    """Batches read by Arrow; yields an ``int`` (the number of points already given) and stops at
    the first batch the fast path will not vouch for, so the caller goes on with the point reader.

    Line numbers are the header's line plus the row's position, which holds because the file has
    no quotes (so no value spans lines) and Arrow is told to refuse empty lines; both readers end
    a line at LF, CR or CRLF alike.
    """
    if _quoted(path):
        yield 0
        return
    names = [f"c{index}" for index in range(header_cells)]
    wanted = [i for i in (layout.time, layout.lat, layout.lon, layout.device, layout.accuracy) if i is not None]
    try:
        reader = arrow_csv.open_csv(
            path,
            read_options=arrow_csv.ReadOptions(skip_rows=1, column_names=names, block_size=batch_bytes),
            parse_options=arrow_csv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys((names[i] for i in wanted), pa.string()),
                include_columns=[names[i] for i in wanted],
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError):
        yield 0
        return
    given = 0
    while True:
        try:
            table = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowInvalid, OSError):
            yield given
            return
        batch = _vouched(table, names, layout, default_device=default_device, devices=devices, first_line=2 + given)
        if batch is None:
            yield given
            return
        given += len(batch)
        yield batch


def _quoted(path: Path) -> bool:
    """Whether any quote is in the file; Arrow is told not to unquote, so a quote sends it back."""
    with path.open("rb") as handle:
        if handle.seek(0, 2) == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return mapped.find(b'"') != -1


def _vouched(
    table: pa.RecordBatch,
    names: list[str],
    layout: CsvLayout,
    *,
    default_device: str | None,
    devices: DeviceNames,
    first_line: int,
) -> PointColumns | None:
    """The batch as columns if every value is one the point reader reads identically, else None."""
    times = table.column(names[layout.time])
    lats, lons = table.column(names[layout.lat]), table.column(names[layout.lon])
    if not pc.all(pc.match_substring_regex(times, _STRICT_TIME)).as_py():
        return None
    try:
        stamps = pc.cast(times, pa.timestamp("us", tz="UTC"))
        lat = pc.cast(lats, pa.float64()).to_numpy(zero_copy_only=False)
        lon = pc.cast(lons, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return None
    if not (np.all(np.abs(lat) <= 90.0) and np.all(np.abs(lon) <= 180.0)):
        return None  # NaN too: Arrow reads a few spellings of it that ``float`` refuses, such as "nan(1)"
    device = _device_codes(table, names, layout, default_device, devices)
    accuracy = _accuracies(table, names, layout)
    if device is None or accuracy is None:
        return None
    count = len(lat)
    micros = pc.cast(stamps, pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return PointColumns(micros, lat, lon, device, accuracy, np.arange(first_line, first_line + count, dtype=np.int64))


def _device_codes(
    table: pa.RecordBatch, names: list[str], layout: CsvLayout, default_device: str | None, devices: DeviceNames
) -> npt.NDArray[np.int32] | None:
    if layout.device is None:
        raw = pa.array([""] * table.num_rows, pa.string()) if table.num_rows else pa.array([], pa.string())
    else:
        raw = table.column(names[layout.device])
    encoded = pc.dictionary_encode(raw)
    codes = []
    for text in encoded.dictionary.to_pylist():
        try:
            codes.append(devices.code(device_name(text or default_device or "")))
        except ValueError:
            return None
    mapping = np.array(codes, dtype=np.int32)
    found: npt.NDArray[np.int32] = mapping[encoded.indices.to_numpy(zero_copy_only=False)]
    return found


def _accuracies(table: pa.RecordBatch, names: list[str], layout: CsvLayout) -> Floats | None:
    if layout.accuracy is None:
        return np.full(table.num_rows, np.nan)
    raw = table.column(names[layout.accuracy])
    try:
        values = pc.cast(pc.if_else(pc.equal(raw, ""), pa.scalar(None, pa.string()), raw), pa.float64())
    except pa.ArrowInvalid:
        return None
    array: Floats = values.to_numpy(zero_copy_only=False).astype(np.float64)
    given = pc.is_valid(values).to_numpy(zero_copy_only=False)
    if not np.all(np.isfinite(array[given]) & (array[given] >= 0.0)):
        return None
    return array
