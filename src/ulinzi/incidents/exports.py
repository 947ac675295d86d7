"""Events out as ACLED-style CSV, GeoJSON, HXL-tagged CSV or Parquet, streamed in bounded memory.

Every writer reads plain tuples (``values_list`` with ``iterator``) from a queryset it is given,
so the caller's filters and clearance (``services.events``) decide what leaves, never the writer.
Each format is a generator of byte chunks: the API streams them, the CLI writes them to a file.
"""

from __future__ import annotations

import csv
import enum
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, Literal, NamedTuple, TypeVar, get_args

import pyarrow as pa
import pyarrow.parquet as pq
import pycountry

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.rejects import safe_cell

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ulinzi.incidents.models import Event

T = TypeVar("T")
FormatName = Literal["csv", "geojson", "hxl", "parquet"]
FORMAT_NAMES: tuple[str, ...] = get_args(FormatName)
CHUNK_ROWS = 2000  # rows fetched per database round trip, and per CSV or GeoJSON chunk sent
ROW_GROUP_ROWS = 10_000  # rows per Parquet row group: what the Parquet writer holds in memory


class ExportRow(NamedTuple):
    """One event as the writers read it; ``FIELDS`` gives the database path of each member."""

    pk: int
    natural_key: str
    event_date: date
    time_precision: int
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str
    inter1: str
    actor2: str | None
    assoc_actor_2: str
    inter2: str
    interaction: str
    civilian_targeting: bool
    country: str
    admin1: str
    admin2: str
    admin3: str
    location: str
    latitude: float
    longitude: float
    geo_precision: int
    adm1_pcode: str
    adm2_pcode: str
    adm3_pcode: str
    source: str
    source_scale: str
    notes: str
    tags: str
    fatalities: int
    fatalities_low: int
    fatalities_high: int
    verification: str
    sensitivity: int


FIELDS = tuple("actor1__name" if f == "actor1" else "actor2__name" if f == "actor2" else f for f in ExportRow._fields)


