"""What a report says, for each reader: the key figures with their notes, claims beside the store,
and nothing a partner may not read."""

from dataclasses import asdict, replace

import pytest

from tests.reports.conftest import ANALYST, COMMANDER, MARCH, P2_NOTE, P2_PLACE, P3_NOTE, P3_SOURCE, PARTNER, TODAY
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.incidents.models import Event
from ulinzi.incidents.services import EventFilter
from ulinzi.reports import content, map_layers, render
from ulinzi.reports.period import Month

pytestmark = pytest.mark.django_db

WANTED = EventFilter(since=MARCH.first, until=MARCH.last)


def test_the_key_figures_are_the_dashboards_and_each_has_a_note(recorded):
    report = content.build(COMMANDER, MARCH, None, TODAY)
    key = report.key_figures
    assert (key.events.value, key.fatalities.value) == (4, 12)
    assert [(row.label, row.events, row.fatalities) for row in key.by_type] == [
        ("Battles", 2, 10),
        ("Violence against civilians", 1, 2),
        ("Protests", 1, 0),
    ]
    assert [row.label for row in key.communes] == ["Bêta", "Alpha"]  # as many events, more deaths
    numbers = {note.number for note in report.annex}
    cited: list[content.Figure | content.Row] = [key.events, key.fatalities, *key.by_type, *key.communes, *key.actors]
    assert all(figure.note in numbers for figure in cited)
    battles = next(note for note in report.annex if note.number == key.by_type[0].note)
    assert battles.records == 2
    assert {citation.reference for citation in battles.citations} == {"https://example.org/p2", P3_SOURCE}
    assert all(row.note in numbers for row in key.claims)


def test_a_figure_behind_many_sources_names_the_most_cited_and_counts_the_rest(recorded):
    for n in range(7):
        recorded.public.sources.create(reference=f"https://example.org/extra-{n}")
    note = content.build(COMMANDER, MARCH, None, TODAY).annex[0]
    assert len(note.citations) == 5 and note.other_sources == 6  # eleven sources in all
    assert note.datasets == ("entered by hand (4 events)",)


def test_a_claim_is_shown_beside_the_store_and_said_to_differ(recorded):
    row = content.build(ANALYST, MARCH, "XX0101", TODAY).key_figures.claims[0]
    assert row.statement == "over 50 killed in Alpha in 2024-03"
    assert row.store == "3 fatalities over 2 events"
    assert row.differs and row.verdict == "differ; the store holds 6% of the claim"
    assert row.store_note is not None


def test_a_claim_the_store_agrees_with_is_said_to_agree(recorded):
    recorded.claim.value, recorded.claim.qualifier = 2, "gte"
    recorded.claim.save()
    row = content.build(ANALYST, MARCH, None, TODAY).key_figures.claims[0]
    assert (row.verdict, row.differs) == ("agree", False)


def test_claims_outside_the_month_or_the_area_are_left_out(recorded):
    assert content.build(ANALYST, Month(2024, 4), None, TODAY).key_figures.claims == ()
    assert content.build(ANALYST, MARCH, "XX0102", TODAY).key_figures.claims == ()


def test_a_partners_report_holds_nothing_above_p1_nor_a_masked_events_details(recorded):
    report = content.build(PARTNER, MARCH, None, TODAY)
    assert (report.key_figures.events.value, report.key_figures.fatalities.value) == (3, 5)  # no P3 event
    assert report.key_figures.masked == 1
    assert report.cover.highest is Sensitivity.INTERNAL
    assert report.cover.audience.line == "Contains only what a partner may see"
    shown = repr(asdict(report.key_figures)) + repr(asdict(report.notable)) + repr(report.annex)
    text = render.html(report)
    for secret in (P2_NOTE, P3_NOTE, P2_PLACE, P3_SOURCE, "XX010101"):
        assert secret not in shown and secret not in text
    notable = {event.day.isoformat(): event for event in report.notable.events}
    assert set(notable) == {"2024-03-02", "2024-03-12"}
    assert notable["2024-03-12"].masked and notable["2024-03-12"].notes == ""
    assert notable["2024-03-12"].place == "Alpha, XX0101"
    assert notable["2024-03-02"].notes == "A public note"


def test_a_partners_map_shows_a_masked_event_at_its_displaced_point_only(recorded):
    where = map_layers.frame(PARTNER, WANTED, None)
    assert where is not None
    layer = map_layers.events_layer(PARTNER, WANTED, where, "Events")
    stored = Event.objects.get(pk=recorded.confidential.pk)
    masked = [(p.lon, p.lat) for p in layer.map.points if p.masked]
    assert masked == [(stored.masked_longitude, stored.masked_latitude)]
    assert (stored.longitude, stored.latitude) not in [(p.lon, p.lat) for p in layer.map.points]
    assert len(layer.map.points) == 3 and layer.masked == 1


def test_an_analyst_sees_the_p2_event_in_full_and_a_commander_the_p3_one(recorded):
    analyst = content.build(ANALYST, MARCH, None, TODAY)
    assert analyst.cover.highest is Sensitivity.CONFIDENTIAL
    assert P2_NOTE in [event.notes for event in analyst.notable.events]
    assert P3_NOTE not in render.html(analyst)
    commander = content.build(COMMANDER, MARCH, None, TODAY)
    assert commander.cover.highest is Sensitivity.STRICTLY_CONFIDENTIAL
    assert commander.notable.events[0].notes == P3_NOTE  # most fatalities first


def test_an_operator_limited_to_p1_gets_the_partners_view_and_the_cover_says_which(recorded):
    operator = content.build(Viewer.operator(Sensitivity.INTERNAL), MARCH, None, TODAY)
    assert operator.cover.audience.line == "Contains only what a reader cleared to P1 (internal) may see"
    assert operator.key_figures.events.value == 3 and operator.key_figures.masked == 1
    assert (
        content.build(Viewer.operator(), MARCH, None, TODAY).cover.audience.line
        == "Contains only what an administrator may see"
    )


def test_the_force_section_counts_strength_and_lists_the_months_movements(recorded):
    force = content.build(ANALYST, MARCH, None, TODAY).force
    assert force.total == 400 and force.countries[0].name == "Kenya"
    assert [(m.country, m.personnel, m.reports) for m in force.movements] == [("Kenya", 400, 1)]


def test_without_roads_the_access_summary_says_so(recorded):
    assert not content.build(ANALYST, MARCH, None, TODAY).access.loaded


def test_an_unknown_or_sectional_area_is_refused(recorded):
    with pytest.raises(content.UnknownArea, match="no department or commune has the P-code 'XX9999'"):
        content.build(ANALYST, MARCH, "XX9999", TODAY)


def test_a_month_without_events_still_makes_a_report(recorded):
    report = content.build(ANALYST, Month(2023, 1), None, TODAY)
    assert report.key_figures.events.value == 0 and report.notable.events == ()
    assert report.maps.events is not None  # the country's frame, empty
    assert replace(report.cover, generated_at=report.cover.generated_at).title == "Situation report"


def test_a_partners_map_is_framed_on_the_displaced_point_not_the_true_one(recorded):
    only_the_masked_event = EventFilter(since=recorded.confidential.event_date, until=recorded.confidential.event_date)
    where = map_layers.frame(PARTNER, only_the_masked_event, None)
    stored = Event.objects.get(pk=recorded.confidential.pk)
    assert where is not None
    middle = ((where.box.west + where.box.east) / 2, (where.box.south + where.box.north) / 2)
    assert middle == pytest.approx((stored.masked_longitude, stored.masked_latitude))
    assert middle != pytest.approx((stored.longitude, stored.latitude))
