"""The monthly report from the Overview in Debian's Chromium: link, form, and a PDF downloaded.

Held to the page watcher's rule (tests/web/test_browser.py): no request to another host, no
console or script error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.test_browser import Site, log_in, site
from ulinzi.accounts.services import NewAccount
from ulinzi.demo import DemoReport

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("orm_beside_playwright")]
__all__ = ["site"]  # the page watcher, a fixture shared with test_browser.py


def test_the_overviews_monthly_report_link_downloads_a_pdf(
    page: Page, site: Site, admin_account: NewAccount, demo: DemoReport, tmp_path: Path
) -> None:
    log_in(page, site, admin_account)
    page.goto(site.at("/?until=2025-01-31&days=30"))
    link = page.get_by_role("link", name="Monthly report")
    expect(link).to_have_attribute("href", "/reports/?period=2025-01")
    link.click()
    expect(page).to_have_url(site.at("/reports/?period=2025-01"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly situation report")
    expect(page.get_by_label("Month")).to_have_value("2025-01")
    page.get_by_label("Format").select_option("pdf")
    with page.expect_download() as started:
        page.get_by_role("button", name="Download").click()
    download = started.value
    assert download.suggested_filename == "situation-report-2025-01.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert saved.stat().st_size > 50_000  # maps and charts inside
    site.log.assert_clean()


def test_the_link_follows_the_window(page: Page, site: Site, admin_account: NewAccount, demo: DemoReport) -> None:
    log_in(page, site, admin_account)
    page.goto(site.at("/?until=2025-01-31&days=30"))
    page.locator("#until").fill("2024-06-30")
    page.locator("#until").dispatch_event("change")
    expect(page.locator("#report-link")).to_have_attribute("href", re.compile(r"/reports/\?period=2024-06$"))
    site.log.assert_clean()
