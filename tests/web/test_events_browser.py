"""The Events pages in Debian's Chromium: table, map layer, a filter and a detail page, all offline.

The page watcher (``site``) and the log-in helper come from test_browser.py, so these pages are
held to the same rule: no request to another host, no console or script error.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.web.test_browser import Site, log_in, site
from ulinzi.accounts.services import NewAccount
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("orm_beside_playwright")]
__all__ = ["site"]  # the page watcher, a fixture shared with test_browser.py

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def acled_events(transactional_db: None) -> int:
    """The three fixture communes and the five made-up ACLED events, in the live server's database."""
    import_boundaries(FIXTURES / "three_areas.geojson")
    import_acled(FIXTURES / "acled_sample.csv")
    return Event.objects.count()


def test_events_table_map_filter_and_detail(
    page: Page, site: Site, admin_account: NewAccount, acled_events: int, artefacts: Path
) -> None:
    log_in(page, site, admin_account)
    expect(page).to_have_url(site.at("/"))
    page.get_by_role("navigation", name="Capabilities").get_by_role("link", name="Events").click()
    expect(page).to_have_url(site.at("/events/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")

    # Every event in the table, and on the map as a circle (few events: points).
    rows = page.locator("#events-table tbody tr[data-event]")
    expect(rows).to_have_count(acled_events)
    expect(page.locator("#events-count")).to_have_text(f"{acled_events} events match.")
    events_map = page.locator("#events-map")
    expect(events_map).to_have_attribute("data-state", "done")
    expect(events_map).to_have_attribute("data-mode", "points")
    expect(page.locator(".leaflet-events-pane path.event-point")).to_have_count(acled_events)
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(3)  # the communes, for orientation
    expect(page.locator("#events-map-status")).to_contain_text(f"{acled_events} matching events in view")
    page.locator(".leaflet-events-pane path.event-point").first.hover(force=True)
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Fatalities:")
    page.screenshot(path=artefacts / "events.png", full_page=True)

    # The same events as hexagons: counted per H3 cell, with a key.
    page.get_by_label("Draw events as").select_option("hexagons")
    expect(events_map).to_have_attribute("data-mode", "hexagons")
    expect(events_map).to_have_attribute("data-state", "done")
    cells = page.locator(".leaflet-events-pane path.event-cell")
    expect(cells).not_to_have_count(0)
    expect(page.locator("#events-legend li")).not_to_have_count(0)
    expect(page.locator("#events-map-status")).to_contain_text("hexagons (H3 resolution")
    page.screenshot(path=artefacts / "events-hexagons.png", full_page=True)

    # A filter: the URL carries it, and the table and the map both narrow.
    page.get_by_label("Fatalities at least").fill("3")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/events/\?.*min_fatalities=3"))
    assert parse_qs(urlsplit(page.url).query)["min_fatalities"] == ["3"]
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Fatalities at least")).to_have_value("3")
    expect(events_map).to_have_attribute("data-state", "done")
    expect(events_map).to_have_attribute("data-feature-count", "2")
    assert any("/events/map.json?min_fatalities=3&" in url for url in site.log.requests)

    # The newest of the two in full: its fields, sources and history.
    first = rows.first
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/events/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Attack, 5 March 2024")
    expect(page.get_by_test_id("fatalities")).to_have_text("5")
    expect(page.locator("#event-sources tbody tr")).to_have_count(1)
    expect(page.locator("#event-history li").first).to_contain_text("Imported from acled_sample.csv")
    expect(page.locator("#event-fields")).to_contain_text("Made-up test event: attack on residents.")
    page.screenshot(path=artefacts / "event-detail.png", full_page=True)

    assert site.log.outside_requests() == []