class Kind(enum.Enum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"


Value = str | int | float | date | None


@dataclass(frozen=True)
class Column:
    name: str
    hxl: str
    kind: Kind
    value: Callable[[ExportRow], Value]
    acled: bool = True  # False: Ulinzi's own column, left out of the ACLED CSV
    direct: bool = False  # True: the stored value as it is (never None), so JSON can take it without ``value``


def acled_id(natural_key: str) -> str:
    """ACLED's own id for an event imported from ACLED, so re-importing the export finds the same
    events; other sources' keys keep their prefix with ``-``, which ACLED ids allow and ``:`` not.

    >>> acled_id("acled:HTI1234"), acled_id("ucdp:98765")
    ('HTI1234', 'ucdp-98765')
    """
    source, separator, rest = natural_key.partition(":")
    return rest if source == "acled" and separator else natural_key.replace(":", "-")


@functools.lru_cache(maxsize=256)
def iso_number(country: str) -> int | None:
    """ACLED's ``iso`` column is the ISO 3166 numeric code; Ulinzi stores only the country's name.

    >>> iso_number("Haiti"), iso_number("Atlantis")
    (332, None)
    """
    try:
        return int(pycountry.countries.lookup(country).numeric) if country else None
    except LookupError:
        return None


def _text(name: str, hxl: str, *, acled: bool = True, nullable: bool = False) -> Column:
    return Column(name, hxl, Kind.TEXT, lambda row: str(getattr(row, name) or ""), acled, direct=not nullable)


def _integer(name: str, hxl: str, *, acled: bool = True) -> Column:
    return Column(name, hxl, Kind.INTEGER, lambda row: int(getattr(row, name)), acled, direct=True)


def _number(name: str, hxl: str) -> Column:
    return Column(name, hxl, Kind.NUMBER, lambda row: float(getattr(row, name)), direct=True)


# ACLED's export columns in ACLED's order, with Ulinzi's beside the ACLED column they refine.
# ``region`` and ``timestamp`` are left out: Ulinzi keeps neither, and the importer needs neither.
COLUMNS: tuple[Column, ...] = (
    Column("event_id_cnty", "#event+id", Kind.TEXT, lambda row: acled_id(row.natural_key)),
    Column("id", "#meta+id", Kind.INTEGER, lambda row: row.pk, acled=False),
    Column("event_date", "#date", Kind.DATE, lambda row: row.event_date),
    Column("year", "#date+year", Kind.INTEGER, lambda row: row.event_date.year),
    _integer("time_precision", "#meta+time_precision"),
    _text("disorder_type", "#event+type+disorder"),
    _text("event_type", "#event+type"),
    _text("sub_event_type", "#event+type+sub"),
    _text("actor1", "#group+name+actor1"),
    _text("assoc_actor_1", "#group+name+assoc+actor1"),
    _text("inter1", "#group+type+actor1"),
    _text("actor2", "#group+name+actor2", nullable=True),
    _text("assoc_actor_2", "#group+name+assoc+actor2"),
    _text("inter2", "#group+type+actor2"),
    _text("interaction", "#group+type+interaction"),
    Column(
        "civilian_targeting",
        "#event+civilian_targeting",
        Kind.TEXT,
        lambda row: "Civilian targeting" if row.civilian_targeting else "",
    ),
    Column("iso", "#country+code+num", Kind.INTEGER, lambda row: iso_number(row.country)),
    _text("country", "#country+name"),
    _text("admin1", "#adm1+name"),
    _text("adm1_pcode", "#adm1+code", acled=False),
    _text("admin2", "#adm2+name"),
    _text("adm2_pcode", "#adm2+code", acled=False),
    _text("admin3", "#adm3+name"),
    _text("adm3_pcode", "#adm3+code", acled=False),
    _text("location", "#loc+name"),
    _number("latitude", "#geo+lat"),
    _number("longitude", "#geo+lon"),
    _integer("geo_precision", "#geo+precision"),
    _text("source", "#meta+source"),
    _text("source_scale", "#meta+source+scale"),
    _text("notes", "#description+notes"),
    _integer("fatalities", "#affected+killed"),
    _integer("fatalities_low", "#affected+killed+min", acled=False),
    _integer("fatalities_high", "#affected+killed+max", acled=False),
    _text("tags", "#meta+tags"),
    _text("verification", "#status+verification", acled=False),
    Column("sensitivity", "#meta+sensitivity", Kind.TEXT, lambda row: Sensitivity(row.sensitivity).code, acled=False),
)
ACLED_COLUMNS = tuple(column for column in COLUMNS if column.acled)
# A short set for maps and quick looks, still holding every column ``ulinzi import acled`` requires.
BRIEF_NAMES = (
    "event_id_cnty", "id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "adm2_pcode",
    "latitude", "longitude", "fatalities", "verification", "sensitivity",
)  # fmt: skip
BRIEF_COLUMNS = tuple(column for column in COLUMNS if column.name in BRIEF_NAMES)


def export_rows(events: QuerySet[Event]) -> Iterator[ExportRow]:
    """The events as tuples, fetched ``CHUNK_ROWS`` at a time so memory does not grow with them;
    a masked event's columns as its reader may see them."""
    from ulinzi.incidents.release import column, is_flagged  # noqa: PLC0415  Django-bound; this module is not

    fields = [column(name) if "__" not in name else name for name in FIELDS] if is_flagged(events) else FIELDS
    for values in events.values_list(*fields).iterator(chunk_size=CHUNK_ROWS):
        yield ExportRow._make(values)


def _cell(column: Column, *, one_line: bool = False) -> Callable[[ExportRow], str]:
    """How a column becomes a CSV cell, decided once per column rather than once per cell:
    numbers as Python writes them (the shortest exact form), dates in ISO, text guarded against
    formulas. Only text is guarded: ``-72.3`` is a longitude, and must stay one."""
    value = column.value
    if column.kind is Kind.TEXT and one_line:
        return lambda row: safe_cell(" ".join(str(value(row)).split()))
    if column.kind is Kind.TEXT:
        return lambda row: safe_cell(str(value(row)))
    if column.kind is Kind.DATE:
        return lambda row: str(value(row))
    return lambda row: "" if (number := value(row)) is None else repr(number)


def _csv_chunks(
    columns: tuple[Column, ...], head: Iterable[Iterable[str]], rows: Iterable[ExportRow], *, one_line: bool = False
) -> Iterator[bytes]:
    cells = [_cell(column, one_line=one_line) for column in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(head)
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell(row) for cell in cells])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def csv_chunks(rows: Iterable[ExportRow], columns: tuple[Column, ...] = ACLED_COLUMNS) -> Iterator[bytes]:
    """ACLED's columns only by default, so ``ulinzi import acled`` reads the file back without a notice."""
    return _csv_chunks(columns, [[column.name for column in columns]], rows)


