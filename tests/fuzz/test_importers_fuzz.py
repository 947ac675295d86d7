"""Every registered importer, fed damaged copies of a valid file (security note R-01).

The contract under test: a bad file is refused with ``ImportRejected`` and nothing else; each
problem names the file, the line (or feature) and the field; and a refused file leaves every
table as it was. Inputs are generated deterministically (``derandomize``), so a failure found
here is found again on the next run and on every machine. Each input runs inside a savepoint
rolled back afterwards, so the examples of one test do not see each other's writes.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
import shapefile
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

from tests.conftest import FIXTURES
from tests.fuzz.hostile import HostileFile, hostile_csv, hostile_geojson, hostile_shapefile
from tests.fuzz.seeds import ACTORS_SEED, TRACKS_SEED, boundaries_shapefile, control_seed, fixture_text
from ulinzi.forces.importers.strength.importer import import_strength
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.control.features import PROPERTIES as CONTROL_PROPERTIES
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer
from ulinzi.geo.importers.population.importer import import_population
from ulinzi.geo.importers.roads.importer import import_roads
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.registry import IMPORTERS
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.hxl.importer import import_hxl
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.patrols.importer import import_tracks
from ulinzi.protection.importers.sgbv.importer import import_sgbv

pytestmark = pytest.mark.django_db

EXAMPLES_PER_IMPORTER = 40
# R-01 allows 2 s per input; a shared 2-core CI machine needs the margin. Importers write row by
# row, so a large valid-looking file may take longer, but never more than this per row or feature.
SLOW_SECONDS = 5.0
SECONDS_PER_ROW = 0.02
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_IMPORTER,
    derandomize=True,
    database=None,  # derandomized runs need no example database, and none is written into the checkout
    deadline=None,  # imports touch the database; SLOW_SECONDS is the time limit that matters here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SHAPEFILE_COMPANIONS = (".shx", ".dbf", ".prj")

CONTROL_VALUES = (
    ["XX0101", "XX0102"],
    ["XX9999"],
    ["X" * 21],
    "XX0101",
    [1, 2],
    ["896725cf26bffff"] * 3,
    ["zz"],
    "acled:TST0001; acled:NOPE",
    "P4",
    "p5",
    "2024-13-01",
    "1999-12-31",
)


@dataclass(frozen=True)
class Target:
    """One importer (or one layout of it) with the valid seed its hostile files are made from;
    for GeoJSON, the properties its reader looks at and values worth trying in them."""

    name: str
    kind: str  # the registry kind it exercises
    run: Callable[[Path], object]
    seed: str
    layout: Literal["csv", "geojson", "shp"] = "csv"
    properties: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()
    parts: tuple[tuple[str, bytes], ...] = ()  # a shapefile's seed, by suffix

    @property
    def file_name(self) -> str:
        return f"fuzz-{self.name}.{self.layout}"

    def inputs(self) -> SearchStrategy[HostileFile]:
        if self.layout == "csv":
            return hostile_csv(self.seed)
        if self.layout == "shp":
            return hostile_shapefile(self.parts)
        return hostile_geojson(self.seed, self.properties, self.values)

    def seed_file(self) -> HostileFile:
        if self.layout == "shp":
            parts = dict(self.parts)
            return HostileFile(parts.pop(".shp"), ("seed",), tuple(parts.items()))
        return HostileFile(self.seed.encode(), ("seed",))


TARGETS = (
    Target("strength-template", "strength", import_strength, fixture_text("strength_template.csv")),
    Target("strength-timeline", "strength", import_strength, fixture_text("strength_timeline.csv")),
    Target("acled", "acled", import_acled, fixture_text("acled_sample.csv")),
    Target("ucdp", "ucdp", import_ucdp, fixture_text("ucdp_sample.csv")),
    Target("hxl", "hxl", import_hxl, fixture_text("hxl_sample.csv")),
    Target("actors", "actors", import_actors, ACTORS_SEED),
    Target("population", "population", import_population, fixture_text("population_three_areas.csv")),
    Target("gazetteer", "gazetteer", import_gazetteer, fixture_text("gazetteer_three_areas.csv")),
    Target("places", "gazetteer", import_gazetteer, fixture_text("places_three_areas.csv")),
    Target("sgbv", "sgbv", import_sgbv, fixture_text("sgbv_three_areas.csv")),
    Target("tracks", "tracks", import_tracks, TRACKS_SEED),
    Target(
        "boundaries",
        "boundaries",
        import_boundaries,
        fixture_text("three_areas.geojson"),
        "geojson",
        ("ADM2_PCODE", "ADM2_FR", "ADM2_EN", "ADM2_HT", "ADM1_PCODE", "ADM0_PCODE", "valid_on"),
        ("XX0101", "XX0102", "2024-02-30"),
    ),
    Target("control", "control", import_control, control_seed(), "geojson", CONTROL_PROPERTIES, CONTROL_VALUES),
    Target("roads", "roads", import_roads, fixture_text("roads_cross.geojson"), "geojson", ("name", "ref")),
    Target("boundaries-shapefile", "boundaries", import_boundaries, "", "shp", parts=boundaries_shapefile()),
)


@dataclass
class ImporterTally:
    """Figures per importer, printed at the end of the run by the fuzz conftest."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    slowest: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        total: Counter[str] = sum(self.counts.values(), Counter())
        lines = [
            f"fuzz importers: {len(self.counts)} importers, {total['inputs']:,} inputs "
            f"({total['rejected']:,} rejected, {total['accepted']:,} accepted), {total['crashes']:,} crashes, "
            f"{total['partial writes']:,} partial writes, {total['vague messages']:,} vague messages, "
            f"{total['slow']:,} too slow, {sum(self.seconds.values()):.1f} s in all"
        ]
        lines += [
            f"  {name}: {counts['inputs']} inputs, {counts['rejected']} rejected, {counts['accepted']} accepted, "
            f"{counts['crashes']} crashes, slowest {self.slowest[name]:.2f} s"
            for name, counts in self.counts.items()
        ]
        return "\n".join(lines)


