"""``/api/insights/``: the before/after and the arrivals, to whom, and how bad input is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.conftest import token_client
from tests.factories import make_movement
from ulinzi.accounts.sensitivity import Sensitivity

pytestmark = pytest.mark.django_db

URL = "/api/insights/before-after"
ASK = {"area": "XX0101", "date": "2024-03-06", "weeks": "2"}


def test_the_weeks_totals_change_trend_and_caveat(events, admin: User):
    body = token_client(admin).get(URL, ASK).json()
    assert (body["area"], body["area_name"], body["area_level"], body["weeks"]) == ("XX0101", "Alpha", 2, 2)
    assert (body["first_day"], body["pivot_week"], body["last_day"]) == ("2024-02-19", "2024-03-04", "2024-03-17")
    assert [(row["week"], row["side"], row["events"], row["fatalities"]) for row in body["rows"]] == [
        ("2024-02-19", "before", 2, 13),
        ("2024-02-26", "before", 2, 4),
        ("2024-03-04", "after", 1, 0),
        ("2024-03-11", "after", 2, 12),
    ]
    events = body["events"]
    assert (events["before_total"], events["after_total"], events["before_per_week"], events["after_per_week"]) == (
        4, 3, 2.0, 1.5,
    )  # fmt: skip
    assert events["change_percent"] == -25.0
    assert events["trend"] == {"slope_per_week": 0.0, "predicted_per_week": 2.0, "predicted_change_percent": 0.0}
    assert events["sentence"].startswith("25 % fewer events per week after than before")
    assert any("counterfactual" in sentence for sentence in body["caveat"])
    assert body["illustrative"] is False


def test_the_filters_are_the_events_filters(events, admin: User):
    body = token_client(admin).get(URL, {**ASK, "event_type": "Riots", "verification": "reported"}).json()
    assert [row["events"] for row in body["rows"]] == [0, 1, 0, 0]
    assert (body["event_type"], body["verification"], body["actor"]) == ("Riots", "reported", None)


@pytest.mark.refused("api:insights-before-after")
def test_it_refuses_outsiders_and_counts_nothing_above_a_partner(events, anonymous, roleless, charlie: User):
    assert anonymous.get(URL, ASK).status_code == 401
    assert token_client(roleless).get(URL, ASK).status_code == 403
    body = token_client(charlie).get(URL, ASK).json()
    assert [row["fatalities"] for row in body["rows"]] == [2, 4, 0, 12]  # the P3 event's 11 deaths are not there


def test_an_unknown_area_is_a_422_naming_it(areas, admin: User):
    response = token_client(admin).get(URL, {**ASK, "area": "XX9999"})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "area"]
    assert "XX9999" in problem["msg"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "105"}, "weeks"),
        ({"date": "2024-13-01"}, "date"),
        ({"date": "9999-12-27"}, "date"),
        ({"event_type": "Picnics"}, "event_type"),
        ({"verification": "rumoured"}, "verification"),
        ({"area": "XX 01"}, "area"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(areas, admin: User, change, field):
    response = token_client(admin).get(URL, {**ASK, **change})
    assert response.status_code == 422
    assert [problem["loc"][-1] for problem in response.json()["detail"]] == [field]


def test_a_date_far_outside_the_data_gives_zeros(areas, admin: User):
    body = token_client(admin).get(URL, {**ASK, "date": "1950-06-01", "weeks": "104"}).json()
    assert len(body["rows"]) == 208
    assert body["events"]["change_percent"] is None
    assert body["events"]["sentence"] == "No events were counted in the weeks before or after."


@pytest.mark.refused("api:insights-pivots")
def test_pivots_are_the_arrivals_the_caller_may_read(db: None, anonymous, roleless, charlie: User, admin: User):
    make_movement(on=date(2024, 6, 25), personnel=200, source="https://example.org/first")
    make_movement(iso2="JM", on=date(2024, 9, 12), personnel=24, sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL)
    assert anonymous.get("/api/insights/pivots").status_code == 401
    assert token_client(roleless).get("/api/insights/pivots").status_code == 403
    assert token_client(charlie).get("/api/insights/pivots").json() == [
        {
            "label": "Kenya's first contingent",
            "iso2": "KE",
            "country": "Kenya",
            "date": "2024-06-25",
            "personnel": 200,
            "source": "https://example.org/first",
        }
    ]
    assert len(token_client(admin).get("/api/insights/pivots").json()) == 2
