from datetime import date

import pytest

from tests.conftest import session_client
from tests.factories import make_movement
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.importers.strength.importer import import_strength

pytestmark = pytest.mark.django_db


def test_the_force_page_shows_strength_movements_and_sources(alice, fixtures_dir):
    import_strength(fixtures_dir / "strength_template.csv")
    response = session_client(alice).get("/force/", {"date": "2024-06-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="total">90<' in html
    assert "2 reports disagree" in html
    assert "https://example.org/a" in html
    assert "Resolution 9999" in html


def test_a_bad_date_falls_back_to_today_with_a_message(alice):
    html = session_client(alice).get("/force/", {"date": "not-a-date"}).content.decode()
    assert "is not a date (YYYY-MM-DD)" in html


def test_the_chart_is_an_svg_naming_the_countries(alice, fixtures_dir):
    import_strength(fixtures_dir / "strength_template.csv")
    response = session_client(alice).get("/force/chart.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml")
    assert "Kenya" in svg and "Jamaica" in svg
    assert "authorised ceiling" in svg


def test_the_chart_says_when_there_is_nothing_to_draw(alice):
    assert "No movements recorded yet" in session_client(alice).get("/force/chart.svg").content.decode()


@pytest.mark.refused("forces:page")
def test_the_force_page_sends_anonymous_visitors_to_login(anonymous):
    response = anonymous.get("/force/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.refused("forces:page")
def test_the_force_page_hides_confidential_movements_from_partners(charlie):
    make_movement(iso2="JM", personnel=24, sensitivity=Sensitivity.CONFIDENTIAL, note="CANARY-CONFIDENTIAL")
    make_movement(iso2="KE", personnel=200, sensitivity=Sensitivity.PUBLIC, on=date(2024, 7, 1))
    html = session_client(charlie).get("/force/").content.decode()
    assert "CANARY-CONFIDENTIAL" not in html
    assert "Jamaica" not in html
    assert "Kenya" in html


@pytest.mark.refused("forces:page")
def test_the_force_page_refuses_an_account_without_a_role(roleless):
    assert session_client(roleless).get("/force/").status_code == 403


@pytest.mark.refused("forces:chart")
def test_the_chart_refuses_anonymous_and_leaves_out_what_a_partner_may_not_see(anonymous, charlie):
    make_movement(iso2="JM", personnel=24, sensitivity=Sensitivity.CONFIDENTIAL)
    assert anonymous.get("/force/chart.svg").status_code == 302
    svg = session_client(charlie).get("/force/chart.svg").content.decode()
    assert "Jamaica" not in svg