def hxl_chunks(rows: Iterable[ExportRow], columns: tuple[Column, ...] = COLUMNS) -> Iterator[bytes]:
    """Every column, with a hashtag row under the header so HXL tools know what each one holds.

    Text is put on one line with single spaces: HXL validators report line breaks and doubled
    spaces as errors, and the HXL file is for sharing; the ACLED CSV keeps notes verbatim."""
    head = [[column.name for column in columns], [column.hxl for column in columns]]
    return _csv_chunks(columns, head, rows, one_line=True)


_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
# Where a property is the stored value as it is, read it by position; compute only the others.
PropertyReader = tuple[str, int | None, Callable[[ExportRow], Value]]


def _property_readers(columns: tuple[Column, ...]) -> tuple[PropertyReader, ...]:
    return tuple(
        (column.name, ExportRow._fields.index(column.name) if column.direct else None, column.value)
        for column in columns
    )


def _feature(row: ExportRow, readers: tuple[PropertyReader, ...]) -> str:
    """One feature as JSON; 13 µs where naive code took 21, because the benchmark's ~50k-event map export is bound by
    this, not by the query."""
    properties: dict[str, Value] = {}
    for name, index, value in readers:
        if index is None:
            computed = value(row)
            properties[name] = computed.isoformat() if isinstance(computed, date) else computed
        else:
            properties[name] = row[index]
    feature = {
        "type": "Feature",
        "id": row.pk,
        "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
        "properties": properties,
    }
    return _JSON.encode(feature)


