"""Read a gazetteer CSV into place records, without touching the database.

Two layouts, told apart by their header (docs/importing.md, "gazetteer"):

- the COD-AB admin gazetteer: ``level, pcode, name_fr, name_en, name_ht, adm2_pcode, adm1_pcode,
  label_lat, label_lon`` (one row per administrative unit);
- the Ulinzi places template: ``name, kind, lat, lon`` and optional ``aliases, within, precision,
  source``, for neighbourhoods, landmarks and roads. Aliases are separated by ``;`` and may carry a
  language: ``ht:Petyonvil; Petionville``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ulinzi.importing.csvrows import CsvRow, CsvSource, RowInvalid, RowReader
from ulinzi.importing.errors import FieldError, ImportRejected, RowError
from ulinzi.importing.fields import coordinate

KINDS = ("settlement", "neighbourhood", "landmark", "road")
LANGUAGES = ("fr", "en", "ht")


@dataclass(frozen=True)
class PlaceRecord:
    line: int
    name: str
    kind: str
    pcode: str
    admin_chain: tuple[str, ...]  # empty: to be found from the point
    lon: float
    lat: float
    precision: int
    names: tuple[tuple[str, str], ...]  # (language, name); the first is the official name
    source: str

    @property
    def key(self) -> str:
        if self.pcode:
            return f"admin:{self.pcode}"
        basis = f"{self.kind}|{self.name.casefold()}|{self.lon:.4f}|{self.lat:.4f}"
        return hashlib.sha256(basis.encode()).hexdigest()


@dataclass(frozen=True)
class Layout:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    parse: Callable[[RowReader, str], PlaceRecord]


def _text(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise ValueError(f"longer than {limit} characters")
        return text

    return parse


def _required_text(text: str) -> str:
    if not text:
        raise ValueError("a name is required")
    return _text(200)(text)


def _one_of(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in options:
            raise ValueError(f"{text!r} is not one of: {', '.join(options)}")
        return value

    return parse


def _precision(text: str) -> int:
    if not text:
        return 2
    if text not in {"1", "2", "3"}:
        raise ValueError(f"{text!r} is not 1, 2 or 3")
    return int(text)


def _aliases(text: str) -> tuple[tuple[str, str], ...]:
    aliases = []
    for piece in (p.strip() for p in text.split(";")):
        if not piece:
            continue
        prefix, separator, rest = piece.partition(":")
        language, name = (
            (prefix.strip().lower(), rest.strip()) if separator and prefix.strip().lower() in LANGUAGES else ("", piece)
        )
        if not name or len(name) > 200:
            raise ValueError(f"alias {piece!r} is empty or longer than 200 characters")
        aliases.append((language, name))
    return tuple(aliases)


def parse_admin_row(reader: RowReader, source: str) -> PlaceRecord:
    level = reader.value("level", _one_of(("0", "1", "2", "3", "4", "5")))
    pcode = reader.value("pcode", _text(20))
    lat = reader.value("label_lat", coordinate(90))
    lon = reader.value("label_lon", coordinate(180))
    names = [(language, reader.value(f"name_{language}", _text(200))) for language in LANGUAGES]
    reader.check()
    if not pcode:
        raise RowInvalid([FieldError("pcode", "a P-code is required")])
    present = tuple((language, name) for language, name in names if name)
    if not present:
        raise RowInvalid([FieldError("name_fr", "the unit has no name in any language")])
    parents = [reader.text("adm2_pcode") if level == "3" else "", reader.text("adm1_pcode") if level != "1" else ""]
    chain = tuple(dict.fromkeys(code for code in (pcode, *parents) if code))
    return PlaceRecord(reader.row.line, present[0][1], "admin", pcode, chain, lon, lat, 3, present, source)


def parse_place_row(reader: RowReader, source: str) -> PlaceRecord:
    name = reader.value("name", _required_text)
    kind = reader.value("kind", _one_of(KINDS))
    lat = reader.value("lat", coordinate(90))
    lon = reader.value("lon", coordinate(180))
    aliases = reader.value("aliases", _aliases)
    precision = reader.value("precision", _precision)
    within = reader.value("within", _text(20))
    reader.check()
    names = (("", name), *((lang, alias) for lang, alias in aliases if alias != name))
    place_source = reader.text("source")[:500] or source
    return PlaceRecord(
        reader.row.line, name, kind, "", (within,) if within else (), lon, lat, precision, names, place_source
    )


ADMIN = Layout(
    "cod-ab-gazetteer",
    ("level", "pcode", "name_fr", "label_lat", "label_lon"),
    ("name_en", "name_ht", "adm2_pcode", "adm1_pcode", "centroid_lat", "centroid_lon", "pap_metro"),
    parse_admin_row,
)
PLACES = Layout(
    "ulinzi-places", ("name", "kind", "lat", "lon"), ("aliases", "within", "precision", "source"), parse_place_row
)


def detect_layout(source: CsvSource) -> Layout:
    if "pcode" in source.columns and "level" in source.columns:
        return ADMIN
    if "name" in source.columns and "kind" in source.columns:
        return PLACES
    reason = "not a gazetteer; expected a COD-AB admin gazetteer (level, pcode, ...) or places (name, kind, lat, lon)"
    raise ImportRejected([RowError(source.name, 1, "header", reason)])


def read_places(source: CsvSource, layout: Layout) -> Iterator[PlaceRecord | RowError]:
    header = source.check_header(layout.required, (*layout.required, *layout.optional))
    yield from source.header_errors(header)
    for item in source.rows():
        if isinstance(item, RowError):
            yield item
            continue
        yield from _parse(item, layout, header.missing, source.name)


def _parse(row: CsvRow, layout: Layout, missing: tuple[str, ...], source: str) -> Iterator[PlaceRecord | RowError]:
    try:
        yield layout.parse(RowReader(row, missing), source)
    except RowInvalid as invalid:
        yield from (row.error(error.field, error.reason) for error in invalid.errors)
