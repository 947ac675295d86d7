"""Real-browser tests: Debian's Chromium against a live server holding the demo data.

Every test runs on a watched page (``site`` below): a request to another host, a
console error or an uncaught script error fails it, so these tests also prove the pages work
disconnected under the Content-Security-Policy.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django_otp.oath import totp  # type: ignore[import-untyped]  # django-otp ships no type information
from playwright.sync_api import ConsoleMessage, Error, Locator, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import NewAccount
from ulinzi.demo import DemoReport
from ulinzi.geo import roads, territory
from ulinzi.geo.models import RoadSegment
from ulinzi.geo.routing import Route

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("orm_beside_playwright")]

COMMUNES = 140  # hti_adm2_communes.geojson
SECOND_FACTOR_ENROL = "/account/second-factor/enrol/"


@dataclass
class PageLog:
    """What a page did that a disconnected, CSP-clean product must not do."""

    host: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Error) -> None:
        self.page_errors.append(str(error))

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).netloc != self.host]

    def assert_clean(self) -> None:
        assert self.requests, "the page made no requests at all: was it ever loaded?"
        outside = self.outside_requests()
        assert not outside, f"requests left {self.host}: " + ", ".join(outside)
        assert not self.console_errors, "console errors (a CSP violation is one):\n" + "\n".join(self.console_errors)
        assert not self.page_errors, "uncaught script errors:\n" + "\n".join(self.page_errors)


@dataclass(frozen=True)
class Site:
    """The live server as the browser sees it, and the log of everything the page did."""

    url: str
    log: PageLog

    def at(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def site(page: Page, live_server: LiveServer) -> Iterator[Site]:
    """The live server, with ``page`` watched from its first request to the end of the test."""
    log = PageLog(host=urlsplit(live_server.url).netloc)
    page.on("request", log.on_request)
    page.on("console", log.on_console)
    page.on("pageerror", log.on_page_error)
    yield Site(url=live_server.url, log=log)
    log.assert_clean()


def log_in(page: Page, site: Site, account: NewAccount, path: str = "/login/") -> None:
    """Fill in and submit the real login form, as a person would, then the second factor if asked."""
    page.goto(site.at(path))
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password").fill(account.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    pass_second_factor(page)
    # The Overview loads its panels after the page: let them finish, so no request is still in
    # flight when a test moves on or its database is flushed.
    page.wait_for_load_state("networkidle")


def pass_second_factor(page: Page) -> None:
    """On the enrolment page a role with confidential clearance lands on at its first log-in, add
    the key shown to an "authenticator" and confirm it with the code it makes."""
    if path_of(page) != SECOND_FACTOR_ENROL:
        return
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code", exact=True).fill(f"{totp(base64.b32decode(secret.replace(' ', ''))):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def navigation(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Capabilities")


def test_login_form_lands_on_the_overview(page: Page, site: Site, admin_account: NewAccount) -> None:
    log_in(page, site, admin_account)
    expect(page).to_have_url(site.at("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator(".account")).to_contain_text("admin · admin")
    expect(page.get_by_test_id("strength-deployed")).to_be_visible()


def test_wrong_password_shows_the_error_and_stays_on_login(page: Page, site: Site, admin_account: NewAccount) -> None:
    wrong = NewAccount(admin_account.username, admin_account.password + "-wrong", admin_account.token)
    log_in(page, site, wrong)
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    assert path_of(page) == "/login/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(navigation(page)).to_have_count(0)


def test_anonymous_force_visit_ends_on_login_then_returns_there(
    page: Page, site: Site, admin_account: NewAccount
) -> None:
    page.goto(site.at("/force/"))
    assert path_of(page) == "/login/"
    assert urlsplit(page.url).query == "next=/force/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.locator("#strength-table")).to_have_count(0)
    # The form carries ?next= through the login.
    page.get_by_label("Username").fill(admin_account.username)
    page.get_by_label("Password").fill(admin_account.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    pass_second_factor(page)  # ?next= is carried through the second factor too
    expect(page).to_have_url(site.at("/force/"))


def timeline_column(page: Page, country: str) -> dict[str, int]:
    """One country's column of the "Chart data" table, by date."""
    table = page.locator("#timeline-table")
    headers = [text.strip() for text in table.locator("thead th").all_text_contents()]
    column = headers.index(country)
    rows: list[list[str]] = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.cells, cell => cell.textContent.trim()))"
    )
    return {row[0]: int(row[column]) for row in rows}