def geojson_chunks(rows: Iterable[ExportRow], columns: tuple[Column, ...] = COLUMNS) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection: WGS84 longitude before latitude, and no ``crs`` member
    (RFC 7946 removed it; WGS84 is implied)."""
    readers = _property_readers(columns)
    return feature_collection(_feature(row, readers) for row in rows)


def feature_collection(features: Iterable[str]) -> Iterator[bytes]:
    """Features (each one JSON text) as a FeatureCollection in pieces; one feature per line, so
    the text diffs well."""
    parts = ['{"type":"FeatureCollection","features":[']
    for count, feature in enumerate(features):
        parts.append((",\n" if count else "\n") + feature)
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts).encode()
            parts.clear()
    parts.append("\n]}\n")
    yield "".join(parts).encode()


ARROW_TYPES = {Kind.TEXT: pa.string(), Kind.INTEGER: pa.int64(), Kind.NUMBER: pa.float64(), Kind.DATE: pa.date32()}


def parquet_schema(columns: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([pa.field(column.name, ARROW_TYPES[column.kind]) for column in columns])


PARQUET_SCHEMA = parquet_schema(COLUMNS)


class _Chunks:
    """A write-only file for pyarrow that hands each written piece back to the generator."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self.pieces.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        """Nothing is buffered here; pyarrow calls it all the same."""

    def take(self) -> bytes:
        taken = b"".join(self.pieces)
        self.pieces.clear()
        return taken


def _row_group(columns: list[list[Value]], schema: pa.Schema) -> pa.Table:
    arrays = [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def parquet_chunks(rows: Iterable[ExportRow], columns: tuple[Column, ...] = COLUMNS) -> Iterator[bytes]:
    """Typed columns (dates as date32, counts as int64, coordinates as float64) written one row
    group at a time, so memory holds one row group however many events leave."""
    sink = _Chunks()
    schema = parquet_schema(columns)
    writer = pq.ParquetWriter(sink, schema)
    values: list[list[Value]] = [[] for _ in columns]
    for count, row in enumerate(rows, start=1):
        for cells, column in zip(values, columns, strict=True):
            cells.append(column.value(row))
        if count % ROW_GROUP_ROWS == 0:
            writer.write_table(_row_group(values, schema))
            values = [[] for _ in columns]
            yield sink.take()
    if values[0]:
        writer.write_table(_row_group(values, schema))
    writer.close()
    yield sink.take()


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    suffix: str
    chunks: Callable[[Iterable[ExportRow], tuple[Column, ...]], Iterator[bytes]]
    default_columns: tuple[Column, ...]

    @property
    def filename(self) -> str:
        return f"ulinzi-events{self.suffix}"


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", ".csv", csv_chunks, ACLED_COLUMNS),
    "geojson": ExportFormat("geojson", "application/geo+json", ".geojson", geojson_chunks, COLUMNS),
    "hxl": ExportFormat("hxl", "text/csv; charset=utf-8", ".hxl.csv", hxl_chunks, COLUMNS),
    "parquet": ExportFormat("parquet", "application/vnd.apache.parquet", ".parquet", parquet_chunks, COLUMNS),
}


def _columns(name: str, brief: bool) -> tuple[Column, ...]:
    return BRIEF_COLUMNS if brief else FORMATS[name].default_columns


class _Counted(Generic[T]):
    """Passes items through, counting them, so a writer can say how many events it wrote."""

    def __init__(self, items: Iterator[T]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[T]:
        for item in self.items:
            self.count += 1
            yield item


def _chunks(name: str, events: QuerySet[Event], brief: bool) -> tuple[Iterator[bytes], _Counted[Any]]:
    """The file's pieces and the counter of events in them. A brief GeoJSON has its features built
    by the database; every other file is written from the rows in Python."""
    if name == "geojson" and brief:
        from ulinzi.incidents import brief_geojson  # noqa: PLC0415  needs Django; this module must not

        features = _Counted(brief_geojson.features(events))
        return feature_collection(features), features
    rows = _Counted(export_rows(events))
    return FORMATS[name].chunks(rows, _columns(name, brief)), rows


def stream(name: str, events: QuerySet[Event], *, brief: bool = False) -> Iterator[bytes]:
    return _chunks(name, events, brief)[0]


def write(name: str, events: QuerySet[Event], out: BinaryIO, *, brief: bool = False) -> int:
    """Write the events in format ``name`` to ``out`` (with ``brief``, only ``BRIEF_COLUMNS``);
    the number of events written."""
    chunks, counted = _chunks(name, events, brief)
    for chunk in chunks:
        out.write(chunk)
    return counted.count


def write_csv(events: QuerySet[Event], out: BinaryIO) -> int:
    return write("csv", events, out)


def write_geojson(events: QuerySet[Event], out: BinaryIO, *, brief: bool = False) -> int:
    return write("geojson", events, out, brief=brief)


def write_hxl(events: QuerySet[Event], out: BinaryIO) -> int:
    return write("hxl", events, out)


def write_parquet(events: QuerySet[Event], out: BinaryIO) -> int:
    return write("parquet", events, out)