@pytest.fixture
def importer_tally(fuzz_tallies: dict[str, object]) -> ImporterTally:
    tally = fuzz_tallies.setdefault("importers", ImporterTally())
    assert isinstance(tally, ImporterTally)
    return tally


@pytest.fixture
def stored_records(areas: None) -> None:
    """What a working installation holds: three communes, five ACLED events with their actors."""
    import_acled(FIXTURES / "acled_sample.csv")


def test_every_registered_importer_is_fuzzed() -> None:
    assert {target.kind for target in TARGETS} == set(IMPORTERS)


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_each_seed_file_imports(target: Target, stored_records: None, tmp_path: Path) -> None:
    """The hostile files are damaged copies of the seed: a valid seed lets them reach past the
    first check into the parsers and writers behind it."""
    path = tmp_path / target.file_name
    _write(path, target.seed_file())
    assert _attempt(target, path, path.read_bytes())[:2] == ("accepted", [])


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_a_hostile_file_is_refused_cleanly_or_imported(
    target: Target, stored_records: None, tmp_path: Path, importer_tally: ImporterTally
) -> None:
    path = tmp_path / target.file_name
    counts: Counter[str] = Counter()
    failures: list[str] = []
    slowest = 0.0
    started = time.perf_counter()

    @FUZZ_SETTINGS
    @given(target.inputs())
    def import_one(hostile: HostileFile) -> None:
        nonlocal slowest
        _write(path, hostile)
        verdict, problems, seconds = _attempt(target, path, hostile.data)
        counts["inputs"] += 1
        counts[verdict] += 1
        counts["slow"] += any(problem.startswith("took ") for problem in problems)
        slowest = max(slowest, seconds)
        failures.extend(f"{target.name}: {problem}\n    input: {hostile.describe()}" for problem in problems)

    import_one()
    importer_tally.counts[target.name] = counts
    importer_tally.slowest[target.name] = slowest
    importer_tally.seconds[target.name] = time.perf_counter() - started
    assert not failures, "\n".join(failures)


def _write(path: Path, hostile: HostileFile) -> None:
    """The file and its companions; a companion the input leaves out is removed, not left over."""
    path.write_bytes(hostile.data)
    companions = dict(hostile.companions)
    for suffix in SHAPEFILE_COMPANIONS:
        if suffix in companions:
            path.with_suffix(suffix).write_bytes(companions[suffix])
        else:
            path.with_suffix(suffix).unlink(missing_ok=True)


def _attempt(target: Target, path: Path, data: bytes) -> tuple[str, list[str], float]:
    """Import one file inside a savepoint that is always rolled back: the verdict, any problems
    (a crash, a vague refusal, rows written by a refused import, too long a wait) and the time."""
    lines = _line_range(target, path, data)
    budget = SLOW_SECONDS + SECONDS_PER_ROW * len(lines)
    with transaction.atomic():
        before = _row_counts()
        started = time.perf_counter()
        try:
            target.run(path)
        except ImportRejected as rejected:
            seconds = time.perf_counter() - started
            problems = _vague_errors(rejected.errors, path.name, lines)
            verdict = "vague messages" if problems else "rejected"
            changed = sorted(label for label, rows in _row_counts().items() if rows != before[label])
            if changed:
                verdict = "partial writes"
                problems.append(f"refused, yet rows changed in {', '.join(changed)}")
        except Exception as error:  # any other exception is the crash this test exists to find
            seconds = time.perf_counter() - started
            verdict, problems = "crashes", [f"crashed with {type(error).__name__}: {str(error)[:300]}"]
        else:
            seconds = time.perf_counter() - started
            verdict, problems = "accepted", []
        transaction.set_rollback(True)
    if seconds > budget:
        problems.append(f"took {seconds:.1f} s, more than {budget:.1f} s")
    return verdict, problems, seconds


def _row_counts() -> dict[str, int]:
    """Rows in every Ulinzi table, many-to-many links included."""
    return {
        model._meta.label: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.name.startswith("ulinzi.")
        for model in config.get_models(include_auto_created=True)
    }


def _line_range(target: Target, path: Path, data: bytes) -> range:
    """Where a problem may point: a physical line of a CSV file (the header is line 1), or a
    GeoJSON or shapefile feature (0 for the file as a whole)."""
    if target.layout == "csv":
        return range(1, data.count(b"\n") + data.count(b"\r") + 2)
    if target.layout == "shp":
        try:
            with shapefile.Reader(str(path)) as reader:
                return range(len(reader) + 1)
        except Exception:  # unreadable: only the file as a whole can be at fault
            return range(1)
    try:
        features = json.loads(data).get("features")
    except (ValueError, RecursionError, AttributeError):
        return range(1)
    return range(len(features) + 1 if isinstance(features, list) else 1)


def _vague_errors(errors: list[RowError], file_name: str, lines: range) -> list[str]:
    """Problems that would not let a user find the fault: no file, an impossible line, no field."""
    if not errors:
        return ["refused without saying why"]
    vague = []
    for error in errors:
        text = str(error)
        if (
            error.file != file_name
            or error.line not in lines
            or not error.field
            or not error.reason
            or not text.startswith(f"{file_name}:{error.line}: {error.field}: ")
        ):
            vague.append(f"vague refusal {text[:200]!r} (lines {lines.start}-{lines.stop - 1})")
    return vague
