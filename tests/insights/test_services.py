"""The before/after on the store: weekly counts through the release rules, and the arrivals offered."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.claims.factories import make_event
from tests.factories import make_movement
from tests.insights.conftest import PIVOT
from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.models import MovementKind
from ulinzi.geo.models import AdminArea
from ulinzi.incidents.models import Event
from ulinzi.insights import services

pytestmark = pytest.mark.django_db


def add_area(pcode: str, level: int, name: str, parent: str = "") -> AdminArea:
    """An area made of a square round the Alpha market, where the factory's events happen."""
    west, south, east, north = -72.4, 18.5, -72.37, 18.54
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    shape = json.dumps({"type": "Polygon", "coordinates": [ring]})
    return AdminArea.objects.create(
        pcode=pcode, level=level, parent_pcode=parent, name_fr=name, geometry=shape, display_geometry=shape,
        min_lon=west, min_lat=south, max_lon=east, max_lat=north, area_km2=10.0,
    )  # fmt: skip


def weekly(found: services.AreaBeforeAfter) -> list[tuple[int, int]]:
    return [(row.events, row.fatalities) for row in found.result.rows]


def test_events_and_deaths_are_counted_per_week_in_the_area(events):
    found = services.before_after(Viewer.operator(), "XX0101", PIVOT, 2)
    assert (found.pcode, found.area_name, found.area_level) == ("XX0101", "Alpha", 2)
    assert [row.start for row in found.result.rows] == [
        date(2024, 2, 19), date(2024, 2, 26), date(2024, 3, 4), date(2024, 3, 11),
    ]  # fmt: skip
    assert weekly(found) == [(2, 13), (2, 4), (1, 0), (2, 12)]
    assert (found.result.events.before_total, found.result.events.after_total) == (4, 3)
    assert found.caveat[-1] == services.VISIBILITY


def test_a_partner_counts_masked_confidential_events_and_nothing_above(events, charlie: User):
    """The P2 event (7 deaths, after) counts, masked, in its commune; the P3 one (11, before) does not."""
    found = services.before_after(viewer_of(charlie), "XX0101", PIVOT, 2)
    assert weekly(found) == [(1, 2), (2, 4), (1, 0), (2, 12)]
    assert found.result.fatalities.before_total == 6


def test_an_analyst_does_not_count_what_is_above_their_clearance(events, alice: User):
    assert weekly(services.before_after(viewer_of(alice), "XX0101", PIVOT, 2)) == [(1, 2), (2, 4), (1, 0), (2, 12)]


def test_the_filters_narrow_the_counts(events):
    battles = services.before_after(Viewer.operator(), "XX0101", PIVOT, 2, services.EventExtras(event_type="Battles"))
    assert weekly(battles) == [(2, 13), (1, 1), (1, 0), (2, 12)]
    nobody = services.before_after(Viewer.operator(), "XX0101", PIVOT, 2, services.EventExtras(actor="Nobody"))
    assert weekly(nobody) == [(0, 0)] * 4
    verified = services.before_after(
        Viewer.operator(), "XX0101", PIVOT, 2, services.EventExtras(verification="verified")
    )
    assert verified.result.events.change_percent is None


def test_the_department_counts_its_communes(events):
    add_area("XX01", 1, "Département X")
    assert weekly(services.before_after(Viewer.operator(), "XX01", PIVOT, 2)) == [(2, 13), (2, 4), (2, 100), (2, 12)]


def test_a_partner_does_not_count_a_masked_event_in_a_section(areas, charlie: User, alice: User):
    """A masked event shows its department and commune, never its section, so it cannot count there."""
    add_area("XX010101", 3, "Alpha première", parent="XX0101")
    make_event(event_date=date(2024, 3, 5), adm3_pcode="XX010101", sensitivity=int(Sensitivity.CONFIDENTIAL))
    make_event(event_date=date(2024, 3, 5), adm3_pcode="XX010101", sensitivity=int(Sensitivity.INTERNAL))
    assert services.before_after(viewer_of(alice), "XX010101", PIVOT, 2).result.events.after_total == 2
    assert services.before_after(viewer_of(charlie), "XX010101", PIVOT, 2).result.events.after_total == 1


def test_a_date_far_from_the_data_gives_zeros(events):
    found = services.before_after(Viewer.operator(), "XX0101", date(1990, 1, 1), 104)
    assert len(found.result.rows) == 208
    assert found.result.events.before_total == found.result.events.after_total == 0


@pytest.mark.parametrize(
    ("area", "pivot", "weeks", "field"),
    [
        ("XX9999", PIVOT, 2, "area"),
        ("  ", PIVOT, 2, "area"),
        ("XX0101", PIVOT, 0, "weeks"),
        ("XX0101", PIVOT, 105, "weeks"),
        ("XX0101", date(9999, 12, 1), 12, "date"),
    ],
)
def test_a_bad_request_names_the_field(areas, area, pivot, weeks, field):
    with pytest.raises(services.BadRequest) as refused:
        services.before_after(Viewer.operator(), area, pivot, weeks)
    assert refused.value.field == field


def test_made_up_demo_events_are_flagged(areas):
    make_event(event_date=date(2024, 3, 5), tags="illustrative")
    assert services.before_after(Viewer.operator(), "XX0101", PIVOT, 2).illustrative
    Event.objects.update(tags="")
    assert not services.before_after(Viewer.operator(), "XX0101", PIVOT, 2).illustrative


def test_arrivals_are_offered_by_rank_as_the_viewer_sees_them(db: None, charlie: User):
    make_movement(on=date(2024, 7, 16), personnel=200, source="https://example.org/second")
    make_movement(on=date(2024, 6, 25), personnel=200, source="https://example.org/first")
    make_movement(iso2="JM", on=date(2024, 9, 12), personnel=24, sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL)
    make_movement(on=date(2025, 2, 6), personnel=144, kind=MovementKind.DEPARTURE)
    everything = services.pivot_suggestions(Viewer.operator())
    assert [(p.label, p.on, p.personnel) for p in everything] == [
        ("Kenya's first contingent", date(2024, 6, 25), 200),
        ("Kenya's second contingent", date(2024, 7, 16), 200),
        ("Jamaica's first contingent", date(2024, 9, 12), 24),
    ]
    assert (everything[0].iso2, everything[0].country, everything[0].source) == (
        "KE", "Kenya", "https://example.org/first",
    )  # fmt: skip
    partner = services.pivot_suggestions(viewer_of(charlie))
    assert [p.label for p in partner] == ["Kenya's first contingent", "Kenya's second contingent"]


def test_ranks_past_the_tenth_are_numbers():
    assert [services._ordinal(rank) for rank in (0, 9, 10, 11, 12, 20, 21)] == [
        "first", "tenth", "11th", "12th", "13th", "21st", "22nd",
    ]  # fmt: skip


def test_the_page_proposes_port_au_prince_else_the_first_commune(areas):
    assert services.default_area() == "XX0101"
    choices = services.area_choices()
    assert [(c.pcode, c.name, c.level) for c in choices][:2] == [("XX0101", "Alpha", 2), ("XX0102", "Bêta", 2)]
