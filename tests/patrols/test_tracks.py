from datetime import UTC, datetime
from pathlib import Path

import gpxpy
import pytest

from ulinzi.importing.errors import ImportRejected
from ulinzi.patrols.columns import DeviceNames
from ulinzi.patrols.tracks import TrackCounter, TrackFile, TrackSummary, read_points

FIXTURES = Path(__file__).parent / "fixtures"


def rejection(path: Path, **options) -> str:
    with pytest.raises(ImportRejected) as caught:
        list(read_points(path, **options))
    assert len(caught.value.errors) == 1
    return str(caught.value.errors[0])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_gpx_patrol_reads_as_utc_points_named_after_the_track():
    track = TrackFile(FIXTURES / "delmas_pap.gpx")
    points = list(track)
    assert track.format == "gpx"
    assert len(points) == 12
    assert points[0].time == datetime(2025, 6, 25, 14, 0, tzinfo=UTC)
    assert (points[0].lat, points[0].lon, points[0].device, points[0].line) == (18.545, -72.3, "KE-FP-07", 8)
    assert points[-1].time == datetime(2025, 6, 25, 14, 31, tzinfo=UTC)  # written as 10:31-04:00
    assert track.skipped == {"gpx wpt (a plan, not a track)": 1}


def test_the_gpx_reader_agrees_with_gpxpy_on_a_trusted_file():
    parsed = gpxpy.parse((FIXTURES / "delmas_pap.gpx").read_text())
    expected = [(p.time, p.latitude, p.longitude) for t in parsed.tracks for s in t.segments for p in s.points]
    ours = [(p.time, p.lat, p.lon) for p in read_points(FIXTURES / "delmas_pap.gpx")]
    assert ours == expected


def test_a_default_device_overrides_the_track_name():
    points = list(read_points(FIXTURES / "delmas_pap.gpx", default_device="KE-GPS-11"))
    assert {p.device for p in points} == {"KE-GPS-11"}


def test_a_cot_stream_keeps_friendly_positions_of_two_devices_and_counts_the_rest():
    track = TrackFile(FIXTURES / "two_devices.cot.xml")
    points = list(track)
    assert track.format == "cot"
    assert [(p.device, p.line) for p in points] == [
        ("KE-TAK-01", 2),
        ("KE-TAK-02", 4),
        ("KE-TAK-01", 7),
        ("KE-TAK-02", 12),
    ]
    assert [p.accuracy_m for p in points] == [8.5, None, 7.0, 12.0]  # 9999999 means unknown
    assert track.skipped == {
        "cot type a-h-* (not a friendly position)": 1,
        "cot type b-t-* (not a friendly position)": 1,
    }


def test_a_csv_track_reads_every_row_with_its_line():
    points = list(read_points(FIXTURES / "patrol.csv"))
    assert [p.line for p in points] == [2, 3, 4, 5, 6, 7]
    assert points[0].accuracy_m == 5.0 and points[3].accuracy_m is None
    assert points[5].time == datetime(2025, 6, 25, 14, 1, 30, tzinfo=UTC)


def test_geojson_lines_and_points_stream_and_polygons_are_skipped():
    track = TrackFile(FIXTURES / "lines.geojson")
    points = list(track)
    assert track.format == "geojson"
    assert [(p.device, p.lon, p.line) for p in points] == [
        ("KE-TAK-05", -72.3, 3),
        ("KE-TAK-05", -72.302, 3),
        ("KE-TAK-05", -72.304, 3),
        ("KE-TAK-06", -72.335, 7),
    ]
    assert points[3].accuracy_m == 6.5
    assert track.skipped == {"geojson Polygon (not a track geometry)": 1}


def test_geojson_features_larger_than_a_read_block_still_decode(tmp_path):
    count = 5000
    times = ", ".join(f'"2025-06-25T14:{i // 60 % 60:02d}:{i % 60:02d}Z"' for i in range(count))
    coordinates = ", ".join(f"[-72.3{i:04d}, 18.5{i:04d}]" for i in range(count))
    text = (
        '{"features": [{"type": "Feature", "properties": {"device": "KE-1", "times": [' + times + "]},"
        ' "geometry": {"type": "LineString", "coordinates": [' + coordinates + "]}}],"
        ' "type": "FeatureCollection"}'
    )
    assert len(text) > 100_000
    points = list(read_points(write(tmp_path, "big.geojson", text)))
    assert len(points) == count
    assert points[-1].lon == pytest.approx(-72.34999)


def test_a_corrupt_gpx_gives_one_message_with_file_line_and_field():
    assert rejection(FIXTURES / "corrupt.gpx") == "corrupt.gpx:9: xml: not well-formed XML (mismatched tag)"


def summarise(path: Path) -> TrackSummary:
    """A whole pass over the file in columns, as the import makes it, keeping only the counts."""
    track, devices, counter = TrackFile(path), DeviceNames(), TrackCounter()
    for batch in track.columns(devices):
        counter.add(batch)
    return counter.summary(track, devices)


