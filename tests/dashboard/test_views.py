"""The dashboard page, its panels' API and its charts: answers, bad input, and who is refused."""

import json
from datetime import date

import pytest

from tests.conftest import session_client, token_client
from tests.dashboard.test_figures import march  # noqa: F401  a fixture
from tests.factories import make_movement
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.incidents.models import Event

pytestmark = pytest.mark.django_db

WINDOW = {"since": "2024-03-01", "until": "2024-03-31"}


def test_the_figures_panel_answers_for_the_window(alice, march):  # noqa: F811
    body = token_client(alice).get("/api/dashboard/figures", WINDOW).json()
    assert (body["events"], body["fatalities"]) == (4, 9)  # an analyst reads up to P2
    assert [(t["key"], t["fatalities"]) for t in body["by_type"]][:2] == [
        ("Violence against civilians", 5),
        ("Battles", 4),
    ]
    assert body["communes"][0]["label"] == "Alpha"
    assert body["records"] == "since=2024-03-01&until=2024-03-31"


def test_the_trend_and_strength_panels_answer(alice, march):  # noqa: F811
    make_movement(on=date(2024, 3, 14), personnel=400)
    trend = token_client(alice).get("/api/dashboard/trend", WINDOW).json()
    assert trend["arrivals"] == [{"on": "2024-03-14", "country": "KE", "name": "Kenya", "personnel": 400}]
    assert sum(week["events"] for week in trend["weeks"] if week["in_window"]) == 4
    strength = token_client(alice).get("/api/dashboard/strength", {"on": "2024-03-31"}).json()
    assert (strength["deployed"], strength["countries"][0]["name"]) == (400, "Kenya")


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"since": "2024-04-01", "until": "2024-03-01"}, "since"),
        ({"event_type": "Riots<script>"}, "event_type"),
        ({"verification": "maybe"}, "verification"),
        ({"until": "March"}, "until"),
        ({"pcode": "HT 01"}, "pcode"),
    ],
)
def test_bad_windows_are_a_422_naming_the_field(alice, query, fragment):
    response = token_client(alice).get("/api/dashboard/figures", query)
    assert response.status_code == 422
    assert fragment in response.content.decode()


def test_the_page_draws_the_window_from_the_query_string(alice, march):  # noqa: F811
    make_movement(on=date(2024, 3, 14), personnel=400)
    html = session_client(alice).get("/", {"until": "2024-03-31", "days": "30", "pcode": "XX0101"}).content.decode()
    assert 'data-until="2024-03-31"' in html
    assert 'id="f-pcode" name="pcode" maxlength="20" size="9" value="XX0101"' in html
    assert 'data-testid="strength-deployed">400<' in html
    assert '<script src="/static/dashboard/dashboard.js"></script>' in html
    assert "https://" not in html.split("<main>", 1)[1]  # nothing from outside the app


def test_a_tile_server_is_used_only_when_configured(alice, settings):
    page = session_client(alice).get("/")
    assert "data-tile-url" not in page.content.decode()
    settings.MAP_TILES = ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org")
    settings.MAP_TILE_ATTRIBUTION = "© Example tiles"
    html = session_client(alice).get("/").content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Example tiles"' in html


def test_without_a_window_the_page_ends_at_the_latest_event(alice, march):  # noqa: F811
    html = session_client(alice).get("/").content.decode()
    assert 'data-until="2024-04-02"' in html  # the latest event an analyst may read
    assert "No event on record after 2 April 2024" in html


def test_a_bad_query_string_falls_back_to_the_default_window(alice, march):  # noqa: F811
    response = session_client(alice).get("/", {"until": "not a date", "days": "12345"})
    assert response.status_code == 200
    assert 'data-until="2024-04-02"' in response.content.decode()


def test_the_charts_are_svg_with_their_labels(alice, march):  # noqa: F811
    make_movement(on=date(2024, 3, 14), personnel=400)
    trend = session_client(alice).get("/dashboard/trend.svg", {"until": "2024-03-31", "days": "30"})
    assert trend["Content-Type"] == "image/svg+xml"
    assert "Kenya +400" in trend.content.decode()
    strength = session_client(alice).get("/dashboard/strength.svg", {"until": "2024-03-31"})
    assert "Kenya" in strength.content.decode() and "400 deployed" in strength.content.decode()
    assert session_client(alice).get("/dashboard/trend.svg", {"until": "x"}).status_code == 400


def test_a_partners_panels_hold_nothing_above_their_release(charlie, march):  # noqa: F811
    body = token_client(charlie).get("/api/dashboard/figures", WINDOW).json()
    assert (body["events"], body["fatalities"]) == (4, 9)  # the P3 event of 28 March is not counted
    trend = token_client(charlie).get("/api/dashboard/trend", WINDOW).json()
    assert sum(week["fatalities"] for week in trend["weeks"]) == 9


def test_a_partners_map_holds_no_sensitive_event_nor_a_true_point(charlie, march):  # noqa: F811
    """The dashboard's events layer and a hexagon's listing read /events/map.json with the window."""
    query = {**WINDOW, "bbox": "-72.45,18.45,-72.2,18.6", "zoom": "12"}
    hidden = Event.objects.get(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    masked = Event.objects.filter(sensitivity=int(Sensitivity.CONFIDENTIAL), event_date__lte=date(2024, 3, 31))
    assert masked.count() == 3
    for show in ("points", "hexagons"):
        body = session_client(charlie).get("/events/map.json", {**query, "show": show}).json()
        text = json.dumps(body)
        assert f"/events/{hidden.pk}/" not in text
        if show == "points":
            at = {
                feature["properties"]["url"]: tuple(feature["geometry"]["coordinates"]) for feature in body["features"]
            }
            assert len(at) == 4  # three masked P2 events and the public protest
            for event in masked:
                assert at[f"/events/{event.pk}/"] == (event.masked_longitude, event.masked_latitude)
                assert at[f"/events/{event.pk}/"] != (event.longitude, event.latitude)
        else:
            assert sum(feature["properties"]["events"] for feature in body["features"]) == 4


@pytest.mark.refused("web:home")
@pytest.mark.refused("dashboard:trend-chart")
@pytest.mark.refused("dashboard:strength-chart")
@pytest.mark.refused("api:dashboard-figures")
@pytest.mark.refused("api:dashboard-trend")
@pytest.mark.refused("api:dashboard-strength")
def test_outsiders_are_refused(anonymous, roleless):
    for path in ("/dashboard/trend.svg", "/dashboard/strength.svg"):
        assert anonymous.get(path).status_code == 302
        assert session_client(roleless).get(path).status_code == 403
    for path in ("/api/dashboard/figures", "/api/dashboard/trend", "/api/dashboard/strength"):
        assert anonymous.get(path).status_code == 401
        assert session_client(roleless).get(path).status_code == 403
