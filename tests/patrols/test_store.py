"""Tracks stored and released (issue #8): imports, effort per commune against a computation made
here with the boundary polygons, and the rule that no one outside the mission's command and
analysis roles receives a position."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from shapely.geometry import Point, shape

from tests.claims.factories import make_event
from tests.conftest import SHARED_DATA, session_client, token_client
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.roles import Role
from ulinzi.cli import main
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.lookup import h3_cells
from ulinzi.patrols import services
from ulinzi.patrols.models import Patrol, PatrolKind, TrackPoint

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures"
COMMUNES = SHARED_DATA / "haiti" / "boundaries" / "pap_metro_adm2_communes.geojson"
MAX_GAP_S = 600


@pytest.fixture
def communes() -> None:
    import_boundaries(COMMUNES)


@pytest.fixture
def foot_patrol() -> Patrol:
    return Patrol.objects.create(
        reference="KE-0625-A",
        kind=PatrolKind.FOOT,
        devices="KE-FP-07",
        actual_start=datetime(2025, 6, 25, 13, 55, tzinfo=UTC),
        actual_end=datetime(2025, 6, 25, 15, 0, tzinfo=UTC),
    )


def commune_of(lon: float, lat: float) -> str:
    for feature in json.loads(COMMUNES.read_text())["features"]:
        if shape(feature["geometry"]).contains(Point(lon, lat)):
            return str(feature["properties"]["ADM2_PCODE"])
    return ""


def test_a_gpx_patrol_through_delmas_and_port_au_prince_gives_effort_per_commune(communes, foot_patrol, capsys):
    assert main(["import", "tracks", str(FIXTURES / "delmas_pap.gpx")]) == 0
    assert "patrol KE-0625-A: 12 points" in capsys.readouterr().out

    fixes = list(TrackPoint.objects.filter(patrol=foot_patrol).order_by("time"))
    expected: dict[str, float] = {}
    for first, second in itertools.pairwise(fixes):
        gap = (second.time - first.time).total_seconds()
        if gap <= MAX_GAP_S:  # the 20-minute silence between the two segments is not patrol time
            area = commune_of(first.lon, first.lat)
            expected[area] = expected.get(area, 0) + gap / 3600
    assert set(expected) == {"HT0112", "HT0111"}, "the fixture crosses from Delmas into Port-au-Prince"
    assert sum(expected.values()) == pytest.approx(11 / 60)

    answer = services.effort(Viewer(role=Role.ANALYST), level="commune", period="week")
    assert not answer.released
    assert answer.effort.hours_by_area() == pytest.approx(expected)


def test_a_cot_stream_of_two_devices_and_a_csv_with_a_200_km_jump(communes, capsys):
    assert main(["import", "tracks", str(FIXTURES / "two_devices.cot.xml")]) == 0
    out = capsys.readouterr().out
    assert "4 points from 2 device(s)" in out
    assert "skipped (cot type a-h-* (not a friendly position)): 1" in out

    assert main(["import", "tracks", str(FIXTURES / "patrol.csv")]) == 0
    out = capsys.readouterr().out
    assert "dropped as impossible speed: 1" in out
    assert "200.2 km in 1 s" in out
    assert not TrackPoint.objects.filter(lat__gt=19).exists()


def test_a_corrupt_gpx_file_is_one_message_and_nothing_written(communes, capsys):
    assert main(["import", "tracks", str(FIXTURES / "corrupt.gpx")]) == 1
    out = capsys.readouterr().out
    assert "corrupt.gpx:" in out
    assert "1 problem(s) in corrupt.gpx; nothing was imported." in out
    assert TrackPoint.objects.count() == 0


def test_the_same_file_twice_is_refused(communes, capsys):
    assert main(["import", "tracks", str(FIXTURES / "delmas_pap.gpx")]) == 0
    assert main(["import", "tracks", str(FIXTURES / "delmas_pap.gpx")]) == 1
    assert "imported already" in capsys.readouterr().out
    assert TrackPoint.objects.count() == 12


def recent_and_old_patrol(now: datetime) -> Patrol:
    patrol = Patrol.objects.create(
        reference="JM-NOW", kind=PatrolKind.VEHICLE, devices="JM-1", actual_start=now - timedelta(hours=100)
    )
    for minutes in range(0, 60, 5):  # an hour of fixes 90 hours ago, and another hour 2 hours ago
        for age in (timedelta(hours=90), timedelta(hours=2)):
            TrackPoint.objects.create(
                patrol=patrol,
                device="JM-1",
                time=now - age + timedelta(minutes=minutes),
                lat=18.54,
                lon=-72.30,
                adm2_pcode="HT0112",
            )
    return patrol


def test_a_partner_sees_only_delayed_effort_per_commune_and_week(charlie, alice):
    now = timezone.now()
    recent_and_old_patrol(now)
    partner, analyst = token_client(charlie), token_client(alice)

    released = partner.get("/api/patrols/effort").json()
    assert released["released"] is True
    assert sum(row["hours"] for row in released["rows"]) == pytest.approx(55 / 60, abs=0.001)  # the old hour only
    assert {row["area"] for row in released["rows"]} == {"HT0112"}
    assert partner.get("/api/patrols/effort?level=section").status_code == 403
    assert partner.get("/api/patrols/effort?period=day").status_code == 403

    full = analyst.get("/api/patrols/effort?period=day").json()
    assert full["released"] is False
    assert sum(row["hours"] for row in full["rows"]) == pytest.approx(110 / 60, abs=0.002)


@pytest.mark.refused(
    "api:patrols",
    "api:patrols-plan",
    "api:patrol",
    "api:patrol-track",
    "api:patrols-gaps",
    "api:patrols-rates",
    "api:patrols-effort",
)
def test_no_url_gives_a_partner_or_a_monitor_a_track_point(charlie, make_user, anonymous, roleless):
    patrol = recent_and_old_patrol(timezone.now())
    monitor = make_user("mona", Role.MONITOR)
    paths = [
        "/api/patrols",
        f"/api/patrols/{patrol.pk}",
        f"/api/patrols/{patrol.pk}/track",
        f"/api/patrols/{patrol.pk}/track?format=gpx",
        "/api/patrols/gaps",
        "/api/patrols/incidents-per-hour?from=2025-01-01&to=2025-12-31",
    ]
    for client in (token_client(charlie), session_client(monitor)):
        for path in paths:
            response = client.get(path)
            assert response.status_code == 403, path
            assert b"18.54" not in response.content
    for path in [*paths, "/api/patrols/effort"]:
        assert anonymous.get(path).status_code == 401, path
        assert token_client(roleless).get(path).status_code == 403, path
    refused = token_client(charlie).post(
        "/api/patrols", {"reference": "X", "kind": "foot"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_the_mission_reads_and_exports_a_track(alice, communes, foot_patrol, capsys):
    main(["import", "tracks", str(FIXTURES / "delmas_pap.gpx")])
    client = token_client(alice)
    detail = client.get(f"/api/patrols/{foot_patrol.pk}").json()
    assert detail["track"]["points"] == 12
    assert detail["track"]["hours"] == pytest.approx(11 / 60, abs=0.01)
    geojson = client.get(f"/api/patrols/{foot_patrol.pk}/track").json()
    assert len(geojson["features"][0]["geometry"]["coordinates"]) == 12
    gpx = client.get(f"/api/patrols/{foot_patrol.pk}/track?format=gpx").content.decode()
    assert gpx.count("<trkpt") == 12 and "<name>KE-0625-A</name>" in gpx


def test_a_hotspot_with_no_patrol_is_a_gap(alice, communes):
    now = timezone.now()
    patrol = Patrol.objects.create(reference="KE-NOW", kind=PatrolKind.FOOT, devices="KE-1")
    for minutes in range(0, 30, 5):
        TrackPoint.objects.create(
            patrol=patrol,
            device="KE-1",
            time=now - timedelta(days=2, minutes=-minutes),
            lat=18.545,
            lon=-72.30,
            adm2_pcode="HT0112",
            h3_cell=cell_of(-72.30, 18.545),
        )
    make_event(event_date=now.date(), latitude=18.545, longitude=-72.30, h3_cell=cell_of(-72.30, 18.545))
    tabarre = cell_of(-72.25, 18.60)  # nobody went there
    make_event(event_date=now.date(), latitude=18.60, longitude=-72.25, h3_cell=tabarre)
    found = services.gaps(Viewer(role=Role.ANALYST), days=30, now=now)
    assert [(gap.cell, gap.hours) for gap in found] == [(tabarre, 0.0)]
    assert token_client(alice).get("/api/patrols/gaps").json() == [{"cell": f"{tabarre:x}", "hours": 0.0}]


def cell_of(lon: float, lat: float) -> int:
    return h3_cells(np.array([lon]), np.array([lat]))[0]


def test_planning_a_patrol(cora, alice, communes):
    client = token_client(cora)
    planned = client.post(
        "/api/patrols",
        {"reference": "KE-0701-B", "kind": "joint", "planned_area": "HT0117", "devices": "KE-FP-09"},
        content_type="application/json",
    )
    assert planned.status_code == 201, planned.content
    assert planned.json()["sensitivity"] == "P2"
    again = client.post("/api/patrols", {"reference": "KE-0701-B", "kind": "foot"}, content_type="application/json")
    assert again.status_code == 422
    nowhere = client.post(
        "/api/patrols",
        {"reference": "KE-0701-C", "kind": "foot", "planned_area": "HT9999"},
        content_type="application/json",
    )
    assert (nowhere.status_code, nowhere.json()["detail"][:12]) == (422, "planned_area")
    assert Client().get("/api/patrols").status_code == 401