def test_force_page(page: Page, site: Site, demo: DemoReport, admin_account: NewAccount, artefacts: Path) -> None:
    log_in(page, site, admin_account)
    expect(page).to_have_url(site.at("/"))
    page.goto(site.at("/force/?date=2025-01-05"))
    expect(navigation(page).get_by_role("link", name="Admin")).to_be_visible()

    # Strength on 5 January 2025: the timeline's own check figure (Kenya 400 of 590).
    strength = page.locator("#strength-table")
    expect(strength.locator("caption")).to_have_text("Deployed strength on 5 January 2025")
    expect(strength.get_by_test_id("total")).to_have_text("590")
    expect(strength.locator("tr[data-country=KE] td").first).to_have_text("400")

    # The chart is an SVG served by the app itself, and it has rendered.
    chart = page.locator("#strength-chart")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.getElementById('strength-chart'); return img.complete && img.naturalWidth > 0; }"
    )
    assert chart.evaluate("img => img.naturalWidth") > 0
    assert site.at("/force/chart.svg") in site.log.requests

    # The chart's data, open as a reader would: Kenya rises 200 → 400, then 400 → 617 → 761.
    page.get_by_text("Chart data", exact=True).click()
    expect(page.locator("#timeline-table")).to_be_visible()
    kenya = timeline_column(page, "Kenya")
    assert kenya["2024-06-25"] == 200
    assert kenya["2024-07-16"] == 400
    assert kenya["2025-01-04"] == 400
    assert kenya["2025-01-18"] == 617
    assert kenya["2025-02-06"] == 761
    dates = sorted(kenya)
    assert dates == list(kenya), "chart data out of date order"
    assert all(kenya[a] <= kenya[b] for a, b in pairwise(dates)), "Kenya's strength falls somewhere in the chart data"
    assert kenya[dates[-1]] == 761

    # The first Kenyan contingent: two reports that disagree, the timeline's 200 preferred.
    first = page.locator("#movements-table tbody tr").filter(has_text="2024-06-25").filter(has_text="Kenya")
    expect(first).to_have_count(1)
    expect(first).to_have_class(re.compile(r"\bconflict\b"))
    expect(first.locator("td.num")).to_have_text("200")
    expect(first.locator(".warn")).to_have_text("2 reports disagree")
    reports = first.locator("ul.reports > li")
    expect(reports).to_have_count(2)
    expect(reports.nth(0)).to_have_class("preferred")
    expect(reports.nth(0).locator("strong")).to_have_text("200")
    expect(reports.nth(1)).not_to_have_class("preferred")
    expect(reports.nth(1).locator("strong")).to_have_text("400")
    expect(reports.nth(1)).to_contain_text("Founding article")

    page.screenshot(path=artefacts / "force.png", full_page=True)


def test_map_draws_every_commune(
    page: Page, site: Site, demo: DemoReport, admin_account: NewAccount, artefacts: Path
) -> None:
    log_in(page, site, admin_account)
    expect(page).to_have_url(site.at("/"))
    page.goto(site.at("/map/"))
    expect(page.locator("#level")).to_have_value("2")
    expect(page.locator("#map")).to_have_attribute("data-feature-count", str(COMMUNES))
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(COMMUNES)
    expect(page.locator("#map-status")).to_contain_text(f"{COMMUNES} areas at level 2")
    assert site.at("/api/geo/areas?level=2") in site.log.requests, "the recorder missed the boundaries request"
    page.screenshot(path=artefacts / "map.png", full_page=True)