def test_a_validating_pass_finds_the_fault_so_nothing_needs_writing():
    with pytest.raises(ImportRejected):
        summarise(FIXTURES / "corrupt.gpx")
    summary = summarise(FIXTURES / "two_devices.cot.xml")
    assert (summary.format, summary.points, summary.devices) == ("cot", 4, ("KE-TAK-01", "KE-TAK-02"))
    assert summary.first == datetime(2025, 6, 25, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize("attack", ["billion_laughs.gpx", "external_entity.gpx"])
def test_xml_with_entities_is_refused_before_any_expansion(attack):
    message = rejection(FIXTURES / attack)
    assert message.startswith(f"{attack}:2: xml: a document type declaration (DTD) is refused")
    assert "root:" not in message and "lol" not in message


def test_a_cot_stream_with_a_doctype_is_refused(tmp_path):
    text = '<?xml version="1.0"?>\n<!DOCTYPE event [<!ENTITY x "y">]>\n<event uid="a" type="a-f-G" time="x"/>'
    assert rejection(write(tmp_path, "s.xml", text)) == "s.xml:2: xml: a document type declaration (DTD) is refused"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2025-06-25T14:00:00Z,98.5,-72.3,KE-1", "t.csv:3: lat: 98.5 is outside ±90"),
        ("2025-06-25T14:00:00Z,18.5,-272.3,KE-1", "t.csv:3: lon: -272.3 is outside ±180"),
        ("2025-06-25T14:00:00Z,18.5,abc,KE-1", "t.csv:3: lon: 'abc' is not a number"),
        (",18.5,-72.3,KE-1", "t.csv:3: time: missing"),
        ("25/06/2025 14:00,18.5,-72.3,KE-1", "t.csv:3: time: '25/06/2025 14:00' is not an ISO 8601 time"),
        ("2025-06-25T14:00:00,18.5,-72.3,KE-1", "t.csv:3: time: '2025-06-25T14:00:00' has no UTC offset"),
        ("2025-06-25T14:00:00Z,18.5,-72.3,", "t.csv:3: device: missing"),
        ("2025-06-25T14:00:00Z,18.5", "t.csv:3: row: 2 cells; the header needs at least 4"),
    ],
)
def test_a_bad_csv_row_is_named_by_line_and_field(tmp_path, row, expected):
    text = f"time,lat,lon,device\n2025-06-25T13:59:00Z,18.5,-72.3,KE-1\n{row}\n"
    assert rejection(write(tmp_path, "t.csv", text)).startswith(expected)


def test_a_csv_without_a_device_column_needs_a_default_device(tmp_path):
    path = write(tmp_path, "t.csv", "time,lat,lon\n2025-06-25T14:00:00Z,18.5,-72.3\n")
    assert rejection(path) == "t.csv:1: device: required column is missing"
    assert [p.device for p in read_points(path, default_device="KE-9")] == ["KE-9"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "late.gpx",
            '<gpx version="1.1"><trk><name>A</name><trkseg>\n<trkpt lat="18.5" lon="-72.3"></trkpt>'
            "</trkseg></trk></gpx>",
            "late.gpx:2: trkpt/time: missing",
        ),
        (
            "far.gpx",
            '<gpx version="1.1"><trk><name>A</name><trkseg>\n\n<trkpt lat="118.5" lon="-72.3">'
            "<time>2025-06-25T14:00:00Z</time></trkpt></trkseg></trk></gpx>",
            "far.gpx:3: trkpt@lat: 118.5 is outside ±90",
        ),
        (
            "nameless.gpx",
            '<gpx version="1.0"><trk><trkseg><trkpt lat="18.5" lon="-72.3"><time>2025-06-25T14:00:00Z</time>'
            "</trkpt></trkseg></trk></gpx>",
            "nameless.gpx:1: trk/name: no device",
        ),
        ("v2.gpx", '<gpx version="2.0"></gpx>', "v2.gpx:1: gpx@version: '2.0' is not GPX 1.0 or 1.1"),
        (
            "cot.xml",
            '<event uid="A" type="a-f-G" time="2025-06-25T14:00:00Z">\n<point lat="18.5" lon="-72.3" ce="-1"/></event>',
            "cot.xml:2: point@ce: -1.0 is not a distance in metres",
        ),
        (
            "cot2.xml",
            '<event uid="A" type="a-f-G" time="yesterday"><point lat="18.5" lon="-72.3"/></event>',
            "cot2.xml:1: event@time: 'yesterday' is not an ISO 8601 time",
        ),
        (
            "g.geojson",
            '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {"device": "A",'
            ' "times": ["2025-06-25T14:00:00Z"]}, "geometry": {"type": "LineString", "coordinates": [[-72.3, 95]]}}]}',
            "g.geojson:2: features[0].geometry.coordinates[0][1]: 95.0 is outside ±90",
        ),
        (
            "t.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"device": "A"},'
            ' "geometry": {"type": "Point", "coordinates": [-72.3, 18.5]}}]}',
            "t.geojson:1: features[0].properties.time: missing",
        ),
        (
            "cut.geojson",
            '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {"device": "A"',
            "cut.geojson:2: features[0]: not valid JSON",
        ),
        ("empty.csv", "", "empty.csv:1: file: the file is empty"),
        ("svg.xml", "<svg></svg>", "svg.xml:1: file: XML, but neither GPX"),
    ],
)
def test_each_format_names_the_line_and_field_of_a_fault(tmp_path, name, text, expected):
    assert rejection(write(tmp_path, name, text)).startswith(expected)


def test_an_unrecognisable_file_fails_before_iteration(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(ImportRejected):
        read_points(path)


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    with pytest.raises(ImportRejected, match="nothing was imported") as caught:
        TrackFile(FIXTURES / "patrol.csv", max_bytes=10)
    assert "over the 10-byte limit" in str(caught.value.errors[0])


def test_a_long_cot_stream_with_a_declaration_per_message_reads_across_blocks(tmp_path):
    message = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<event version="2.0" uid="KE-TAK-{n}" type="a-f-G-U-C" time="2025-06-25T14:{m:02d}:00Z">'
        '<point lat="18.54" lon="-72.33" ce="{n}"/></event>\n'
    )
    text = "".join(message.format(n=n % 7, m=n % 60) for n in range(3000))
    assert len(text) > 4 * 65_536
    points = list(read_points(write(tmp_path, "long.cot", text)))
    assert len(points) == 3000
    assert points[-1].line == 2 * 3000
    assert points[-1].device == "KE-TAK-3"  # 2999 % 7
