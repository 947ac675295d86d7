import csv
import doctest
import io
import json
import sys
from pathlib import Path

import geopandas
import hxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.db.models import QuerySet

from tests.conftest import session_client, token_client
from tests.test_cli import run
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.cli import EXPORT_FORMATS, build_parser
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.incidents import exports, services
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.models import Actor, Event
from ulinzi.sources.models import ImportBatch, Source

pytestmark = pytest.mark.django_db

# ACLED's export layout, as the importer's fixtures use it; every row below is made up.
ACLED_HEADER = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
DEFAULTS = {
    "year": "2024",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Gang A (Haiti)",
    "inter1": "Political militias",
    "iso": "332",
    "region": "Caribbean",
    "country": "Haiti",
    "admin1": "Ouest",
    "admin2": "Port-au-Prince",
    "geo_precision": "1",
    "source": "Outlet One",
    "source_scale": "National",
    "fatalities": "0",
    "timestamp": "1710000000",
}
ROWS = [
    {
        "event_id_cnty": "EXP0001",
        "event_date": "2024-03-02",
        "actor2": "Police Forces of Haiti (2017-)",
        "inter2": "State forces",
        "interaction": "State forces-Political militias",
        "admin3": "Alpha",
        "location": "Alpha - Marche Neuf",
        "latitude": "18.52",
        "longitude": "-72.385",
        "source": "Outlet One; Outlet Two",
        "notes": 'Made-up: "heavy" fire, two streets, a comma and quotes.',
        "fatalities": "3",
    },
    {
        "event_id_cnty": "EXP0002",
        "event_date": "05 March 2024",
        "disorder_type": "Political violence",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "inter1": "3",
        "actor2": "Civilians (Haiti)",
        "inter2": "7",
        "interaction": "37",
        "civilian_targeting": "Civilian targeting",
        "admin3": "Bêta",
        "location": "Bêta",
        "latitude": "18.512345678901",
        "longitude": "-72.3456789012345",
        "geo_precision": "2",
        "notes": "Made-up: moun yo kouri — an attack on residents.",
        "fatalities": "5",
    },
    {
        "event_id_cnty": "EXP0003",
        "event_date": "2024-04-10",
        "time_precision": "2",
        "disorder_type": "Demonstrations",
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "actor1": "Protesters (Haiti)",
        "inter1": "6",
        "interaction": "60",
        "admin3": "Gamma",
        "location": "Gamma",
        "latitude": "18.51",
        "longitude": "-72.28",
        "geo_precision": "3",
        "source": "Outlet Three",
        "source_scale": "Subnational",
        "notes": "Made-up march.\nA second line of notes.",
        "tags": "crowd size=no report",
    },
    {
        "event_id_cnty": "EXP0004",
        "event_date": "2024-05-20",
        "actor1": "Gang B (Haiti)",
        "assoc_actor_1": "Gang C (Haiti); Gang D (Haiti)",
        "actor2": "Gang A (Haiti)",
        "inter2": "3",
        "interaction": "33",
        "location": "Outside every loaded area",
        "latitude": "19.1",
        "longitude": "-72.7",
        "notes": "Made-up clash between two gangs.",
        "fatalities": "1",
    },
    {
        "event_id_cnty": "EXP0005",
        "event_date": "2024-06-01",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Grenade",
        "actor1": "Unidentified Armed Group (Haiti)",
        "inter1": "3",
        "admin3": "Alpha",
        "location": "Alpha",
        "latitude": "18.53",
        "longitude": "-72.39",
        "source": "Outlet One; Outlet Three",
        "notes": "Made-up.",
        "fatalities": "12",
    },
]
LABELS = {
    "EXP0001": Sensitivity.PUBLIC,
    "EXP0002": Sensitivity.INTERNAL,
    "EXP0003": Sensitivity.CONFIDENTIAL,
    "EXP0004": Sensitivity.STRICTLY_CONFIDENTIAL,
    "EXP0005": Sensitivity.CRITICAL,
}


def write_acled(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ACLED_HEADER, restval="")
        writer.writeheader()
        writer.writerows({**DEFAULTS, **row} for row in rows)
    return path


@pytest.fixture
def acled_file(tmp_path) -> Path:
    return write_acled(tmp_path / "acled_export_fixture.csv", ROWS)


