"""The patrol pages in Debian's Chromium: the replay over a track and the effort map, offline.

Held to the page watcher's rule (test_browser.py): no request to another host, no console or
script error, so the static scripts are proven to run under the CSP.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.claims.factories import make_event
from tests.web.test_browser import Site, log_in, site
from ulinzi.accounts.services import NewAccount
from ulinzi.geo.lookup import h3_cells
from ulinzi.patrols.models import Patrol, PatrolEvent, PatrolKind, TrackPoint

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("orm_beside_playwright")]
__all__ = ["site"]  # the page watcher, a fixture shared with test_browser.py


def store_patrol(start: datetime) -> Patrol:
    """Forty minutes across midnight, with an event dated the second day."""
    patrol = Patrol.objects.create(reference="KE-NIGHT", kind=PatrolKind.FOOT, devices="KE-1")
    for n in range(9):
        lat, lon = 18.52 + n / 1000, -72.385
        cell = h3_cells(np.array([lon]), np.array([lat]))[0]
        TrackPoint.objects.create(
            patrol=patrol, device="KE-1", time=start + timedelta(minutes=5 * n), lat=lat, lon=lon, h3_cell=cell
        )
    after_midnight = make_event(event_date=(start + timedelta(days=1)).date(), location="Night market")
    PatrolEvent.objects.create(patrol=patrol, event=after_midnight)
    return patrol


def test_the_replay_draws_the_track_up_to_the_slider_and_shows_events_by_then(
    page: Page, site: Site, admin_account: NewAccount, transactional_db: None
) -> None:
    day = timezone.now().date() - timedelta(days=3)
    patrol = store_patrol(datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(minutes=20))
    log_in(page, site, admin_account)
    page.goto(site.at(f"/patrols/{patrol.pk}/"))
    expect(page.locator("#patrol-map")).to_have_attribute("data-state", "done")
    slider = page.locator("#replay-time")
    expect(slider).to_have_attribute("max", str(40 * 60))
    event = page.locator("#patrol-events li")
    expect(event).to_be_visible()
    slider.fill("0")
    expect(page.locator("#replay-clock")).to_contain_text(f"{day - timedelta(days=1)} 23:40:00 UTC")
    expect(event).to_be_hidden()
    expect(page.locator("path.track-position")).to_have_count(1)
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(event).to_be_visible(timeout=45_000)


def test_the_effort_map_draws_hexagons_and_zooms_to_a_gap(
    page: Page, site: Site, admin_account: NewAccount, transactional_db: None
) -> None:
    store_patrol(timezone.now() - timedelta(days=5))
    cell = h3_cells(np.array([-72.33]), np.array([18.56]))[0]
    make_event(event_date=timezone.now().date(), latitude=18.56, longitude=-72.33, h3_cell=cell)
    log_in(page, site, admin_account)
    page.goto(site.at("/patrols/effort/"))
    expect(page.locator("path.effort-cell").first).to_be_visible()
    expect(page.locator("path.effort-gap")).to_have_count(1)
    page.get_by_role("link", name="Show on the map").click()
    expect(page.locator("#effort-map")).to_have_attribute("data-focus", f"{cell:x}")
    assert "cell=" not in page.url, "the script zooms without reloading"
