"""The patrol pages (issue #8): the list, one patrol with its replay, planning, and effort; and
that nobody outside the mission's command and analysis roles gets a patrol or a position."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from h3.api import basic_int as h3

from tests.claims.factories import make_event
from tests.conftest import MakeUser, session_client
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.lookup import h3_cells
from ulinzi.patrols.effort_page import hours_classes, level_of
from ulinzi.patrols.models import Patrol, PatrolEvent, PatrolKind, PatrolStatus, TrackPoint

pytestmark = pytest.mark.django_db
LAT, LON = 18.521, -72.385  # in commune XX0101 (Alpha)
DEVICE = "KE-FP-07"


def cell_of(lon: float, lat: float) -> int:
    return h3_cells(np.array([lon]), np.array([lat]))[0]


@pytest.fixture
def patrol(areas: None) -> Patrol:
    """A completed foot patrol ten days ago: seven fixes five minutes apart, and one linked event."""
    start = timezone.now() - timedelta(days=10)
    found = Patrol.objects.create(
        reference="KE-0716-A", kind=PatrolKind.FOOT, status=PatrolStatus.COMPLETED, planned_area="XX0101",
        leader="Sgt Wanjiru", devices=DEVICE, actual_start=start, actual_end=start + timedelta(minutes=30),
    )  # fmt: skip
    for n in range(7):
        lat, lon = LAT + n / 2000, LON
        TrackPoint.objects.create(
            patrol=found, device=DEVICE, time=start + timedelta(minutes=5 * n), lat=lat, lon=lon,
            adm1_pcode="XX01", adm2_pcode="XX0101", h3_cell=cell_of(lon, lat),
        )  # fmt: skip
    seen = make_event(event_date=start.date(), location="Alpha market", latitude=LAT, longitude=LON)
    PatrolEvent.objects.create(patrol=found, event=seen)
    return found


@pytest.fixture
def hotspot(areas: None) -> int:
    """A recent event where no patrol went: a coverage gap."""
    cell = cell_of(-72.33, 18.56)
    make_event(event_date=timezone.now().date(), latitude=18.56, longitude=-72.33, h3_cell=cell)
    return cell


@pytest.fixture
def mona(make_user: MakeUser) -> User:
    return make_user("mona", Role.MONITOR)


def test_the_list_shows_each_patrol_with_its_track_size_and_filters_by_status(alice, patrol):
    Patrol.objects.create(reference="KE-0720-B", kind=PatrolKind.VEHICLE, planned_area="XX0102")
    client = session_client(alice)
    html = client.get("/patrols/").content.decode()
    row = html[html.index(f'data-patrol="{patrol.pk}"') :].split("</tr>")[0]
    for shown in ("KE-0716-A", "foot patrol", "completed", "XX0101", "Sgt Wanjiru", ">7<", ">0.50<", "P2"):
        assert shown in row, shown
    assert "KE-0720-B" in html
    completed = client.get("/patrols/?status=completed").content.decode()
    assert "KE-0716-A" in completed and "KE-0720-B" not in completed
    wrong = client.get("/patrols/?status=lost")
    assert wrong.status_code == 400 and "is not a patrol status" in wrong.content.decode()


def test_the_list_pages_fifty_at_a_time(alice, areas):
    Patrol.objects.bulk_create(Patrol(reference=f"KE-{n:03d}", kind=PatrolKind.FOOT) for n in range(55))
    client = session_client(alice)
    assert client.get("/patrols/").content.decode().count("data-patrol=") == 50
    assert client.get("/patrols/?page=2").content.decode().count("data-patrol=") == 5


def test_a_patrol_page_gives_its_details_track_summary_events_map_and_downloads(alice, patrol):
    html = session_client(alice).get(f"/patrols/{patrol.pk}/").content.decode()
    for shown in ("KE-0716-A", "Sgt Wanjiru", DEVICE, "Alpha market", 'id="replay-time"', 'type="range"'):
        assert shown in html, shown
    summary = html[html.index('id="track-summary"') :].split("</dl>")[0]
    assert "<dd>7</dd>" in summary and "<dd>0.50</dd>" in summary
    track = f"/api/patrols/{patrol.pk}/track"
    assert f'data-track-url="{track}?format=geojson"' in html
    assert f'href="{track}?format=gpx"' in html
    assert "/static/leaflet/leaflet.js" in html and "/static/patrols/patrol.js" in html
    assert "<script>" not in html, "no inline script under the CSP"
    event = patrol.events.get()
    assert f'data-date="{event.event_date:%Y-%m-%d}"' in html


def test_the_replays_track_comes_from_the_api_with_a_time_per_position(alice, patrol):
    body = session_client(alice).get(f"/api/patrols/{patrol.pk}/track").json()
    feature = body["features"][0]
    assert len(feature["geometry"]["coordinates"]) == len(feature["properties"]["times"]) == 7


def test_a_hidden_patrol_is_the_same_404_as_a_missing_one(alice, patrol):
    hidden = Patrol.objects.create(reference="KE-SECRET", kind=PatrolKind.FOOT, sensitivity=int(Sensitivity.CRITICAL))
    client = session_client(alice)
    refused, missing = client.get(f"/patrols/{hidden.pk}/"), client.get("/patrols/999999/")
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert "KE-SECRET" not in client.get("/patrols/").content.decode()


def test_the_effort_map_colours_hexagons_by_hours_and_lists_the_gaps(alice, patrol, hotspot):
    html = session_client(alice).get("/patrols/effort/").content.decode()
    assert 'id="effort-cells"' in html and "/static/patrols/effort.js" in html
    assert f'"h3": "{h3.int_to_str(cell_of(LON, LAT))}"' in html
    assert '"type": "Polygon"' in html, "outlines are computed on the server"
    gaps = html[html.index('id="gaps-table"') :].split("</table>")[0]
    assert f'data-cell="{h3.int_to_str(hotspot)}"' in gaps
    assert f"cell={h3.int_to_str(hotspot)}" in gaps, "each gap links to itself on the map"


def test_hours_classes_grow_on_a_log_scale_and_the_busiest_cell_is_darkest():
    assert [(c.level, c.up_to) for c in hours_classes(100.0)] == [
        (1, 1.52),
        (2, 5.33),
        (3, 14.94),
        (4, 39.13),
        (5, 100.0),
    ]
    assert hours_classes(0.0) == []
    assert [level_of(hours, hours_classes(100.0)) for hours in (0.5, 10, 100)] == [1, 3, 5]


def test_the_effort_window_defaults_to_four_weeks_and_refuses_a_backwards_one(alice, patrol):
    client = session_client(alice)
    html = client.get("/patrols/effort/").content.decode()
    today = timezone.now().date()
    assert f'value="{today - timedelta(days=27)}"' in html and f'value="{today}"' in html
    outside = client.get(f"/patrols/effort/?start={today - timedelta(days=5)}&end={today}").content.decode()
    assert "0.00 patrol hours" in outside
    backwards = client.get(f"/patrols/effort/?start={today}&end={today - timedelta(days=3)}")
    assert backwards.status_code == 400 and "before the start" in backwards.content.decode()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.MONITOR])
def test_other_roles_get_the_released_table_with_no_position_device_or_cell(make_user, patrol, hotspot, role):
    client = session_client(make_user("reader", role))
    response = client.get("/patrols/effort/")
    html = response.content.decode()
    assert response.status_code == 200
    table = html[html.index('id="effort-table"') :].split("</table>")[0]
    assert "Alpha" in table and "0.50" in table
    assert "measure both violence and where patrols look" in html
    for secret in (f"{LAT}", f"{LON}", "18.52", DEVICE, "KE-0716-A", "Sgt Wanjiru", "effort-cells", "gaps-table"):
        assert secret not in html, secret
    for cell in (cell_of(LON, LAT), hotspot):
        assert h3.int_to_str(cell) not in html


@pytest.mark.refused("patrols:list", "patrols:detail", "patrols:plan")
def test_partners_and_monitors_are_refused_patrols_and_planning(charlie, mona, patrol):
    for user in (charlie, mona):
        client = session_client(user)
        for path in ("/patrols/", f"/patrols/{patrol.pk}/", "/patrols/plan/"):
            response = client.get(path)
            assert response.status_code == 403, (user, path)
            assert b"Sgt Wanjiru" not in response.content and DEVICE.encode() not in response.content
        assert client.post("/patrols/plan/", {"reference": "X", "kind": "foot"}).status_code == 403
    assert not Patrol.objects.filter(reference="X").exists()


@pytest.mark.refused("patrols:list", "patrols:detail", "patrols:plan", "patrols:effort")
def test_anonymous_visitors_are_sent_to_log_in(anonymous, patrol):
    for path in ("/patrols/", f"/patrols/{patrol.pk}/", "/patrols/plan/", "/patrols/effort/"):
        response = anonymous.get(path)
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")


@pytest.mark.refused("patrols:effort")
def test_the_effort_page_refuses_an_account_without_a_role_and_tells_a_partner_nothing_new(roleless, charlie, patrol):
    assert session_client(roleless).get("/patrols/effort/").status_code == 403
    html = session_client(charlie).get("/patrols/effort/").content.decode()
    assert "effort-map" not in html and "leaflet" not in html


def test_the_nav_leads_track_readers_to_patrols_and_others_to_effort(alice, charlie):
    assert 'href="/patrols/"' in session_client(alice).get("/").content.decode()
    partner = session_client(charlie).get("/").content.decode()
    assert 'href="/patrols/effort/"' in partner and 'href="/patrols/"' not in partner


PLAN = {
    "reference": "KE-0801-A",
    "kind": "joint",
    "objective": "Reassure the market",
    "planned_area": "XX0101",
    "planned_start": "2026-08-01T06:00",
    "planned_end": "2026-08-01T10:00",
    "leader": "Cpl Otieno",
    "size": "12",
    "devices": "KE-FP-09, KE-FP-10",
    "sensitivity": "P2",
}


def test_a_commander_plans_a_patrol_and_lands_on_its_page(cora, areas):
    client = session_client(cora)
    form = client.get("/patrols/plan/").content.decode()
    assert "csrfmiddlewaretoken" in form and 'value="P3"' in form and 'value="P4"' not in form
    response = client.post("/patrols/plan/", PLAN)
    planned = Patrol.objects.get(reference="KE-0801-A")
    assert (response.status_code, response["Location"]) == (302, f"/patrols/{planned.pk}/")
    assert planned.status == PatrolStatus.PLANNED and planned.created_by == cora
    assert planned.planned_start == datetime(2026, 8, 1, 6, 0, tzinfo=UTC)
    assert planned.device_list == ["KE-FP-09", "KE-FP-10"] and planned.size == 12


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"planned_area": "ZZ9999"}, "planned_area", "is not the P-code of a loaded area"),
        ({"planned_end": "2026-08-01T05:00"}, "planned_end", "before planned_start"),
        ({"planned_start": "tomorrow"}, "planned_start", "Enter a valid date/time"),
        ({"size": "0"}, "size", "greater than or equal to 1"),
        ({"sensitivity": "P3"}, "sensitivity", "Select a valid choice"),
    ],
)
def test_a_bad_plan_is_refused_beside_the_field_and_keeps_what_was_typed(alice, areas, change, field, message):
    response = session_client(alice).post("/patrols/plan/", PLAN | change)
    html = response.content.decode()
    assert response.status_code == 422
    error = html[html.index(f'data-field="{field}"') :].split("</p>")[0]
    assert message in error
    assert 'value="Cpl Otieno"' in html
    assert not Patrol.objects.exists()


def test_a_taken_reference_is_refused_beside_it(alice, patrol):
    response = session_client(alice).post("/patrols/plan/", PLAN | {"reference": "KE-0716-A"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "is taken" in html[html.index('data-field="reference"') :].split("</p>")[0]
