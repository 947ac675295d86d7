"""The columnar import path gives exactly what the point-by-point path gives, and refuses alike."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from ulinzi.importing.errors import ImportRejected
from ulinzi.patrols.assign import PatrolWindow, WindowIndex, assign
from ulinzi.patrols.cleaning import ColumnCleaner, clean
from ulinzi.patrols.columns import DeviceNames, PointColumns, columns_from_points, micros_of
from ulinzi.patrols.tracks import TrackFile

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "time,lat,lon,device,accuracy\n"


def write(tmp_path: Path, text: str, name: str = "track.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def joined(batches: list[PointColumns]) -> dict[str, list[object]]:
    fields = ("micros", "lat", "lon", "device", "line")
    out: dict[str, list[object]] = {name: [] for name in fields}
    out["accuracy"] = []
    for batch in batches:
        for name in fields:
            out[name] += getattr(batch, name).tolist()
        out["accuracy"] += [None if np.isnan(value) else value for value in batch.accuracy.tolist()]
    return out


def both_ways(path: Path, **options: object) -> tuple[dict[str, list[object]], list[str]]:
    """The columns of the fast path, checked against columns built from the point reader."""
    fast_names, slow_names = DeviceNames(), DeviceNames()
    fast = joined(list(TrackFile(path, **options).columns(fast_names, batch=3)))  # type: ignore[arg-type]
    slow = joined(list(columns_from_points(TrackFile(path, **options).points(), slow_names)))  # type: ignore[arg-type]
    assert fast == slow
    assert fast_names.names == slow_names.names
    return fast, fast_names.names


def walk(count: int, device: str, start: datetime, step_s: int = 30) -> list[str]:
    return [
        f"{(start + timedelta(seconds=step_s * i)).isoformat().replace('+00:00', 'Z')},"
        f"{18.54 + i * 1e-4:.6f},{-72.33 + i * 1e-4:.6f},{device},{5 + i % 3}\n"
        for i in range(count)
    ]


START = datetime(2025, 6, 25, 14, 0, tzinfo=UTC)


def test_a_plain_csv_reads_the_same_through_arrow_with_times_in_microseconds(tmp_path):
    path = write(
        tmp_path, HEADER + "".join(walk(5, "KE-TAK-01", START)) + "2025-06-25T10:00:00.25-04:00,18.5,-72.3,KE-TAK-02,\n"
    )
    columns, names = both_ways(path)
    assert names == ["KE-TAK-01", "KE-TAK-02"]
    assert columns["line"] == [2, 3, 4, 5, 6, 7]
    assert columns["micros"][-1] == micros_of(datetime(2025, 6, 25, 14, 0, 0, 250_000, tzinfo=UTC))
    assert columns["accuracy"][-1] is None


@pytest.mark.parametrize(
    "odd_row",
    [
        '"2025-06-25T14:10:00Z",18.5,-72.3,KE-TAK-01,5\n',  # quotes: Arrow is told not to unquote
        "2025-06-25 14:10:00+00:00,18.5,-72.3,KE-TAK-01,5\n",  # a space for the T
        "2025-06-25T14:10:00.1234567Z,18.5,-72.3,KE-TAK-01,5\n",  # seven digits of fraction
        "2025-06-25T14:10:00+0000,18.5,-72.3,KE-TAK-01,5\n",  # offset without a colon
        "2025-06-25T14:10:00Z, 18.5,-72.3,KE-TAK-01,5\n",  # a space before a number
        "2025-06-25T14:10:00Z,18.5,-72.3,  KE-TAK-01 ,5\n",  # a device name with spaces around it
        "2025-06-25T14:10:00Z,1_8.5,-72.3,KE-TAK-01,5\n",  # Python reads 1_8.5; Arrow does not
        ",,\n",  # a short record of empty cells, skipped by the point reader
        "2025-06-25T14:10:00Z,18.5,-72.3,KE-TAK-01,5,extra\n",  # more cells than the header
    ],
)
def test_rows_the_fast_path_does_not_vouch_for_go_to_the_point_reader_unchanged(tmp_path, odd_row):
    rows = walk(4, "KE-TAK-01", START)
    path = write(tmp_path, HEADER + "".join(rows[:2]) + odd_row + "".join(rows[2:]))
    both_ways(path)


def test_crlf_lone_cr_and_a_bom_keep_line_numbers(tmp_path):
    rows = [row.replace("\n", "\r\n") for row in walk(3, "KE-TAK-01", START)]
    path = write(tmp_path, "\ufeff" + HEADER.replace("\n", "\r\n") + "".join(rows))
    columns, _ = both_ways(path)
    assert columns["line"] == [2, 3, 4]
    path = write(tmp_path, HEADER + "".join(row.replace("\n", "\r") for row in walk(3, "KE-TAK-01", START)))
    assert both_ways(path)[0]["line"] == [2, 3, 4]


def test_a_default_device_and_no_accuracy_column(tmp_path):
    path = write(tmp_path, "lat,lon,time\n18.5,-72.3,2025-06-25T14:00:00Z\n18.5001,-72.3,2025-06-25T14:00:30Z\n")
    columns, names = both_ways(path, default_device="KE-GPS-11")
    assert names == ["KE-GPS-11"]
    assert columns["accuracy"] == [None, None]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2025-06-25T14:10:00,18.5,-72.3,KE-TAK-01,5\n", "time"),
        ("2025-06-25T14:10:00Z,95,-72.3,KE-TAK-01,5\n", "lat"),
        ("2025-06-25T14:10:00Z,nan(1),-72.3,KE-TAK-01,5\n", "lat"),
        ("2025-06-25T14:10:00Z,18.5,-72.3,KE-TAK-01,nan\n", "accuracy"),
        ("2025-06-25T14:10:00Z,18.5,-72.3,KE-TAK-01,-3\n", "accuracy"),
        ("2025-06-25T14:10:00Z,18.5,-72.3,,5\n", "device"),
        ("2025-06-25T14:10:00Z,18.5,-72.3,KE\x07TAK,5\n", "device"),
        ("\n", None),  # a blank line is skipped by the point reader: no error, same points
    ],
)
def test_a_bad_value_is_refused_with_the_point_readers_message(tmp_path, bad_row, message):
    rows = walk(6, "KE-TAK-01", START)
    path = write(tmp_path, HEADER + "".join(rows[:3]) + bad_row + "".join(rows[3:]))
    if message is None:
        both_ways(path)
        return
    with pytest.raises(ImportRejected) as slow:
        list(TrackFile(path).points())
    with pytest.raises(ImportRejected) as fast:
        list(TrackFile(path).columns(DeviceNames()))
    assert str(fast.value.errors[0]) == str(slow.value.errors[0])
    assert fast.value.errors[0].line == 5
    assert fast.value.errors[0].field == message


def test_gpx_and_cot_files_come_as_columns_too():
    for name in ("delmas_pap.gpx", "two_devices.cot.xml"):
        track = TrackFile(FIXTURES / name)
        names = DeviceNames()
        columns = joined(list(track.columns(names)))
        points = list(TrackFile(FIXTURES / name).points())
        assert columns["line"] == [point.line for point in points]
        assert [names.names[int(str(code))] for code in columns["device"]] == [point.device for point in points]


def glitchy_track(tmp_path: Path) -> Path:
    """Two devices interleaved, with a duplicate, a 200 km jump, a fix out of order, and a wild
    first-after-drop fix that must be judged against the last kept one, not the dropped one."""
    one = walk(12, "KE-TAK-01", START)
    two = walk(12, "KE-TAK-02", START, step_s=20)
    one[3] = one[2]  # duplicate
    one[6] = one[6].replace(",18.54", ",20.54")  # 220 km north for one fix
    two[5] = two[1]  # back in time
    two[8] = two[8].replace(",-72.3", ",-70.3")  # a jump east...
    two[9] = two[9].replace(",-72.3", ",-70.3")  # ...and a second fix there: still too far from the last kept
    rows = [row for pair in zip(one, two, strict=True) for row in pair]
    return write(tmp_path, HEADER + "".join(rows))


@pytest.mark.parametrize("batch", [1, 2, 5, 7, 100])
@pytest.mark.parametrize("max_speed", [55.0, 0.5])
def test_column_cleaning_keeps_and_reports_exactly_what_the_stream_does(tmp_path, batch, max_speed):
    path = glitchy_track(tmp_path)
    kept, report = clean(TrackFile(path).points(), max_speed_mps=max_speed)
    expected_lines = [point.line for point in kept]
    names = DeviceNames()
    cleaner = ColumnCleaner(max_speed_mps=max_speed)
    lines: list[int] = []
    for columns in columns_from_points(TrackFile(path).points(), names, batch):
        lines += columns.line[cleaner.keep(columns, names.names)].tolist()
    assert lines == expected_lines
    assert cleaner.report.dropped == report.dropped
    assert cleaner.report.examples == report.examples
    assert cleaner.report.kept == report.kept
    if max_speed == 55.0:
        assert report.dropped == {"duplicate": 1, "impossible_speed": 3, "out_of_order": 1}


def test_column_assignment_agrees_with_the_stream_including_overlapping_windows(tmp_path):
    path = glitchy_track(tmp_path)
    minute = timedelta(minutes=1)
    windows = [
        PatrolWindow(1, "KE-TAK-01", START, START + 3 * minute),
        PatrolWindow(2, "KE-TAK-01", START + minute, START + 2 * minute),  # inside 1: wins while it runs
        PatrolWindow(3, "KE-TAK-02", START + 2 * minute, START + 10 * minute),
    ]
    expected = [patrol for _point, patrol in assign(TrackFile(path).points(), windows)]
    index, names = WindowIndex(windows), DeviceNames()
    found: list[object] = []
    for columns in columns_from_points(TrackFile(path).points(), names, 5):
        found += [None if ordinal < 0 else index.ids[ordinal] for ordinal in index.ordinals(columns, names.names)]
    assert found == expected
    assert {1, 2, 3, None} <= set(found)
