import pytest
from django.test import Client

from tests.conftest import session_client
from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import create_account
from ulinzi.geo.importers.boundaries.importer import import_boundaries

pytestmark = pytest.mark.django_db


def test_the_overview_shows_the_strength_and_navigation(alice):
    html = session_client(alice).get("/").content.decode()
    assert 'data-testid="strength-deployed">0<' in html
    for label in ("Force", "Map", "Events", "Patrols"):
        assert label in html
    assert 'href="/admin/"' not in html


def test_admins_get_the_admin_link(admin):
    assert 'href="/admin/"' in session_client(admin).get("/").content.decode()


@pytest.mark.refused("web:home")
def test_the_overview_sends_anonymous_visitors_to_login(anonymous):
    response = anonymous.get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


@pytest.mark.refused("web:home")
def test_the_overview_refuses_an_account_without_a_role(roleless):
    assert session_client(roleless).get("/").status_code == 403


def test_the_map_page_loads_leaflet_from_the_app(alice, fixtures_dir):
    import_boundaries(fixtures_dir / "three_areas.geojson")
    html = session_client(alice).get("/map/").content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "/static/web/map.js" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_the_map_page_says_how_to_load_boundaries_when_there_are_none(alice):
    assert "ulinzi import boundaries" in session_client(alice).get("/map/").content.decode()


@pytest.mark.refused("web:map")
def test_the_map_page_sends_anonymous_visitors_to_login(anonymous, roleless):
    assert anonymous.get("/map/").status_code == 302
    assert session_client(roleless).get("/map/").status_code == 403


def test_static_assets_are_served_by_the_app(anonymous):
    response = anonymous.get("/static/leaflet/leaflet.js")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    response.close()


def test_login_with_the_right_password_opens_a_session(make_user):
    account = create_account("dora", Role.ANALYST)
    client = Client()
    response = client.post("/login/", {"username": "dora", "password": account.password})
    assert (response.status_code, response["Location"]) == (302, "/")
    # An analyst reads confidential records: the session next sets up or enters a second factor
    # (tests/accounts/test_second_factor.py goes through it).
    assert client.get("/")["Location"] == "/account/second-factor/?next=/"
    assert client.get("/account/second-factor/enrol/").status_code == 200


@pytest.mark.refused("web:login")
def test_login_with_a_wrong_password_says_so_without_saying_which_part(alice):
    response = Client().post("/login/", {"username": "alice", "password": "wrong password here"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    unknown = Client().post("/login/", {"username": "nobody-at-all", "password": "wrong password here"})
    assert unknown.status_code == 200
    assert "did not match" in unknown.content.decode()


@pytest.mark.refused("web:login")
def test_login_locks_out_after_repeated_failures(alice, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "alice", "password": "wrong password here"})
    response = client.post("/login/", {"username": "alice", "password": "still wrong password"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


@pytest.mark.refused("web:logout")
def test_logout_needs_a_post_and_ends_the_session(alice):
    client = session_client(alice)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.refused("admin:index")
def test_django_admin_is_for_administrators_only(anonymous, charlie, alice, admin):
    assert anonymous.get("/admin/").status_code == 302
    assert session_client(charlie).get("/admin/").status_code == 302
    assert session_client(alice).get("/admin/").status_code == 302
    assert session_client(admin).get("/admin/").status_code == 200


def test_pages_carry_a_strict_content_security_policy(alice):
    response = session_client(alice).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_an_unknown_page_is_a_plain_404_for_a_signed_in_user(alice):
    response = session_client(alice).get("/no-such-page/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