def test_partner_sees_force_but_no_admin_link(
    page: Page, site: Site, demo: DemoReport, partner_account: NewAccount
) -> None:
    log_in(page, site, partner_account)
    expect(page).to_have_url(site.at("/"))
    page.goto(site.at("/force/?date=2025-01-05"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Force strength")
    expect(page.locator("#strength-table").get_by_test_id("total")).to_have_text("590")
    nav = navigation(page)
    expect(nav.get_by_role("link", name="Force")).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)


def test_map_control_layer_moves_through_time(
    page: Page, site: Site, demo: DemoReport, admin_account: NewAccount, artefacts: Path
) -> None:
    log_in(page, site, admin_account)
    expect(page).to_have_url(site.at("/"))
    page.goto(site.at("/map/"))
    control = page.locator("#control")
    polygons = page.locator(".leaflet-control-pane path.control-area")
    table = page.locator("#control-share")

    # The date box moves the slider, and the layer, table and chart follow.
    page.get_by_label("Territorial control on").fill("2024-10-01")
    expect(page.locator("#control-day")).to_have_value(str((date(2024, 10, 1) - date(2024, 1, 1)).days))
    expect(control).to_have_attribute("data-shown", "2024-10-01")
    expect(page.locator("#illustrative-banner")).to_be_visible()
    expect(page.locator("#illustrative-banner")).to_have_text("Illustrative data — not an assessment")
    expect(polygons).to_have_count(5)  # the demo's five illustrative areas are all in force that day
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(COMMUNES)  # the boundaries stay
    expect(page.locator("#control-legend li")).to_have_text(["Illustrative group A", "Illustrative group B"])
    expect(table.locator("caption")).to_have_text("Share under control on 2024-10-01")
    expect(table.locator("tbody th")).to_have_text(["Illustrative group A", "Illustrative group B"])
    expect(table.get_by_test_id("share-total").locator("td").nth(1)).to_have_text(re.compile(r"^13[.,]8 %$"))
    expect(table.get_by_test_id("share-contested").locator("td")).to_have_text(re.compile(r"^0[.,]57 km²$"))
    assert site.at("/api/geo/control?date=2024-10-01") in site.log.requests
    chart = page.locator("#control-share-chart")
    expect(chart).to_have_attribute("src", re.compile(r"/map/control-share\.svg\?area=HT0111%2C.*&date=2024-10-01$"))
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.getElementById('control-share-chart');"
        " return img.complete && img.naturalWidth > 0 && img.src.endsWith('date=2024-10-01'); }"
    )

    # The slider moves the date box: on 1 April 2025 two claims have ended.
    page.locator("#control-day").fill(str((date(2025, 4, 1) - date(2024, 1, 1)).days))
    expect(page.get_by_label("Territorial control on")).to_have_value("2025-04-01")
    expect(control).to_have_attribute("data-shown", "2025-04-01")
    expect(polygons).to_have_count(3)

    # Back to 1 October 2024, zoomed in, with a tooltip open, for the screenshot.
    page.get_by_label("Territorial control on").fill("2024-10-01")
    expect(control).to_have_attribute("data-shown", "2024-10-01")
    expect(polygons).to_have_count(5)
    page.get_by_role("button", name="Zoom to control areas").click()
    polygons.first.hover(force=True)
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Illustrative, not an assessment")
    page.screenshot(path=artefacts / "map-control.png", full_page=True)


def plan_route(page: Page, start: str, end: str) -> Locator:
    """Fill in and submit the route planner; the result panel once the answer is shown."""
    form = page.locator("#route-form")
    form.evaluate("form => { delete form.dataset.state; }")  # so the wait below is for this answer
    page.get_by_label("From", exact=True).fill(start)
    page.get_by_label("To", exact=True).fill(end)
    page.get_by_role("button", name="Plan route").click()
    expect(form).to_have_attribute("data-state", "done")
    return page.locator("#route-result")


def items(list_: Locator) -> list[str]:
    return [text.strip() for text in list_.locator("li").all_text_contents()]


