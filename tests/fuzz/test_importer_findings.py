"""Inputs the importer fuzzer found that crashed an importer or refused it vaguely, kept as tests.

Each case was reduced by hand from a generated input to the one thing that mattered; before its
fix it raised something other than ImportRejected, or named no field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.fuzz.seeds import boundaries_shapefile, fixture_text
from ulinzi.forces.importers.strength.importer import import_strength
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.population.importer import import_population
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.hxl.importer import import_hxl

pytestmark = pytest.mark.django_db

HXL_SEED = fixture_text("hxl_sample.csv")
ACLED_SEED = fixture_text("acled_sample.csv")
SHAPEFILE = dict(boundaries_shapefile())
DBF_TYPE = 32 + 11  # the first field's type: after the 32-byte dBASE header, its descriptor's 12th byte


def _hxl_with_description(description: str) -> bytes:
    """The seed with the description of its second event (line 4) replaced."""
    return HXL_SEED.replace("Made-up test event.,", f"{description},", 1).encode()


def _acled_iso_dates_only(fatalities: str) -> bytes:
    """Without the row dated "05 May 2024" the fast columnar reader takes the whole file."""
    rows = [line for line in ACLED_SEED.splitlines(keepends=True) if not line.startswith("TST0004")]
    text = "".join(rows).replace("Subnational,Made-up test event.,0,", f"Subnational,Made-up test event.,{fatalities},")
    return text.encode()


@dataclass(frozen=True)
class Finding:
    """A file that once broke an importer, and the first problem its refusal must now name."""

    name: str
    run: Callable[[Path], object]
    content: bytes
    line: int
    field: str
    reason_starts: str
    suffix: str = ".csv"
    companions: tuple[tuple[str, bytes], ...] = ()  # files beside it, by suffix


def _damaged_shapefile(name: str, suffix: str, content: bytes) -> Finding:
    """The seed shapefile with one part replaced; refused as a whole file (line 0)."""
    parts = {**SHAPEFILE, suffix: content}
    shp = parts.pop(".shp")
    return Finding(name, import_boundaries, shp, 0, "file", "not a readable shapefile", ".shp", tuple(parts.items()))


DBF = SHAPEFILE[".dbf"]
SHAPEFILE_FINDINGS = (
    # pyshp looked the corrupt dBASE field type up in a dict: KeyError
    _damaged_shapefile("shapefile-dbf-field-type", ".dbf", DBF[:DBF_TYPE] + b" " + DBF[DBF_TYPE + 1 :]),
    # cut short: pyshp warns (PossiblyCorruptFileHeader), which the suite's error filter made a crash
    _damaged_shapefile("shapefile-cut-short", ".shp", SHAPEFILE[".shp"][:247]),
)


FINDINGS = (
    # libhxl's delimiter guess raised csv.Error on old Mac line endings
    Finding("hxl-cr-line-endings", import_hxl, HXL_SEED.replace("\n", "\r").encode(), 1, "hashtag row", "not a read"),
    # libhxl sniffed a zip signature and raised BadZipFile; the importer now reads CSV only
    Finding("hxl-zip-signature", import_hxl, b"PK\x03\x04" + b"\x00" * 26, 1, "hashtag row", "not a readable HXL"),
    # stored as is on SQLite; on PostgreSQL the actor's insert raised DataError
    Finding("hxl-nul", import_hxl, HXL_SEED.replace("Rioters (Haiti)", "Rio\x00ters (Haiti)").encode(), 4, "row",
            "contains a NUL"),
    # accepted, though CsvSource refuses any cell over 100,000 characters in every other CSV
    Finding("hxl-long-cell", import_hxl, _hxl_with_description("x" * 100_001), 4, "#description", "longer than"),
    # the csv module's own cell limit (131,072 characters) raised csv.Error mid-file
    Finding("hxl-huge-cell", import_hxl, _hxl_with_description("x" * 140_000), 4, "row", "not a readable HXL"),
    # two unnamed columns were "column appears more than once" in a field with no name
    Finding("acled-unnamed-columns", import_acled,
            ACLED_SEED.replace(",year,", ",,", 1).replace(",iso,", ",,", 1).encode(), 1, "header", "more than one"),
    # the columnar reader's int() refused more than 4,300 digits with a ValueError
    Finding("acled-many-digits", import_acled, _acled_iso_dates_only("9" * 5_000), 4, "fatalities", "'9999"),
    # float() made 400 nines infinite, and int(inf) raised OverflowError
    Finding("population-many-digits", import_population,
            b"adm2_pcode,population\nXX0101," + b"9" * 400 + b"\n", 2, "population", "'9999"),
    Finding("strength-many-digits", import_strength,
            (FIXTURES / "strength_template.csv").read_bytes().replace(b",100,", b"," + b"9" * 5_000 + b",", 1), 2,
            "personnel", "'9999"),
    *SHAPEFILE_FINDINGS,
    # shapely's GeometryTypeError for a GeoJSON type it does not know was not among those caught
    Finding("geojson-unknown-geometry-type", import_boundaries,
            fixture_text("three_areas.geojson").replace('"Polygon"', '"Sphere"', 1).encode(), 1, "geometry",
            "unreadable geometry", ".geojson"),
)  # fmt: skip


@pytest.mark.parametrize("finding", FINDINGS, ids=[finding.name for finding in FINDINGS])
def test_a_fuzzer_finding_is_refused_with_its_line_and_field(finding: Finding, areas: None, tmp_path: Path) -> None:
    path = (tmp_path / "found").with_suffix(finding.suffix)
    path.write_bytes(finding.content)
    for suffix, content in finding.companions:
        path.with_suffix(suffix).write_bytes(content)
    with pytest.raises(ImportRejected) as rejected:
        finding.run(path)
    first = rejected.value.errors[0]
    assert (first.file, first.line, first.field) == (path.name, finding.line, finding.field), str(first)
    assert first.reason.startswith(finding.reason_starts), str(first)[:300]
