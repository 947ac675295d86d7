"""The before/after page: the form, the inline chart, the numbers, the caveat, and bad input."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.conftest import session_client
from tests.factories import make_movement

pytestmark = pytest.mark.django_db

PAGE = "/insights/before-after/"
ASK = {"area": "XX0101", "date": "2024-03-06", "weeks": "2"}


def test_the_form_alone_offers_areas_and_arrivals(areas, alice: User):
    make_movement(on=date(2024, 6, 25), personnel=200)
    response = session_client(alice).get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<option value="XX0101">Alpha</option>' in text
    assert 'value="XX0101"' in re.search(r'<input[^>]*name="area"[^>]*>', text).group(0)  # type: ignore[union-attr]
    assert (
        f'href="{PAGE}?area=XX0101&amp;date=2024-06-25&amp;weeks=12">Kenya&#x27;s first contingent, 2024-06-25</a>'
        in text
    )
    assert "<svg" not in text


def test_the_comparison_is_drawn_inline_with_its_numbers_and_caveat(events, alice: User):
    response = session_client(alice).get(PAGE, ASK)
    assert response.status_code == 200
    text = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", text, re.DOTALL)
    assert svg is not None
    assert "style=" not in svg.group(0)  # the CSP (style-src 'self') would drop it
    assert svg.group(0).count("<polyline") == 4  # the trend before and its extension, in both panels
    assert "<img" not in text
    # Alice reads up to P2: the P3 event before is not counted, so the weeks before hold 1 and 2.
    assert "About as many events per week after as before (1.5 before, 1.5 after)" in text
    assert "What this comparison cannot prove" in text
    assert "no counterfactual" in text
    weeks = re.findall(r'<tr data-week="([\d-]+)" data-side="(\w+)">', text)
    assert weeks == [
        ("2024-02-19", "before"),
        ("2024-02-26", "before"),
        ("2024-03-04", "after"),
        ("2024-03-11", "after"),
    ]
    assert "/events/?pcode=XX0101&amp;since=2024-03-04&amp;until=2024-03-10" in text


def test_the_arrival_links_keep_the_area_and_weeks_asked_for(events, alice: User):
    make_movement(on=date(2024, 6, 25), personnel=200)
    text = session_client(alice).get(PAGE, {**ASK, "area": "XX0102"}).content.decode()
    assert f'href="{PAGE}?area=XX0102&amp;date=2024-06-25&amp;weeks=2"' in text


def test_the_change_is_said_in_words(events, admin: User):
    text = session_client(admin).get(PAGE, ASK).content.decode()
    assert (
        "25 % fewer events per week after than before (2.0 before, 1.5 after); the trend before predicted no change."
        in text
    )


@pytest.mark.refused("insights:before-after")
def test_it_refuses_outsiders_and_shows_a_partner_nothing_above_p1(events, anonymous, roleless, charlie: User):
    response = anonymous.get(PAGE, ASK)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/login/?next={PAGE}%3Farea%3DXX0101%26date%3D2024-03-06%26weeks%3D2",
    )
    assert session_client(roleless).get(PAGE, ASK).status_code == 403
    text = session_client(charlie).get(PAGE, ASK).content.decode()
    deaths = re.findall(r'<tr data-week="[\d-]+" data-side="\w+">.*?</tr>', text, re.DOTALL)
    assert [re.findall(r'<td class="num">([\d.]+)</td>', row)[2] for row in deaths] == ["2", "4", "0", "12"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"area": "XX9999"}, "area", "no administrative area has the P-code"),
        ({"area": ""}, "area", "This field is required."),
        ({"weeks": "0"}, "weeks", "greater than or equal to 1"),
        ({"weeks": "many"}, "weeks", "Enter a whole number."),
        ({"date": "25/06/2024"}, "date", "Enter a valid date."),
        ({"date": "9999-12-27"}, "date", "too close to the end of the calendar"),
        ({"event_type": "Picnics"}, "event_type", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_400_with_the_reason_beside_the_field(areas, alice: User, change, field, message):
    response = session_client(alice).get(PAGE, {**ASK, **change})
    assert response.status_code == 400
    errors = re.findall(
        r'<small class="error field-error" id="[^"]*" data-field="(\w+)">([^<]*)</small>', response.content.decode()
    )
    assert [name for name, _ in errors] == [field]
    assert message in errors[0][1]


def test_the_weeks_default_to_twelve(events, alice: User):
    response = session_client(alice).get(PAGE, {"area": "XX0101", "date": "2024-03-06"})
    assert response.status_code == 200
    assert len(re.findall(r"<tr data-week=", response.content.decode())) == 24


def test_the_navigation_offers_it_after_events(areas, alice: User):
    text = session_client(alice).get(PAGE).content.decode()
    labels = re.findall(r'<li><a href="[^"]*"(?: aria-current="page")?>([^<]+)</a></li>', text)
    assert labels[labels.index("Events") + 1] == "Before/after"