@pytest.mark.usefixtures("demo")
def test_map_plans_routes_around_closed_roads(
    page: Page, site: Site, admin_account: NewAccount, artefacts: Path, server_lock: threading.Lock
) -> None:
    # What the page should show, from the services, before the browser starts asking.
    today = timezone.now().date()
    actors = sorted(
        set(territory.in_force(Viewer.operator(Sensitivity.CONFIDENTIAL), today).values_list("actor__name", flat=True))
    )
    assert actors, "the demo has no control area in force today"
    start, end = roads.endpoint("Port-au-Prince"), roads.endpoint("Mirebalais")
    expected = roads.route(Viewer.operator(Sensitivity.CONFIDENTIAL), start, end, today, [])
    assert isinstance(expected, Route)
    segments = RoadSegment.objects.count()

    log_in(page, site, admin_account)
    expect(page).to_have_url(site.at("/"))
    page.goto(site.at("/map/"))
    expect(page.get_by_label("Territorial control on")).to_have_value(f"{today}")
    form = page.locator("#route-form")
    expect(page.locator("#control")).to_have_attribute("data-shown", f"{today}")
    expect(form).to_have_attribute("data-roads-shown", f"{today}")
    road_lines = page.locator(".leaflet-roads-pane path.road")
    closed_lines = page.locator(".leaflet-roads-pane path.road-closed")
    route_line = page.locator(".leaflet-route-pane path.route-line")
    expect(road_lines).to_have_count(segments)
    expect(closed_lines).to_have_count(0)
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(COMMUNES)  # the boundaries stay
    expect(page.locator("#route-actors label")).to_have_text(actors)

    # No avoidance: the shortest way, drawn, with its length and segments as the service finds them.
    result = plan_route(page, "Port-au-Prince", "Mirebalais")
    expect(result).to_have_attribute("data-outcome", "found")
    expect(result.get_by_test_id("route-summary")).to_contain_text(
        f"Route from Port-au-Prince to Mirebalais on {today}"
    )
    expect(result.get_by_test_id("route-length")).to_have_text(re.compile(r"^\d+([.,]\d)? km$"))
    first_way = items(result.get_by_test_id("route-segments"))
    assert first_way == [segment.name for segment in expected.segments]
    expect(route_line).to_have_count(1)
    expect(result.get_by_test_id("route-avoided")).to_have_count(0)

    # A barricade on the first segment, reported an hour ago: another way, and the segment avoided.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    with server_lock:
        roads.register_status(RoadSegment.objects.get(name=first_way[0]), "barricade", an_hour_ago)
    result = plan_route(page, "Port-au-Prince", "Mirebalais")
    expect(result).to_have_attribute("data-outcome", "found")
    expect(result.get_by_test_id("route-avoided")).to_have_text(f"{first_way[0]}: blocked (status barricade)")
    detour = items(result.get_by_test_id("route-segments"))
    assert detour != first_way and first_way[0] not in detour
    expect(route_line).to_have_count(1)
    expect(closed_lines).to_have_count(1)

    # Every way out of Port-au-Prince blocked (reported after the barricade): no safe route, and
    # every closed way named.
    with server_lock:
        ways_out = list(RoadSegment.objects.filter(name__contains="Port-au-Prince").order_by("name"))
        for way_out in ways_out:
            roads.register_status(way_out, "blocked", an_hour_ago + timedelta(minutes=30))
    result = plan_route(page, "Port-au-Prince", "Mirebalais")
    expect(result).to_have_attribute("data-outcome", "none")
    expect(result.get_by_test_id("route-none")).to_have_text(
        f"No safe route from Port-au-Prince to Mirebalais on {today}."
    )
    reasons = result.get_by_test_id("route-reasons")
    expect(reasons.locator("li")).to_have_count(len(ways_out))
    assert sorted(text.rsplit(": ", 1)[0] for text in items(reasons)) == sorted(way.name for way in ways_out)
    assert {text.rsplit(": ", 1)[1] for text in items(reasons)} == {"blocked (status blocked)"}
    expect(route_line).to_have_count(0)
    closed = {way.name for way in ways_out} | {first_way[0]}
    expect(closed_lines).to_have_count(len(closed))
    page.screenshot(path=artefacts / "map-route.png", full_page=True)
