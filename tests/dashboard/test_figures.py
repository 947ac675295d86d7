"""The dashboard's figures: what the panels and the monthly report count, for each reader."""

from datetime import date
from urllib.parse import parse_qs

import pytest

from tests.factories import make_movement
from tests.web.test_events_pages import make_event
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.dashboard import figures
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.incidents.models import Actor
from ulinzi.incidents.services import EventFilter

pytestmark = pytest.mark.django_db

COMMANDER = Viewer(role=Role.COMMANDER)
PARTNER = Viewer(role=Role.PARTNER)
MARCH = EventFilter(since=date(2024, 3, 1), until=date(2024, 3, 31))
ALPHA, BETA = (18.52, -72.385), (18.52, -72.33)  # inside the fixture communes Alpha and Beta


def event(**fields: object) -> None:
    dead = fields.get("fatalities", 0)
    make_event(fatalities_low=dead, fatalities_high=dead, **fields)


# (day, fatalities, commune, actor 1, event type, label): five events in March 2024, one in April.
MARCH_EVENTS = [
    (date(2024, 3, 2), 3, "XX0101", "Gang A (Haiti)", "Battles", Sensitivity.CONFIDENTIAL),
    (date(2024, 3, 5), 5, "XX0101", "Gang A (Haiti)", "Violence against civilians", Sensitivity.CONFIDENTIAL),
    (date(2024, 3, 12), 0, "XX0102", "Gang B (Haiti)", "Protests", Sensitivity.PUBLIC),
    (date(2024, 3, 20), 1, "XX0102", "Gang B (Haiti)", "Battles", Sensitivity.CONFIDENTIAL),
    (date(2024, 3, 28), 7, "XX0102", "Gang A (Haiti)", "Battles", Sensitivity.STRICTLY_CONFIDENTIAL),
    (date(2024, 4, 2), 9, "XX0101", "Gang A (Haiti)", "Battles", Sensitivity.CONFIDENTIAL),
]
SUB_TYPE = {"Battles": "Armed clash", "Violence against civilians": "Attack", "Protests": "Peaceful protest"}
POINTS = {"XX0101": ALPHA, "XX0102": BETA}


@pytest.fixture
def march(fixtures_dir) -> None:
    """The events of MARCH_EVENTS across two communes and three labels; the first has the police
    as its second actor."""
    import_boundaries(fixtures_dir / "three_areas.geojson")
    police = Actor.objects.get_or_create(name="Police (Haiti)")[0]
    for n, (day, dead, commune, actor, kind, label) in enumerate(MARCH_EVENTS):
        lat, lon = POINTS[commune]
        event(
            event_date=day,
            fatalities=dead,
            adm2_pcode=commune,
            latitude=lat,
            longitude=lon,
            actor1=Actor.objects.get_or_create(name=actor)[0],
            actor2=police if n == 0 else None,
            event_type=kind,
            sub_event_type=SUB_TYPE[kind],
            sensitivity=int(label),
        )


def test_key_figures_total_and_rank_the_window(march):
    found = figures.key_figures(COMMANDER, MARCH)
    assert (found.events, found.fatalities) == (5, 16)
    assert [(t.key, t.events, t.fatalities) for t in found.by_type] == [
        ("Battles", 3, 11),
        ("Violence against civilians", 1, 5),
        ("Protests", 1, 0),
    ]
    assert [(t.key, t.label, t.events, t.fatalities) for t in found.communes] == [
        ("XX0102", "Bêta", 3, 8),
        ("XX0101", "Alpha", 2, 8),
    ]
    assert [(t.key, t.events) for t in found.actors] == [
        ("Gang A (Haiti)", 3),
        ("Gang B (Haiti)", 2),
        ("Police (Haiti)", 1),
    ]


def test_every_tally_links_to_the_records_it_counts(march):
    found = figures.key_figures(COMMANDER, MARCH)
    assert parse_qs(found.records) == {"since": ["2024-03-01"], "until": ["2024-03-31"]}
    battles = found.by_type[0]
    assert parse_qs(battles.records) == {"since": ["2024-03-01"], "until": ["2024-03-31"], "event_type": ["Battles"]}
    assert parse_qs(found.communes[0].records)["pcode"] == ["XX0102"]
    assert parse_qs(found.actors[2].records)["actor"] == ["Police (Haiti)"]


def test_filters_narrow_every_figure(march):
    found = figures.key_figures(COMMANDER, EventFilter(since=MARCH.since, until=MARCH.until, pcode="XX0101"))
    assert (found.events, found.fatalities) == (2, 8)
    assert [t.key for t in found.communes] == ["XX0101"]
    assert "pcode=XX0101" in found.by_type[0].records


def test_a_partner_counts_only_what_a_partner_may_see(march):
    found = figures.key_figures(PARTNER, MARCH)
    # The P3 event on 28 March is not there; the P2 ones are, masked, in their communes.
    assert (found.events, found.fatalities) == (4, 9)
    assert [(t.key, t.events, t.fatalities) for t in found.communes] == [("XX0101", 2, 8), ("XX0102", 2, 1)]


def test_the_trend_fills_empty_weeks_marks_the_window_and_the_arrivals(march):
    make_movement(on=date(2024, 3, 14), personnel=400)
    make_movement(on=date(2023, 6, 1), personnel=50)  # before the chart: not marked
    found = figures.trend(COMMANDER, MARCH, today=date(2026, 1, 1))
    assert found.weeks[0].start == date(2023, 9, 25)  # 26 weeks before 31 March 2024, from its Monday
    assert found.weeks[-1].start == date(2024, 3, 25)
    assert all(week.start.weekday() == 0 for week in found.weeks)
    by_week = {week.start: (week.events, week.fatalities, week.in_window) for week in found.weeks}
    assert by_week[date(2024, 2, 26)] == (1, 3, True)  # 2 March: its week began in February
    assert by_week[date(2024, 3, 4)] == (1, 5, True)
    assert by_week[date(2024, 3, 25)] == (1, 7, True)
    assert by_week[date(2024, 2, 19)] == (0, 0, False)
    assert [(a.on, a.country, a.personnel) for a in found.arrivals] == [(date(2024, 3, 14), "KE", 400)]


def test_strength_compares_deployed_with_pledged_on_the_window_end(march):
    make_movement(on=date(2024, 6, 25), personnel=400)
    assert figures.strength(COMMANDER, date(2024, 6, 1)).total == 0
    assert figures.strength(COMMANDER, date(2024, 7, 1)).total == 400
