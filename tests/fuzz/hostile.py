"""Hypothesis strategies that turn a valid import file into a hostile one (security note R-01).

Each file starts from a small valid seed, so inputs get past the first check and reach the
deeper parsers and the writers. A mild input has one thing wrong (a cell, a row, a column, a
property, a geometry); a bad one has up to three, then damaged bytes (another encoding, BOMs,
NUL bytes, truncation); some inputs are not the expected format at all. Shapefiles get their
binary headers, lengths and coordinates overwritten. Every step is recorded in plain words, so
a failure names the input it came from.
"""

from __future__ import annotations

import csv
import io
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

Table = list[list[str]]


@dataclass(frozen=True)
class HostileFile:
    """The bytes to import and the steps that made them."""

    data: bytes
    steps: tuple[str, ...]
    # files beside it, by suffix (a shapefile's .shx, .dbf and .prj); a suffix left out is absent
    companions: tuple[tuple[str, bytes], ...] = ()

    def describe(self) -> str:
        shown = self.data[:160]
        more = f" … ({len(self.data):,} bytes)" if len(self.data) > len(shown) else ""
        return f"{' → '.join(self.steps) or 'as generated'}: {shown!r}{more}"


# Cells that have broken parsers elsewhere: numbers beyond range or finite precision, formula
# prefixes (CSV injection), impossible dates, non-ASCII digits, NUL, bidirectional overrides,
# quoting and separator characters, SQL and markup, and a lone surrogate (invalid once encoded).
HOSTILE_TEXT = (
    "", " ", "NaN", "nan", "inf", "-Infinity", "1e308", "-1e309", "1e-400", "91", "-180.000001", "0x1A", "-0",
    "=cmd|' /C calc'!A0", "+1+1", "-1", "@SUM(A1:A9)", "\t=1", "\r=1", "\x00", "a\x00b", "9999-12-31",
    "0000-00-00", "2024-02-30", "1900-01-01", "01 March 2024", "\u0663\u0660", "½", "1,000,000",
    "99999999999999999999", "P9", "p2 ", "\u202egpj.exe", "\u200b", "e\u0301", "\U0001f600", '"', 'a"b',
    "line\nbreak", "carriage\rreturn", "a;b;;c", "https://user:pw@127.0.0.1:0/x", "<script>alert(1)</script>",
    "' OR 1=1 --", "\ud800", "9" * 400, "9" * 5_000, "1" + "0" * 30, "XX0101", "xx0101 ", "Gang A (Haiti)", "Battles",
    "Armed clash", "ht:", "fr:;",
)  # fmt: skip
LONG_TEXT_SIZES = (201, 501, 1_001, 5_001, 100_001, 140_000)


def hostile_text() -> SearchStrategy[str]:
    """A cell or property text: a known troublemaker half the time, else any text or a long one."""
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=40),
        st.sampled_from(LONG_TEXT_SIZES).map(lambda size: "x" * size),
    )


