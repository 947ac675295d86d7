import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from shapely.geometry import box

from ulinzi.geo.lookup import AdminIndex, Unit, h3_cells
from ulinzi.patrols.assign import PatrolWindow, assign
from ulinzi.patrols.cleaning import clean
from ulinzi.patrols.effort import (
    CAVEAT,
    CoverageGap,
    TrackColumns,
    coverage_gaps,
    effort_by,
    incidents_per_patrol_hour,
)
from ulinzi.patrols.tracks import read_points

FIXTURES = Path(__file__).parent / "fixtures"
PORT_AU_PRINCE, DELMAS = "HT0111", "HT0112"
# Two communes split at longitude -72.32 (real P-codes, box-shaped for a hand computation).
AREAS = AdminIndex(
    [
        Unit("HT01", 1, "", box(-72.40, 18.50, -72.25, 18.60)),
        Unit(PORT_AU_PRINCE, 2, "HT01", box(-72.40, 18.50, -72.32, 18.60)),
        Unit(DELMAS, 2, "HT01", box(-72.32, 18.50, -72.25, 18.60)),
    ]
)
DAY = date(2025, 6, 25)
MONDAY = date(2025, 6, 23)  # the ISO week of Wednesday 25 June 2025 starts on this Monday


def gpx_patrol() -> tuple[TrackColumns, np.ndarray, list[int]]:
    window = PatrolWindow(
        7, "KE-FP-07", datetime(2025, 6, 25, 13, 0, tzinfo=UTC), datetime(2025, 6, 25, 15, 0, tzinfo=UTC)
    )
    kept, _report = clean(read_points(FIXTURES / "delmas_pap.gpx"))
    track = TrackColumns.from_assigned(assign(kept, [window]))
    return track, AREAS.assign(track.lons, track.lats).codes[2], h3_cells(track.lons, track.lats)


def test_effort_per_commune_matches_a_hand_computation():
    track, communes, cells = gpx_patrol()
    effort = effort_by(communes, cells, track, period="week")
    # The GPX fixture has 12 fixes. Fixes 1-5 (lon -72.300 to -72.319) are in Delmas and fixes
    # 6-12 (lon -72.321 to -72.340) in Port-au-Prince. Each segment counts for the commune of its
    # first fix:
    #   Delmas:  segments 1→2, 2→3, 3→4, 4→5, 5→6, one minute each  = 5 min = 5/60 h
    #   PaP:     segments 6→7, 7→8, 8→9, 9→10, one minute each        = 4 min
    #            segment 10→11 spans 20 minutes > the 10-minute gap     = not patrol time
    #            segment 11→12, 14:29 → 14:31 (written as 10:31-04:00)  = 2 min
    #            total 6 min = 6/60 h
    assert set(effort.by_area) == {(DELMAS, MONDAY), (PORT_AU_PRINCE, MONDAY)}
    assert effort.by_area[(DELMAS, MONDAY)].hours == pytest.approx(5 / 60)
    assert effort.by_area[(PORT_AU_PRINCE, MONDAY)].hours == pytest.approx(6 / 60)
    # Delmas distance: all five segments run along latitude 18.545, 0.021° of longitude in all,
    # i.e. 0.021 × 111.195 km × cos(18.545°).
    assert effort.by_area[(DELMAS, MONDAY)].km == pytest.approx(
        0.021 * 111.195 * math.cos(math.radians(18.545)), rel=1e-3
    )
    assert sum(t.hours for t in effort.by_cell.values()) == pytest.approx(11 / 60)
    assert effort.hours_by_area() == pytest.approx({DELMAS: 5 / 60, PORT_AU_PRINCE: 6 / 60})


def test_effort_per_day_keys_on_the_day():
    track, communes, _cells = gpx_patrol()
    effort = effort_by(communes, None, track, period="day")
    assert set(effort.by_area) == {(DELMAS, DAY), (PORT_AU_PRINCE, DAY)}
    assert effort.by_cell == {}


def test_fixes_outside_a_patrol_window_carry_no_effort():
    track = TrackColumns.from_assigned((point, None) for point in read_points(FIXTURES / "delmas_pap.gpx"))
    assert len(track.seconds) == 0
    assert effort_by(np.array([], dtype=str), [], track).by_area == {}


def test_segments_do_not_join_two_patrols():
    seconds = np.array([0.0, 60.0, 120.0, 180.0])
    track = TrackColumns(np.array([0, 0, 1, 1]), (1, 2), seconds, np.full(4, 18.545), np.full(4, -72.3))
    effort = effort_by(np.array(["A", "A", "A", "A"]), None, track, period="day")
    assert effort.by_area[("A", date(1970, 1, 1))].hours == pytest.approx(2 / 60)


def test_unordered_columns_are_refused():
    track = TrackColumns(np.array([0, 0]), (1,), np.array([60.0, 0.0]), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="ordered by time"):
        effort_by(np.array(["A", "A"]), None, track)


def test_a_hotspot_without_patrol_is_listed_as_a_gap():
    track, communes, cells = gpx_patrol()
    hours = effort_by(communes, cells, track).hours_by_cell()
    patrolled = cells[0]
    cite_soleil = h3_cells(np.array([-72.335]), np.array([18.585]))[0]
    assert coverage_gaps({patrolled, cite_soleil}, hours) == [CoverageGap(cite_soleil, 0.0)]
    too_little = coverage_gaps({patrolled, cite_soleil}, hours, min_hours=10)
    assert [gap.cell for gap in too_little] == [cite_soleil, patrolled]


def test_incidents_per_patrol_hour_is_unknown_where_nobody_patrolled():
    rates = incidents_per_patrol_hour(
        {PORT_AU_PRINCE: 3, DELMAS: 1, "HT0113": 2}, {PORT_AU_PRINCE: 0.1, DELMAS: 1 / 12}
    )
    assert rates["HT0113"] is None
    assert rates[PORT_AU_PRINCE] == pytest.approx(30.0) and rates[DELMAS] == pytest.approx(12.0)
    assert "where patrols look" in CAVEAT


def test_a_week_of_tracks_sums_to_its_days():
    start = datetime(2025, 6, 22, 23, 0, tzinfo=UTC).timestamp()  # Sunday night into Monday
    seconds = start + np.arange(0, 4 * 3600, 60.0)
    n = len(seconds)
    track = TrackColumns(np.zeros(n, dtype=np.int64), (1,), seconds, np.full(n, 18.545), np.linspace(-72.30, -72.33, n))
    areas = np.full(n, DELMAS)
    weekly = effort_by(areas, None, track, period="week", max_gap=timedelta(minutes=2)).by_area
    daily = effort_by(areas, None, track, period="day").by_area
    assert weekly[(DELMAS, date(2025, 6, 16))].hours == pytest.approx(1.0)  # 23:00-24:00 Sunday
    assert weekly[(DELMAS, MONDAY)].hours == pytest.approx(3 - 1 / 60)
    assert sum(t.km for t in daily.values()) == pytest.approx(sum(t.km for t in weekly.values()))