@pytest.fixture
def areas(fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")


@pytest.fixture
def imported(areas, acled_file) -> None:
    import_acled(acled_file)


@pytest.fixture
def labelled(imported) -> None:
    for event_id, label in LABELS.items():
        Event.objects.filter(natural_key=f"acled:{event_id}").update(sensitivity=int(label))


def everything() -> QuerySet[Event]:
    return services.events(Viewer.operator(Sensitivity.CRITICAL), services.EventFilter())


def exported(writer, events=None) -> bytes:
    out = io.BytesIO()
    writer(everything() if events is None else events, out)
    return out.getvalue()


def stored_events() -> list[tuple[object, ...]]:
    """Every stored field of every event (ids and import batches aside), actors and sources included."""
    fields = [f.attname for f in Event._meta.concrete_fields if f.attname not in {"id", "batch_id"}]
    fields = [f for f in fields if f not in {"actor1_id", "actor2_id"}]
    rows = []
    for event in Event.objects.order_by("natural_key"):
        sources = sorted((s.reference, s.publisher) for s in event.sources.all())
        actor2 = (event.actor2.name, event.actor2.kind) if event.actor2 else None
        rows.append((*(getattr(event, f) for f in fields), event.actor1.name, event.actor1.kind, actor2, sources))
    return rows


def empty_the_store() -> None:
    Event.objects.all().delete()
    Actor.objects.all().delete()
    Source.objects.all().delete()
    ImportBatch.objects.all().delete()


def csv_ids(body: bytes) -> set[str]:
    return {row["event_id_cnty"] for row in csv.DictReader(io.StringIO(body.decode()))}


def test_csv_round_trips_every_stored_field(imported, tmp_path):
    before = stored_events()
    first = tmp_path / "first.csv"
    with first.open("wb") as handle:
        assert exports.write_csv(everything(), handle) == 5
    empty_the_store()
    outcome = import_acled(first)
    assert (outcome.created, outcome.rejected, outcome.notices) == (5, [], [])
    assert stored_events() == before
    assert exported(exports.write_csv) == first.read_bytes()


def test_csv_has_acleds_columns_in_acleds_order(imported):
    header, *rows = list(csv.reader(io.StringIO(exported(exports.write_csv).decode())))
    assert header == [name for name in ACLED_HEADER if name not in {"region", "timestamp"}]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    second = by_id["EXP0002"]
    assert (second["event_date"], second["year"], second["iso"]) == ("2024-03-05", "2024", "332")
    assert (second["inter1"], second["civilian_targeting"]) == ("Political militias", "Civilian targeting")
    assert (second["latitude"], second["longitude"]) == ("18.512345678901", "-72.3456789012345")
    assert by_id["EXP0003"]["notes"] == "Made-up march.\nA second line of notes."
    assert [row[0] for row in rows] == ["EXP0005", "EXP0004", "EXP0003", "EXP0002", "EXP0001"]


def test_the_docstring_examples_hold():
    result = doctest.testmod(exports)
    assert (result.attempted > 0, result.failed) == (True, 0)


def test_a_key_from_another_source_exports_with_a_dash(imported):
    Event.objects.filter(natural_key="acled:EXP0001").update(natural_key="ucdp:77:3")
    assert "ucdp-77-3" in csv_ids(exported(exports.write_csv))


def test_text_cells_are_guarded_against_formulas_but_numbers_stay_numbers(imported):
    Event.objects.filter(natural_key="acled:EXP0001").update(notes='=HYPERLINK("http://example.org")', tags="@SUM(1)")
    for writer in (exports.write_csv, exports.write_hxl):
        rows = list(csv.DictReader(io.StringIO(exported(writer).decode())))
        first = next(row for row in rows if row["event_id_cnty"] == "EXP0001")
        assert (first["notes"], first["tags"]) == ('\'=HYPERLINK("http://example.org")', "'@SUM(1)")
        assert first["longitude"] == "-72.385"


def test_the_csv_streams_in_chunks(imported, monkeypatch):
    whole = exported(exports.write_csv)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    chunks = list(exports.stream("csv", everything()))
    assert len(chunks) == 3
    assert b"".join(chunks) == whole


def test_geojson_is_rfc_7946_and_opens_in_geopandas(labelled, tmp_path):
    path = tmp_path / "events.geojson"
    with path.open("wb") as handle:
        exports.write_geojson(everything(), handle)
    document = json.loads(path.read_text())
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document
    event = Event.objects.get(natural_key="acled:EXP0002")
    feature = next(f for f in document["features"] if f["id"] == event.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [-72.3456789012345, 18.512345678901]}
    properties = feature["properties"]
    assert (properties["id"], properties["event_id_cnty"], properties["adm2_pcode"]) == (event.pk, "EXP0002", "XX0102")
    assert (properties["fatalities_low"], properties["fatalities"], properties["fatalities_high"]) == (5, 5, 5)
    assert (properties["verification"], properties["sensitivity"], properties["event_date"]) == (
        "reported",
        "P1",
        "2024-03-05",
    )

    frame = geopandas.read_file(path, engine="pyogrio")
    assert len(frame) == 5
    assert frame.crs.to_epsg() == 4326
    points = {row.event_id_cnty: (row.geometry.x, row.geometry.y) for row in frame.itertuples()}
    assert points["EXP0001"] == (-72.385, 18.52)
    assert points["EXP0004"] == (-72.7, 19.1)


def test_hxl_validates_and_its_tags_read_back(labelled, tmp_path):
    path = tmp_path / "events.hxl.csv"
    with path.open("wb") as handle:
        exports.write_hxl(everything(), handle)
    options = hxl.InputOptions(allow_local=True)
    problems: list[str] = []
    schema = hxl.schema(callback=lambda problem: problems.append(str(problem)))
    with hxl.data(str(path), options) as source:
        assert schema.validate(source), problems
    with hxl.data(str(path), options) as dataset:
        tags = [column.display_tag for column in dataset.columns]
        rows = list(dataset)
    assert tags == [column.hxl for column in exports.COLUMNS]
    assert {"#event+id", "#date", "#adm2+code", "#geo+lat", "#affected+killed+max", "#meta+source"} <= set(tags)
    assert sum(int(row.get("#affected+killed")) for row in rows) == 21
    first = next(row for row in rows if row.get("#event+id") == "EXP0001")
    assert (first.get("#adm2+code"), first.get("#geo+lon"), first.get("#meta+sensitivity")) == (
        "XX0101",
        "-72.385",
        "P0",
    )
    third = next(row for row in rows if row.get("#event+id") == "EXP0003")
    assert third.get("#description+notes") == "Made-up march. A second line of notes."


def test_parquet_reads_back_with_types(labelled, tmp_path):
    path = tmp_path / "events.parquet"
    with path.open("wb") as handle:
        assert exports.write_parquet(everything(), handle) == 5
    table = pq.read_table(path)
    assert table.num_rows == 5
    types = {name: table.schema.field(name).type for name in table.column_names}
    assert types["event_date"] == pa.date32()
    assert types["fatalities"] == types["fatalities_high"] == types["year"] == pa.int64()
    assert types["latitude"] == types["longitude"] == pa.float64()
    assert types["event_id_cnty"] == types["notes"] == pa.string()
    rows = {row["event_id_cnty"]: row for row in table.to_pylist()}
    assert (rows["EXP0002"]["longitude"], rows["EXP0002"]["latitude"]) == (-72.3456789012345, 18.512345678901)
    assert str(rows["EXP0002"]["event_date"]) == "2024-03-05"
    assert rows["EXP0004"]["adm2_pcode"] == ""
    assert sum(row["fatalities"] for row in rows.values()) == 21


def test_parquet_is_written_one_bounded_row_group_at_a_time(imported, monkeypatch):
    monkeypatch.setattr(exports, "ROW_GROUP_ROWS", 2)
    body = exported(exports.write_parquet)
    parquet = pq.ParquetFile(io.BytesIO(body))
    assert [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)] == [2, 2, 1]