def hostile_json() -> SearchStrategy[Any]:
    """Any JSON value a property or coordinate could be given instead of the expected one."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_text(),
    )
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
        max_leaves=6,
    )


# ---- bytes: what happens to any file on its way from a spreadsheet or a download


ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252")


def encode(draw: DrawFn, text: str, steps: list[str]) -> bytes:
    """UTF-8 three times in four; otherwise a BOM, UTF-16/32, or a legacy code page."""
    encoding = draw(st.one_of(*[st.just("utf-8")] * 3, st.sampled_from(ENCODINGS)))
    if encoding != "utf-8":
        steps.append(f"encoded as {encoding}")
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return text.encode(encoding, errors=errors)


def damage_bytes(draw: DrawFn, data: bytes, steps: list[str]) -> bytes:
    """Usually none; else one or two byte-level accidents: NUL or invalid bytes, truncation, a BOM."""
    for _ in range(draw(st.sampled_from((0, 0, 0, 1, 2)))):
        offset = draw(st.integers(0, len(data)))
        accident = draw(st.sampled_from(("nul", "invalid", "truncate", "bom", "flip")))
        if accident == "nul":
            data = data[:offset] + b"\x00" + data[offset:]
        elif accident == "invalid":
            data = (
                data[:offset] + draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"))) + data[offset:]
            )
        elif accident == "truncate":
            data = data[:offset]
        elif accident == "bom":
            data = b"\xef\xbb\xbf" + data
        elif data:
            offset = min(offset, len(data) - 1)
            data = data[:offset] + bytes([data[offset] ^ (1 << draw(st.integers(0, 7)))]) + data[offset + 1 :]
        steps.append(f"{accident} at byte {offset}" if accident != "bom" else "UTF-8 BOM added")
    return data


def odd_files() -> SearchStrategy[HostileFile]:
    """Files that are not the expected format at all."""
    fixed = {
        "empty file": b"",
        "only a BOM": b"\xef\xbb\xbf",
        "only newlines": b"\n\n\r\n",
        "only NUL bytes": b"\x00" * 64,
        "UTF-16 BOM and nothing else": b"\xff\xfe",
        "a zip header": b"PK\x03\x04" + b"\x00" * 26,
        "a gzip header": b"\x1f\x8b\x08\x00" + b"\x00" * 12,
    }
    return st.one_of(
        st.sampled_from(sorted(fixed.items())).map(lambda item: HostileFile(item[1], (item[0],))),
        st.binary(max_size=512).map(lambda data: HostileFile(data, ("random bytes",))),
    )


# ---- CSV: the table as cells, damaged, then written out


def read_table(text: str) -> Table:
    return list(csv.reader(io.StringIO(text)))


def write_table(table: Table, line_ending: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=line_ending).writerows(table)
    return out.getvalue()


def _drop_column(draw: DrawFn, table: Table) -> str:
    column = draw(st.integers(0, max(len(table[0]) - 1, 0)))
    for row in table:
        del row[column : column + 1]
    return f"column {column} dropped"


def _duplicate_column(draw: DrawFn, table: Table) -> str:
    column = draw(st.integers(0, max(len(table[0]) - 1, 0)))
    for row in table:
        row.append(row[column] if column < len(row) else "")
    return f"column {column} duplicated"


def _rename_column(draw: DrawFn, table: Table) -> str:
    column = draw(st.integers(0, max(len(table[0]) - 1, 0)))
    name = draw(st.one_of(hostile_text(), st.sampled_from(table[0] or [""]).map(str.upper)))
    table[0][column : column + 1] = [name]
    return f"column {column} renamed {name[:30]!r}"


def _swap_columns(draw: DrawFn, table: Table) -> str:
    first, second = (draw(st.integers(0, max(len(table[0]) - 1, 0))) for _ in range(2))
    if first < len(table[0]) and second < len(table[0]):
        table[0][first], table[0][second] = table[0][second], table[0][first]
    return f"headers {first} and {second} swapped"


def _garble_cell(draw: DrawFn, table: Table) -> str:
    row = draw(st.integers(1, max(len(table) - 1, 1)))
    if row >= len(table) or not table[row]:
        return "no cell to garble"
    column = draw(st.integers(0, len(table[row]) - 1))
    value = draw(hostile_text())
    table[row][column] = value
    return f"cell {row},{column} = {value[:30]!r}"


def _garble_column(draw: DrawFn, table: Table) -> str:
    column = draw(st.integers(0, max(len(table[0]) - 1, 0)))
    value = draw(hostile_text())
    for row in table[1:]:
        if column < len(row):
            row[column] = value
    return f"every cell of column {column} = {value[:30]!r}"


def _ragged_row(draw: DrawFn, table: Table) -> str:
    row = draw(st.integers(0, len(table) - 1))
    if draw(st.booleans()) and table[row]:
        table[row].pop()
        return f"row {row} lost its last cell"
    table[row].extend(draw(st.lists(hostile_text(), min_size=1, max_size=3)))
    return f"row {row} got extra cells"


def _duplicate_row(draw: DrawFn, table: Table) -> str:
    row = draw(st.integers(0, len(table) - 1))
    copies = draw(st.sampled_from((1, 2, 300, 1_200)))  # past 1,000 rows, the writers' first chunk is stored
    table[row + 1 : row + 1] = [list(table[row]) for _ in range(copies)]
    return f"row {row} repeated {copies} time(s)"


def _header_only(draw: DrawFn, table: Table) -> str:
    del table[draw(st.integers(1, 2)) :]
    return "data rows removed"


CSV_MUTATIONS: tuple[Callable[[DrawFn, Table], str], ...] = (
    _drop_column,
    _duplicate_column,
    _rename_column,
    _swap_columns,
    _garble_cell,
    _garble_cell,
    _garble_column,
    _ragged_row,
    _duplicate_row,
    _header_only,
)


@st.composite
def _mildly_damaged_csv(draw: DrawFn, seed: str) -> HostileFile:
    """One cell, row or column wrong in an otherwise clean UTF-8 file: these reach the writers."""
    table = read_table(seed)
    steps = (draw(st.sampled_from(CSV_MUTATIONS))(draw, table),)
    return HostileFile(write_table(table, "\n").encode("utf-8", errors="surrogatepass"), steps)


@st.composite
def _mutated_csv(draw: DrawFn, seed: str) -> HostileFile:
    table = read_table(seed)
    steps = [mutate(draw, table) for mutate in draw(st.lists(st.sampled_from(CSV_MUTATIONS), min_size=1, max_size=3))]
    line_ending = draw(st.sampled_from(("\n", "\r\n", "\r")))
    text = write_table(table, line_ending)
    if draw(st.integers(0, 3)) == 0:
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(('"', '"unterminated', "\x00", "\n\n,,,\n", ";", "\t"))) + text[cut:]
        steps.append(f"raw text inserted at {cut}")
    data = encode(draw, text, steps)
    return HostileFile(damage_bytes(draw, data, steps), tuple(steps))


def hostile_csv(seed: str) -> SearchStrategy[HostileFile]:
    """A damaged copy of the CSV ``seed`` (mildly two times in six, badly three), or a file that
    is not CSV at all."""
    return st.one_of(*[_mildly_damaged_csv(seed)] * 2, *[_mutated_csv(seed)] * 3, odd_files())


# ---- GeoJSON: the document as Python values, damaged, then serialised (with NaN and friends)

DEEP = "\x1fdeep\x1f"  # replaced by thousands of nested brackets once serialised
DEEP_LEVELS = (64, 1_000, 100_000)
BOW_TIE = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
HOSTILE_GEOMETRIES: tuple[Any, ...] = (
    None,
    {},
    [],
    "POLYGON((0 0,1 0,1 1,0 0))",
    {"type": "Point", "coordinates": [-72.38, 18.52]},
    {"type": "LineString", "coordinates": [[-72.4, 18.5], [-72.3, 18.5]]},
    {"type": "Polygon"},
    {"type": "Polygon", "coordinates": []},
    {"type": "Polygon", "coordinates": [[]]},
    {"type": "Polygon", "coordinates": "x"},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1]]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]},
    {"type": "Polygon", "coordinates": BOW_TIE},
    {"type": "Polygon", "coordinates": [[[0, 0, 0, 0], [1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]]]},
    {"type": "Polygon", "coordinates": [[[179.9, 0], [-179.9, 0], [-179.9, 1], [179.9, 0]]]},
    {"type": "Polygon", "coordinates": [[["-72.4", "18.5"], ["-72.3", "18.5"], ["-72.3", "18.6"], ["-72.4", "18.5"]]]},
    {"type": "Polygon", "coordinates": [[[float("nan"), 0], [1, 0], [1, 1], [float("nan"), 0]]]},
    {"type": "Polygon", "coordinates": [[[float("inf"), 0], [1, 0], [1, 1], [float("inf"), 0]]]},
    {"type": "Polygon", "coordinates": [[[1e308, 0], [1, 0], [1, 1], [1e308, 0]]]},
    {"type": "Polygon", "coordinates": [[[0, 91], [1, 0], [1, 1], [0, 91]]]},
    {"type": "Polygon", "coordinates": DEEP},
    {"type": "MultiPolygon", "coordinates": [[]]},
    {"type": "MultiPolygon", "coordinates": [BOW_TIE, BOW_TIE]},
    {"type": "GeometryCollection", "geometries": []},
    {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [0, 0]}]},
    {"type": "GeometryCollection", "geometries": [{"type": "GeometryCollection", "geometries": DEEP}]},
    {"type": "MultiLineString", "coordinates": [[[0, 0], [0, 0]]]},
    {"type": "MultiLineString", "coordinates": [[[-72.4, 18.5]], []]},
    {"type": "Sphere", "coordinates": [[0, 0]]},
)


def _feature(draw: DrawFn, document: Any) -> dict[str, Any] | None:
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        return None
    feature = features[draw(st.integers(0, len(features) - 1))]
    return feature if isinstance(feature, dict) else None


def _set_property(draw: DrawFn, document: Any, names: tuple[str, ...], extras: tuple[Any, ...]) -> str:
    feature = _feature(draw, document)
    if feature is None or not isinstance(feature.get("properties"), dict):
        return "no properties to change"
    name = draw(st.one_of(st.sampled_from(names), st.text(max_size=8)))
    value = draw(st.one_of(hostile_json(), st.sampled_from(extras or (None,))))
    feature["properties"][name] = value
    return f"property {name!r} = {repr(value)[:40]}"


def _drop_property(draw: DrawFn, document: Any) -> str:
    feature = _feature(draw, document)
    properties = feature.get("properties") if feature else None
    if not isinstance(properties, dict) or not properties:
        return "no property to drop"
    name = draw(st.sampled_from(sorted(properties)))
    del properties[name]
    return f"property {name!r} dropped"


def _replace_geometry(draw: DrawFn, document: Any) -> str:
    feature = _feature(draw, document)
    if feature is None:
        return "no geometry to replace"
    geometry = draw(st.sampled_from(HOSTILE_GEOMETRIES))
    feature["geometry"] = json.loads(json.dumps(geometry))  # a private copy, so later steps may edit it
    return f"geometry = {json.dumps(geometry)[:60]}"


def _corrupt_coordinate(draw: DrawFn, document: Any) -> str:
    feature = _feature(draw, document)
    geometry = feature.get("geometry") if feature else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    while isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
        coordinates = coordinates[draw(st.integers(0, len(coordinates) - 1))]
    if not isinstance(coordinates, list) or not coordinates:
        return "no coordinate to corrupt"
    position = draw(st.integers(0, len(coordinates) - 1))
    value: Any = draw(st.sampled_from((float("nan"), float("inf"), -1e308, 180.0000001, 90.5, -1000, None, "18.5", [])))
    coordinates[position] = value
    return f"coordinate {position} = {value!r}"


def _replace_feature(draw: DrawFn, document: Any) -> str:
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        return "no feature to replace"
    position = draw(st.integers(0, len(features) - 1))
    if draw(st.booleans()):
        features.insert(position, json.loads(json.dumps(features[position])))
        return f"feature {position} duplicated"
    features[position] = draw(st.sampled_from((None, [], "Feature", {}, {"type": "Feature"}, {"properties": None})))
    return f"feature {position} = {features[position]!r}"


def _many_features(draw: DrawFn, document: Any) -> str:
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        return "no feature to repeat"
    copies = draw(st.sampled_from((20, 80)))  # the control importer stores ~60 features a second
    features.extend(json.loads(json.dumps(features[0])) for _ in range(copies))
    return f"feature 0 repeated {copies} times"


def _break_collection(draw: DrawFn, document: Any) -> str:
    if not isinstance(document, dict):
        return "no collection to break"
    name, value = draw(
        st.sampled_from(
            (
                ("features", None),
                ("features", {}),
                ("features", "all of them"),
                ("features", DEEP),
                ("type", "Feature"),
                ("type", "Topology"),
                ("type", None),
                ("crs", {"type": "name", "properties": {"name": "EPSG:3857"}}),
            )
        )
    )
    document[name] = value
    return f"collection {name} = {value!r}"


def _json_steps(names: tuple[str, ...], extras: tuple[Any, ...]) -> tuple[Callable[[DrawFn, Any], str], ...]:
    def set_property(draw: DrawFn, document: Any) -> str:
        return _set_property(draw, document, names, extras)

    return (
        set_property,
        set_property,
        _drop_property,
        _replace_geometry,
        _replace_geometry,
        _corrupt_coordinate,
        _replace_feature,
        _many_features,
        _break_collection,
    )


def _serialise(draw: DrawFn, document: Any, steps: list[str]) -> str:
    """JSON as Python writes it (NaN and Infinity included), then textual damage json.dumps cannot make."""
    text = json.dumps(document, indent=draw(st.sampled_from((None, 1))))
    if DEEP in text:
        levels = draw(st.sampled_from(DEEP_LEVELS))
        text = text.replace(json.dumps(DEEP), "[" * levels + "]" * levels)
        steps.append(f"{levels} nested arrays")
    trick = draw(st.sampled_from(("none", "none", "duplicate key first", "duplicate key last", "1e400", "comment")))
    if trick == "duplicate key first" and '"properties": {' in text:
        name = draw(st.sampled_from(("actor", "valid_from", "ADM2_PCODE", "name", "type")))
        text = text.replace('"properties": {', f'"properties": {{"{name}": {json.dumps(draw(hostile_json()))}, ', 1)
    elif trick == "duplicate key last" and text.endswith("}"):
        text = text[:-1] + draw(st.sampled_from((', "features": []}', ', "type": "Topology"}', ', "features": 1}')))
    elif trick == "1e400":
        text = text.replace("18.5", "1e400", 1)
    elif trick == "comment":
        text = "// exported by hand\n" + text
    if trick != "none":
        steps.append(trick)
    return text


@st.composite
def _mildly_damaged_geojson(draw: DrawFn, seed: str, names: tuple[str, ...], extras: tuple[Any, ...]) -> HostileFile:
    """One property, geometry or feature wrong in an otherwise clean UTF-8 file."""
    document = json.loads(seed)
    steps = (draw(st.sampled_from(_json_steps(names, extras)))(draw, document),)
    text = json.dumps(document).replace(json.dumps(DEEP), "[" * 64 + "]" * 64)
    return HostileFile(text.encode("utf-8", errors="surrogatepass"), steps)


@st.composite
def _mutated_geojson(draw: DrawFn, seed: str, names: tuple[str, ...], extras: tuple[Any, ...]) -> HostileFile:
    document = json.loads(seed)
    chosen = draw(st.lists(st.sampled_from(_json_steps(names, extras)), min_size=1, max_size=3))
    steps = [mutate(draw, document) for mutate in chosen]
    if draw(st.integers(0, 9)) == 0:
        document = draw(st.sampled_from(([document], "FeatureCollection", 0, None)))
        steps.append(f"document = {document!r:.40}")
    data = encode(draw, _serialise(draw, document, steps), steps)
    return HostileFile(damage_bytes(draw, data, steps), tuple(steps))


def hostile_geojson(seed: str, names: tuple[str, ...], extras: tuple[Any, ...] = ()) -> SearchStrategy[HostileFile]:
    """A damaged copy of the GeoJSON ``seed``: ``names`` are the properties its reader looks at,
    ``extras`` values worth trying in them. Mildly two times in six, badly three, and otherwise a
    file that is not JSON at all."""
    return st.one_of(
        *[_mildly_damaged_geojson(seed, names, extras)] * 2, *[_mutated_geojson(seed, names, extras)] * 3, odd_files()
    )


# ---- shapefiles: binary headers, lengths and coordinates overwritten, parts cut short or missing

PACKED = {
    "NaN": struct.pack("<d", float("nan")),
    "infinity": struct.pack("<d", float("inf")),
    "1e308": struct.pack("<d", 1e308),
    "2**31-1 (big-endian)": struct.pack(">i", 2**31 - 1),
    "-1 (big-endian)": struct.pack(">i", -1),
    "2**31-1": struct.pack("<i", 2**31 - 1),
    "-1": struct.pack("<i", -1),
    "0": struct.pack("<i", 0),
}
PROJECTIONS = (b"", b'PROJCS["WGS 84 / Pseudo-Mercator"]', b"\xff\xfe\x00G", b'GEOGCS["GCS_WGS_1984"]')


def _damage_part(draw: DrawFn, files: dict[str, bytes]) -> str:
    suffix = draw(st.sampled_from(sorted(files)))
    data = files[suffix]
    offset = draw(st.integers(0, max(len(data) - 1, 0)))
    accident = draw(st.sampled_from(("overwrite", "overwrite", "flip", "truncate", "drop", "random", "projection")))
    if accident == "overwrite":
        name = draw(st.sampled_from(sorted(PACKED)))
        files[suffix] = data[:offset] + PACKED[name] + data[offset + len(PACKED[name]) :]
        return f"{suffix} byte {offset} = {name}"
    if accident == "flip" and data:
        files[suffix] = data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]
        return f"{suffix} byte {offset} flipped"
    if accident == "truncate":
        files[suffix] = data[:offset]
        return f"{suffix} cut at byte {offset}"
    if accident == "drop" and suffix != ".shp":
        del files[suffix]
        return f"{suffix} missing"
    if accident == "random":
        files[suffix] = draw(st.binary(max_size=256))
        return f"{suffix} = random bytes"
    files[".prj"] = draw(st.sampled_from(PROJECTIONS))
    return f".prj = {files['.prj']!r}"


@st.composite
def _damaged_shapefile(draw: DrawFn, parts: tuple[tuple[str, bytes], ...]) -> HostileFile:
    files = dict(parts)
    steps = [_damage_part(draw, files) for _ in range(draw(st.integers(1, 3)))]
    shp = files.pop(".shp")
    return HostileFile(shp, tuple(steps), tuple(sorted(files.items())))


def hostile_shapefile(parts: tuple[tuple[str, bytes], ...]) -> SearchStrategy[HostileFile]:
    """A damaged copy of a shapefile given as (suffix, bytes) parts, ``.shp`` among them."""
    return _damaged_shapefile(parts)
