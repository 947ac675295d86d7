"""The ledger's rules on plain values: which figures conflict, agree or cannot be compared, and
the event check's sentence."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from ulinzi.claims import ledger as ledger_module
from ulinzi.claims.ledger import (
    CAVEAT,
    Figure,
    InvalidFigure,
    Period,
    Relation,
    When,
    compare,
    compare_with_events,
    ledger,
)

SINCE_FEBRUARY = Period(When.parse("2024-02"), When.parse("2025-01-26"))
JUNE = Period(When.parse("2024-06"), When.parse("2024-06"))
ON_25_JUNE = Period(When.parse("2024-06-25"), When.parse("2024-06-25"))


def figure(value: float, qualifier: str | None = None, period: Period = SINCE_FEBRUARY, **fields: object) -> Figure:
    defaults: dict[str, object] = {"metric": "killed", "area": "HT01", "area_name": "Ouest", "id": int(value)}
    return Figure(value=value, qualifier=qualifier, period=period, **(defaults | fields))  # type: ignore[arg-type]


def relation(a: Figure, b: Figure) -> tuple[Relation, str]:
    pair = compare(a, b)
    return pair.relation, pair.reason


def test_two_plain_figures_for_the_same_month_conflict():
    first = figure(400, None, JUNE, metric="personnel_deployed")
    second = figure(200, None, ON_25_JUNE, metric="personnel_deployed")
    assert relation(first, second) == (Relation.CONFLICT, "400 and 200 cannot both be true")


def test_over_5000_and_about_3000_conflict():
    assert relation(figure(5000, "gt"), figure(3000, "approx")) == (
        Relation.CONFLICT,
        "over 5,000 and about 3,000 cannot both be true",
    )


def test_over_5000_and_5600_agree():
    assert relation(figure(5000, "gt"), figure(5600)) == (Relation.AGREE, "over 5,000 and 5,600 can both be true")


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (figure(5000, "gt"), figure(5000), Relation.CONFLICT),  # "over" excludes the figure itself
        (figure(5000, "gte"), figure(5000), Relation.AGREE),
        (figure(5000, "approx"), figure(5500), Relation.AGREE),  # within ten per cent
        (figure(5000, "approx"), figure(5501), Relation.CONFLICT),
        (figure(2000, "lt"), figure(2000, "gte"), Relation.CONFLICT),
        (figure(2000, "lte"), figure(2000, "gte"), Relation.AGREE),
        (figure(300, "lt"), figure(250, "gt"), Relation.AGREE),
        (figure(200), figure(200), Relation.AGREE),
    ],
)
def test_qualifiers_bound_the_figures(first, second, expected):
    assert compare(first, second).relation is expected


def test_an_increment_is_never_compared_with_a_total():
    total = figure(400, None, JUNE, metric="personnel_deployed")
    more = figure(200, "increment", ON_25_JUNE, metric="personnel_deployed")
    assert relation(total, more) == (Relation.NOT_COMPARED, "an increment is a change, not a total")


def test_two_increments_for_the_same_day_are_compared():
    first = figure(200, "increment", ON_25_JUNE, metric="personnel_deployed")
    second = figure(217, "increment", ON_25_JUNE, metric="personnel_deployed")
    assert compare(first, second).relation is Relation.CONFLICT


def test_a_part_cannot_exceed_its_whole():
    march = Period(When.parse("2024-03"), When.parse("2024-03"))
    assert relation(figure(1000, "lt"), figure(1500, "gt", march)) == (
        Relation.CONFLICT,
        "over 1,500 in 2024-03 cannot exceed under 1,000 from 2024-02 to 2025-01-26",
    )
    assert relation(figure(5000, "gt"), figure(1500, "approx", march)) == (
        Relation.CONSISTENT,
        "about 1,500 in 2024-03 fits within over 5,000 from 2024-02 to 2025-01-26",
    )


def test_periods_overlapping_in_part_are_not_compared():
    year = Period(When.parse("2024"), When.parse("2024"))
    assert relation(figure(5000, "gt"), figure(5600, None, year)) == (
        Relation.NOT_COMPARED,
        "the periods overlap only in part",
    )


def test_a_level_on_different_days_is_not_compared():
    january = Period(When.parse("2025-01-26"), When.parse("2025-01-26"))
    march = Period(When.parse("2025-03-01"), When.parse("2025-03-31"))
    share = {"metric": "territory_controlled_pct", "unit": "percent"}
    assert relation(figure(80, None, january, **share), figure(85, None, march, **share))[0] is Relation.NOT_COMPARED


def test_different_units_are_not_compared():
    share = figure(80, None, unit="percent", metric="territory_controlled_pct")
    count = figure(80, None, metric="territory_controlled_pct")
    assert relation(share, count) == (Relation.NOT_COMPARED, "different units (percent and none)")


def test_the_ledger_groups_by_metric_area_and_overlapping_period():
    figures = [
        figure(5000, "gt", id=1),
        figure(3000, "approx", id=2),
        figure(5600, id=3),
        figure(10, period=Period(When.parse("2023-01"), When.parse("2023-01")), id=4),  # no overlap
        figure(7000, area="HT02", area_name="Sud-Est", id=5),  # another area
        figure(2000, "gt", metric="sexual_violence_victims", id=6),  # another metric
    ]
    groups = ledger(figures)
    assert [(g.metric, g.area, [f.id for f in g.figures]) for g in groups] == [
        ("killed", "HT01", [4]),
        ("killed", "HT01", [2, 1, 3]),
        ("killed", "HT02", [5]),
        ("sexual_violence_victims", "HT01", [6]),
    ]
    pairs = {(p.first.id, p.second.id): p.relation for p in groups[1].pairs}
    assert pairs == {(2, 1): Relation.CONFLICT, (2, 3): Relation.CONFLICT, (1, 3): Relation.AGREE}
    assert len(groups[1].conflicts) == 2
    assert (groups[1].first, groups[1].last) == (date(2024, 2, 1), date(2025, 1, 26))


def test_claims_without_a_p_code_group_by_the_name_written():
    groups = ledger([figure(400, area="", area_name="Haiti", id=1), figure(200, area="", area_name="haiti", id=2)])
    assert [[f.id for f in g.figures] for g in groups] == [[2, 1]]


def test_the_event_check_sums_fatalities():
    claim = figure(5000, "gt", area_name="Port-au-Prince")
    checked = compare_with_events(claim, 1234, 56)
    assert checked.sentence == (
        "Sources say over 5,000 killed in Port-au-Prince from 2024-02 to 2025-01-26; events on record sum to "
        "1,234 fatalities over 56 events for that period and area (25% of the claim)."
    )
    assert (checked.measured, checked.event_total, checked.event_count, checked.share) == (True, 1234, 56, 25)
    assert checked.caveat == CAVEAT


def test_the_event_check_counts_abductions_for_kidnappings():
    claim = figure(
        1000, "gt", Period(When.parse("2024"), When.parse("2024")), metric="kidnapped", area="", area_name=""
    )
    checked = compare_with_events(claim, 37, 37)
    assert checked.sentence == (
        "Sources say over 1,000 kidnapped in 2024; events on record count 37 events of type "
        "Abduction/forced disappearance for that period (4% of the claim)."
    )
    assert "many victims" in checked.caveat


def test_a_metric_the_events_do_not_measure_says_so():
    claim = figure(80, None, ON_25_JUNE, metric="territory_controlled_pct", unit="percent", area_name="the capital")
    checked = compare_with_events(claim, 0, 0)
    assert not checked.measured
    assert checked.sentence == (
        "Sources say 80 per cent of the territory under gang control in the capital on 2024-06-25; "
        "the incident store records nothing that measures of the territory under gang control."
    )


def test_a_claim_of_zero_has_no_share():
    assert compare_with_events(figure(0), 3, 2).share is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024", (date(2024, 1, 1), date(2024, 12, 31))), ("2024-02", (date(2024, 2, 1), date(2024, 2, 29)))],
)
def test_a_date_covers_its_whole_unit(text, expected):
    when = When.parse(text)
    assert (when.first, when.last, str(when)) == (*expected, text)


@pytest.mark.parametrize("text", ["2024-13", "24-02-01", "2024/02", "", "2024-02-30", "２０２４"])
def test_a_bad_date_names_its_field(text):
    with pytest.raises(InvalidFigure) as refused:
        When.parse(text, "from")
    assert refused.value.field == "from"


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"metric": "deaths"}, "metric"), ({"qualifier": "roughly"}, "qualifier"), ({"value": -1}, "value")],
)
def test_a_figure_no_claim_can_hold_is_refused(fields, field):
    with pytest.raises(InvalidFigure) as refused:
        Figure(**({"id": 1, "metric": "killed", "value": 1.0, "qualifier": None, "period": JUNE} | fields))
    assert refused.value.field == field


def test_a_period_must_not_end_before_it_starts():
    with pytest.raises(InvalidFigure, match="period: it starts"):
        Period(When.parse("2025-01"), When.parse("2024-12"))


def test_the_module_examples_hold():
    result = doctest.testmod(ledger_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