def test_nothing_to_export_is_still_a_valid_file(db):
    nothing = Event.objects.none()
    assert exported(exports.write_csv, nothing).decode().splitlines() == [
        ",".join(c.name for c in exports.ACLED_COLUMNS)
    ]
    assert json.loads(exported(exports.write_geojson, nothing)) == {"type": "FeatureCollection", "features": []}
    assert len(exported(exports.write_hxl, nothing).decode().splitlines()) == 2
    assert pq.read_table(io.BytesIO(exported(exports.write_parquet, nothing))).num_rows == 0


def main(argv: list[str]) -> int:
    """The command in this process, without ``main``'s ``django.setup()``, which would point
    logging at this test's captured stderr, closed once the test ends."""
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


def test_the_command_line_knows_every_format():
    assert EXPORT_FORMATS == exports.FORMAT_NAMES == tuple(exports.FORMATS)


def test_the_command_writes_only_the_data_to_stdout(imported, capsysbinary):
    assert main(["export", "events", "--format", "csv"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out == exported(exports.write_csv)
    assert captured.err == b""


def test_the_command_writes_a_file_and_says_so_on_stderr(imported, tmp_path, capsys):
    target = tmp_path / "out" / "events.parquet"
    target.parent.mkdir()
    assert main(["export", "events", "--format", "parquet", "-o", str(target)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"5 events written to {target} (parquet, up to P4)"
    assert pq.read_table(target).num_rows == 5
    assert sorted(path.name for path in target.parent.iterdir()) == ["events.parquet"]


def test_the_command_applies_the_filters_and_the_clearance(labelled, capsysbinary):
    assert main(["export", "events", "--format", "csv", "--since", "2024-03-03", "--bbox=-72.5,18,-72,19"]) == 0
    assert csv_ids(capsysbinary.readouterr().out) == {"EXP0002", "EXP0003", "EXP0005"}
    assert main(["export", "events", "--format", "csv", "--pcode", "XX0101", "--min-fatalities", "4"]) == 0
    assert csv_ids(capsysbinary.readouterr().out) == {"EXP0005"}
    assert main(["export", "events", "--format", "csv", "--actor", "Gang A (Haiti)"]) == 0
    assert csv_ids(capsysbinary.readouterr().out) == {"EXP0001", "EXP0002", "EXP0004"}
    assert main(["export", "events", "--format", "csv", "--actor", "Gang A (Haiti)", "--clearance", "P2"]) == 0
    assert csv_ids(capsysbinary.readouterr().out) == {"EXP0001", "EXP0002"}
    assert main(["export", "events", "--format", "csv", "--event-type", "Protests", "--until", "2024-12-31"]) == 0
    assert csv_ids(capsysbinary.readouterr().out) == {"EXP0003"}
    assert main(["export", "events", "--format", "csv", "--clearance", "P1", "--verification", "reported"]) == 0
    assert csv_ids(capsysbinary.readouterr().out) == {"EXP0001", "EXP0002", "EXP0003"}  # EXP0003 (P2) masked
    assert main(["export", "events", "--format", "csv", "--sub-event-type", "Grenade", "--clearance", "P3"]) == 0
    assert csv_ids(capsysbinary.readouterr().out) == set()


def test_the_command_refuses_bad_filters_and_binary_on_a_terminal(imported, capsys, monkeypatch):
    for arguments in (["--bbox", "1,2,3"], ["--since", "yesterday"], ["--min-fatalities", "-1"], ["--clearance", "P9"]):
        with pytest.raises(SystemExit) as stopped:
            main(["export", "events", "--format", "csv", *arguments])
        assert stopped.value.code == 2
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["export", "events", "--format", "parquet"]) == 2
    assert "-o FILE" in capsys.readouterr().err


@pytest.mark.slow
def test_the_installed_command_exports_what_it_imported(tmp_path, acled_file):
    assert run(["migrate"], tmp_path).returncode == 0
    assert run(["import", "acled", str(acled_file)], tmp_path).returncode == 0
    result = run(["export", "events", "--format", "geojson"], tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert len(json.loads(result.stdout)["features"]) == 5


def download(client, **params: str):
    response = client.get("/api/events/export", params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def ids_in(name: str, body: bytes) -> set[str]:
    if name == "csv":
        return csv_ids(body)
    if name == "hxl":
        lines = body.decode().splitlines(keepends=True)
        return csv_ids("".join(lines[:1] + lines[2:]).encode())
    if name == "geojson":
        return {feature["properties"]["event_id_cnty"] for feature in json.loads(body)["features"]}
    return set(pq.read_table(io.BytesIO(body)).column("event_id_cnty").to_pylist())


@pytest.mark.parametrize("name", exports.FORMAT_NAMES)
def test_the_api_downloads_each_format(alice, labelled, name):
    response, body = download(token_client(alice), format=name)
    assert response.status_code == 200
    chosen = exports.FORMATS[name]
    assert response["Content-Type"] == chosen.media_type
    assert response["Content-Disposition"] == f'attachment; filename="{chosen.filename}"'
    assert response["Cache-Control"] == "private, no-store"
    assert ids_in(name, body) == {"EXP0001", "EXP0002", "EXP0003"}


def test_the_api_export_applies_the_list_filters(alice, labelled):
    client = token_client(alice)
    _, body = download(client, format="csv", pcode="XX0101")
    listed = client.get("/api/events", {"pcode": "XX0101"}).json()["items"]
    assert len(csv_ids(body)) == len(listed) == 1
    _, body = download(client, format="csv", since="2024-03-03", min_fatalities="1")
    assert csv_ids(body) == {"EXP0002"}


def test_the_api_refuses_an_unknown_format_or_filter(alice, imported):
    client = token_client(alice)
    assert client.get("/api/events/export", {"format": "xlsx"}).status_code == 422
    assert client.get("/api/events/export").status_code == 422
    assert client.get("/api/events/export", {"format": "csv", "bbox": "1,2,3"}).status_code == 422


@pytest.mark.refused("api:events-export")
@pytest.mark.parametrize("name", exports.FORMAT_NAMES)
def test_a_partner_exports_confidential_events_masked_and_nothing_above(anonymous, charlie, labelled, name):
    assert anonymous.get("/api/events/export", {"format": name}).status_code == 401
    for client in (token_client(charlie), session_client(charlie)):
        response, body = download(client, format=name)
        assert response.status_code == 200
        assert ids_in(name, body) == {"EXP0001", "EXP0002", "EXP0003"}  # EXP0003 is P2: masked


@pytest.mark.refused("api:events-export")
def test_an_account_without_a_role_exports_nothing(anonymous, roleless, labelled):
    assert anonymous.get("/api/events/export", {"format": "csv"}).status_code == 401
    response = session_client(roleless).get("/api/events/export", {"format": "csv"})
    assert response.status_code == 403
    assert b"EXP" not in response.content


def test_every_column_and_its_hashtag_is_documented():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "exporting.md").read_text()
    for column in exports.COLUMNS:
        assert f"| `{column.name}` | {'yes' if column.acled else 'no'} | `{column.hxl}` |" in guide, column.name


def columns_in(name: str, body: bytes) -> list[str]:
    if name in {"csv", "hxl"}:
        return next(csv.reader(io.StringIO(body.decode())))
    if name == "geojson":
        return list(json.loads(body)["features"][0]["properties"])
    return list(pq.read_table(io.BytesIO(body)).column_names)


@pytest.mark.parametrize("name", exports.FORMAT_NAMES)
def test_brief_exports_carry_only_the_brief_columns(alice, imported, name):
    response, body = download(token_client(alice), format=name, brief="true")
    assert response.status_code == 200
    assert len(ids_in(name, body)) == 5
    assert columns_in(name, body) == list(exports.BRIEF_NAMES)


def test_a_brief_csv_still_imports(imported, tmp_path, capsysbinary):
    assert main(["export", "events", "--format", "csv", "--brief"]) == 0
    path = tmp_path / "brief.csv"
    path.write_bytes(capsysbinary.readouterr().out)
    empty_the_store()
    outcome = import_acled(path)
    assert outcome.created == 5
    assert outcome.notices == ["extra columns ignored: id, adm2_pcode, verification, sensitivity"]


def test_brief_geojson_from_the_database_equals_the_python_writer(labelled):
    from_sql = json.loads(exported(lambda events, out: exports.write("geojson", events, out, brief=True)))
    rows = exports.export_rows(everything())
    from_python = json.loads(b"".join(exports.geojson_chunks(rows, exports.BRIEF_COLUMNS)))
    assert len(from_sql["features"]) == len(from_python["features"]) == 5
    for ours, theirs in zip(from_sql["features"], from_python["features"], strict=True):
        assert ours["geometry"]["coordinates"] == pytest.approx(theirs["geometry"]["coordinates"], abs=1e-12)
        assert {k: v for k, v in ours["properties"].items() if k not in {"latitude", "longitude"}} == {
            k: v for k, v in theirs["properties"].items() if k not in {"latitude", "longitude"}
        }
        assert list(ours["properties"]) == list(theirs["properties"])
