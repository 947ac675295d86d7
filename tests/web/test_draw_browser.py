"""Drawing a control area on the Map page in Debian's Chromium, offline.

An analyst clicks the corners of a polygon, fills in the form, is refused once by the API (the
message shown in the form) and saves; the new claim then shows in the control layer. The page
watcher (``site``, from test_browser.py) fails the test on any request to another host and on
any console or script error, so Leaflet.draw is proven to run under the Content-Security-Policy.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.test_browser import Site, log_in, site
from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import NewAccount, create_account
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.models import ControlArea

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("orm_beside_playwright")]
__all__ = ["site"]  # the page watcher, a fixture shared with test_browser.py

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Corners of a square inside commune XX0102 (Beta), which no claim in force covers; (lat, lon).
CORNERS = [(18.505, -72.345), (18.505, -72.315), (18.535, -72.315), (18.535, -72.345)]


@pytest.fixture
def three_communes(transactional_db: None) -> None:
    """The fixture communes, and Group North's open claim over Alpha (Group South's has ended)."""
    import_boundaries(FIXTURES / "three_areas.geojson")
    import_control(FIXTURES / "control_two_groups.geojson")


@pytest.fixture
def analyst_account(transactional_db: None) -> NewAccount:
    return create_account("alice", Role.ANALYST)


def click_corners(page: Page) -> None:
    """Click each corner on the map, then the first again to close the polygon, as a person would."""
    box = page.locator("#map").bounding_box()
    assert box is not None
    points: list[dict[str, float]] = page.evaluate(
        "corners => corners.map(([lat, lon]) => window.ulinzi.map.latLngToContainerPoint([lat, lon]))", CORNERS
    )
    vertices = page.locator(".leaflet-marker-pane .leaflet-editing-icon")
    for count, point in enumerate(points, start=1):
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        expect(vertices).to_have_count(count)
        # Leaflet.draw ignores a click within 50 ms of the last vertex (its guard against a touch
        # and a click for one tap); a person is never that fast.
        page.wait_for_timeout(120)
    page.mouse.click(box["x"] + points[0]["x"], box["y"] + points[0]["y"])


@pytest.mark.usefixtures("three_communes")
def test_an_analyst_draws_a_control_area_and_sees_it_on_the_map(
    page: Page, site: Site, analyst_account: NewAccount, artefacts: Path, server_lock: threading.Lock
) -> None:
    log_in(page, site, analyst_account)
    expect(page).to_have_url(site.at("/"))
    page.goto(site.at("/map/"))
    expect(page.locator("#map")).to_have_attribute("data-feature-count", "3")
    control = page.locator("#control")
    expect(control).to_have_attribute("data-shown", page.get_by_label("Territorial control on").input_value())
    polygons = page.locator(".leaflet-control-pane path.control-area")
    expect(polygons).to_have_count(1)  # Group North's

    # Draw: the tool changes to Finish / Cancel while drawing, and the form opens when closed.
    page.get_by_role("button", name="Draw a control area").click()
    expect(page.get_by_role("button", name="Finish the polygon")).to_be_visible()
    expect(page.get_by_role("button", name="Draw a control area")).to_be_hidden()
    click_corners(page)
    form = page.locator("#draw-form")
    expect(form).to_be_visible()
    expect(page.get_by_role("button", name="Draw a control area")).to_be_visible()
    expect(page.locator(".leaflet-drawing-pane path")).to_have_count(1)

    # The form offers the actors already known, and only the labels an analyst may read.
    assert page.locator("#draw-actors option").evaluate_all("options => options.map(o => o.value)") == [
        "Group North",
        "Group South",
    ]
    expect(page.get_by_label("Label")).to_have_value("P2")
    expect(page.get_by_label("Label").locator("option")).to_have_count(3)

    # A refusal from the API is shown in the form, by the field's label.
    page.get_by_label("Controlling actor").fill("Group East")
    page.get_by_label("Valid from").fill("2024-05-01")
    page.get_by_label("Valid to (empty while it holds)").fill("2024-04-30")
    page.get_by_label("Confidence").select_option("high")
    page.get_by_label("Label").select_option("P1")
    page.get_by_label("Sources").fill("https://example.org/sitrep-9")
    page.get_by_label("Illustrative").check()
    page.get_by_role("button", name="Save the control area").click()
    tools = page.locator("#draw-tools")
    expect(tools).to_have_attribute("data-state", "refused")
    expect(page.locator("#draw-errors li")).to_have_text(
        ["Valid to (empty while it holds): 2024-04-30 is before valid_from 2024-05-01"]
    )
    expect(form).to_be_visible()
    expect(polygons).to_have_count(1)
    page.screenshot(path=artefacts / "map-draw-refused.png", full_page=True)

    # Corrected and saved: the form closes and the control layer shows the new claim.
    page.get_by_label("Valid to (empty while it holds)").fill("")
    page.get_by_role("button", name="Save the control area").click()
    expect(tools).to_have_attribute("data-state", "saved")
    expect(form).to_be_hidden()
    expect(page.locator("#draw-status")).to_contain_text("Saved: Group East from 2024-05-01 with no end date")
    expect(polygons).to_have_count(2)
    expect(page.locator(".leaflet-drawing-pane path")).to_have_count(0)
    expect(page.locator("#control-legend li")).to_have_text(["Group East", "Group North"])
    expect(page.locator("#illustrative-banner")).to_be_visible()
    page.get_by_role("button", name="Zoom to control areas").click()
    page.screenshot(path=artefacts / "map-draw.png", full_page=True)

    with server_lock:
        area = ControlArea.objects.select_related("batch__user").get(actor__name="Group East")
        assert area.batch is not None and area.batch.user is not None
        assert (area.batch.kind, area.batch.user.username) == ("drawn", "alice")
        assert (area.sensitivity, area.confidence, area.illustrative) == (1, "high", True)
        assert [source.reference for source in area.sources.all()] == ["https://example.org/sitrep-9"]
    assert site.log.requests.count(site.at("/api/geo/control")) == 2  # the refused save and the good one
    # Chromium logs every 4xx answer as a console error; the one 422 this test asked for is no fault.
    asked_for = f"status of 422 (Unprocessable Entity) ({site.at('/api/geo/control')})"
    assert [error for error in site.log.console_errors if asked_for in error] == site.log.console_errors[:1]
    del site.log.console_errors[:1]
    assert site.log.outside_requests() == []
