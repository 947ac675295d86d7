"""The dashboard in Debian's Chromium, on the demo data: map, slider, panels and a hexagon's records.

Held to the page watcher's rule (tests/web/test_browser.py): no request to another host, no
console or script error. Screenshots go to test-results/.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path
from threading import Lock

import pytest
from playwright.sync_api import Page, Request, expect

from h3.api import basic_int as h3

from tests.web.test_browser import Site, log_in, site
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import NewAccount
from ulinzi.demo import DemoReport
from ulinzi.incidents.models import Actor, Event

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("orm_beside_playwright")]
__all__ = ["site"]  # the page watcher, a fixture shared with test_browser.py


FIRST_LOAD_LIMIT = 1_500_000  # bytes on the wire, map library included (issue #6)


def number(page: Page, selector: str) -> int:
    return int((page.locator(selector).text_content() or "").replace(",", "").strip())


def test_a_new_user_sees_port_au_prince_and_the_slider_changes_every_panel(
    page: Page, site: Site, admin_account: NewAccount, demo: DemoReport, artefacts: Path
) -> None:
    log_in(page, site, admin_account)
    expect(page).to_have_url(site.at("/"))
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))  # noqa: PLW0108  Playwright wraps only Python functions
    page.reload()  # a first load with the session already open: what a commander gets each morning
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    board = page.locator("#dashboard-map")
    expect(board).to_have_attribute("data-state", "done")
    expect(page.locator("#figures-panel")).to_have_attribute("data-state", "done")
    expect(page.locator("#trend-chart rect.trend-bar").first).to_be_attached()
    expect(page.locator("#strength-chart rect.strength-bar").first).to_be_attached()
    sizes = [request.sizes() for request in finished]
    transferred = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
    (artefacts / "dashboard-first-load.txt").write_text(f"{len(sizes)} requests, {transferred:,} bytes\n")
    assert transferred <= FIRST_LOAD_LIMIT, f"{transferred:,} bytes in {len(sizes)} requests"
    assert any(request.url.endswith("leaflet.js") for request in finished)
    expect(page.locator(".leaflet-events-pane path.event-point").first).to_be_attached()
    expect(page.locator(".leaflet-control-pane path").first).to_be_attached()  # the control layer
    expect(page.locator("#strength-chart")).to_be_visible()
    expect(page.locator("#trend-chart")).to_be_visible()
    page.screenshot(path=artefacts / "dashboard.png", full_page=True)
    before = {
        "events": page.locator("#figure-events").text_content(),
        "strength": page.locator("#strength-date").text_content(),
        "trend": page.locator("#trend-chart").get_attribute("data-until"),
        "control": board.get_attribute("data-control-count"),
    }

    page.locator("#until").fill("2024-06-30")
    page.locator("#until").dispatch_event("change")
    expect(page.locator("#figures-panel")).to_have_attribute("data-until", "2024-06-30")
    expect(page.locator("#window-label")).to_have_text("1 Jun 2024 – 30 Jun 2024")
    expect(board).to_have_attribute("data-until", "2024-06-30")
    expect(page.locator("#strength-date")).to_have_text("2024-06-30")
    expect(page.locator("#strength-chart")).to_have_attribute("data-until", "2024-06-30")
    expect(page.locator("#strength-chart text", has_text="200 of 1,000 pledged")).to_have_count(1)  # Kenya
    expect(page.locator("#trend-chart")).to_have_attribute("data-until", "2024-06-30")
    expect(page.locator("#trend-chart text", has_text="Kenya +")).to_have_count(1)  # 25 June 2024
    assert "until=2024-06-30" in page.url
    after = {
        "events": page.locator("#figure-events").text_content(),
        "strength": page.locator("#strength-date").text_content(),
        "trend": page.locator("#trend-chart").get_attribute("data-until"),
    }
    assert all(after[key] != before[key] for key in after), (before, after)
    # Kenya's first contingent arrived on 25 June 2024: on the 30th it is deployed.
    assert number(page, "#strength-deployed") > 0
    page.screenshot(path=artefacts / "dashboard-june-2024.png", full_page=True)

    # A figure opens the records behind it.
    page.locator("#figure-events").click()
    expect(page).to_have_url(re.compile(r"/events/\?.*until=2024-06-30"))
    page.wait_for_load_state("networkidle")
    site.log.assert_clean()


def test_a_hexagon_lists_its_records(
    page: Page, site: Site, *, admin_account: NewAccount, demo: DemoReport, server_lock: Lock, artefacts: Path
) -> None:
    """Six hundred events in one fortnight in Port-au-Prince: too many for points, so hexagons."""
    rng = random.Random(6)  # noqa: S311  made-up positions, not secrets
    actor = Actor.objects.get_or_create(name="Illustrative group B")[0]
    with server_lock:
        Event.objects.bulk_create(
            Event(
                natural_key=f"test:hex{n}",
                event_date=date(2025, 3, 1) + timedelta(days=n % 14),
                event_type="Battles",
                sub_event_type="Armed clash",
                actor1=actor,
                latitude=(lat := 18.53 + rng.random() * 0.04),
                longitude=(lon := -72.36 + rng.random() * 0.05),
                h3_cell=h3.latlng_to_cell(lat, lon, 8),
                adm1_pcode="HT01",
                sensitivity=int(Sensitivity.PUBLIC),
            )
            for n in range(600)
        )
    log_in(page, site, admin_account)
    page.goto(site.at("/?until=2025-03-14&days=30"))
    board = page.locator("#dashboard-map")
    expect(board).to_have_attribute("data-mode", "hexagons")
    cells = page.locator(".leaflet-events-pane path.event-cell")
    expect(cells.first).to_be_attached()
    cells.first.click(force=True)
    listing = page.locator("#cell-records")
    expect(listing).to_be_visible()
    expect(page.locator("#cell-note")).to_contain_text("in this hexagon")
    expect(page.locator("#cell-list li").first).to_be_visible()
    expect(page.locator("#cell-list li a").first).to_have_attribute("href", re.compile(r"^/events/\d+/$"))
    page.screenshot(path=artefacts / "dashboard-hexagon.png", full_page=True)
    page.wait_for_load_state("networkidle")
    site.log.assert_clean()
