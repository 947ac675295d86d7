"""Day totals stay equal to a GROUP BY over the events, whatever writes them, and statistics read
from them agree with statistics counted from the events."""

import datetime as dt
from collections import Counter

import pytest

from ulinzi.accounts.access import labels_by_owner_rule
from ulinzi.accounts.models import Organisation, OrganisationKind
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents import services
from ulinzi.incidents.corrections import split_report
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import Event, EventDayTotal, EventReport

pytestmark = pytest.mark.django_db


def from_events() -> dict[tuple[object, ...], tuple[int, int]]:
    counts: Counter[tuple[object, ...]] = Counter()
    deaths: Counter[tuple[object, ...]] = Counter()
    for event in Event.objects.all():
        key = (event.event_date, event.adm1_pcode, event.adm2_pcode, event.event_type, event.sensitivity)
        counts[key] += 1
        deaths[key] += event.fatalities
    return {key: (counts[key], deaths[key]) for key in counts}


def from_totals() -> dict[tuple[object, ...], tuple[int, int]]:
    return {
        (t.day, t.adm1_pcode, t.adm2_pcode, t.event_type, t.sensitivity): (t.events, t.fatalities)
        for t in EventDayTotal.objects.filter(events__gt=0)
    }


def test_totals_follow_imports_updates_deletes_and_splits(areas, fixtures_dir, tmp_path):
    import_acled(fixtures_dir / "acled_sample.csv")
    assert from_totals() == from_events() != {}
    Event.objects.filter(natural_key="acled:TST0001").update(
        fatalities=9, fatalities_low=9, fatalities_high=9, sensitivity=0
    )
    Event.objects.filter(natural_key="acled:TST0002").update(event_date=dt.date(2024, 3, 6), event_type="Riots")
    Event.objects.filter(natural_key="acled:TST0003").delete()
    assert from_totals() == from_events()
    actors = tmp_path / "actors.csv"
    actors.write_text("name,kind,aliases\nGang A (Haiti),gang,Gang A\n")
    import_actors(actors)
    outcome = import_ucdp(fixtures_dir / "ucdp_sample.csv")
    assert outcome.merged == 1
    assert from_totals() == from_events()
    split_report(EventReport.objects.get(), None)
    assert from_totals() == from_events()


def test_a_rejected_import_leaves_the_totals_and_their_triggers(areas, fixtures_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text((fixtures_dir / "acled_sample.csv").read_text().replace("Grenade", "Confetti"))
    with pytest.raises(ImportRejected):
        import_acled(bad)
    assert from_totals() == {}
    import_acled(fixtures_dir / "acled_sample.csv")
    lone = Event.objects.get(natural_key="acled:TST0004")
    lone.pk = None
    lone.natural_key = "manual:1"
    lone.save()
    assert from_totals() == from_events()


@pytest.mark.parametrize(
    ("wanted", "by"),
    [
        (services.EventFilter(), None),
        (services.EventFilter(), "adm2"),
        (services.EventFilter(since=dt.date(2024, 3, 3)), "adm1"),
        (services.EventFilter(event_type="Battles"), "adm2"),
        (services.EventFilter(pcode="XX0102"), None),
        (services.EventFilter(pcode="XX01"), "adm2"),
    ],
)
@pytest.mark.parametrize("period", ["day", "week", "month", "all"])
def test_statistics_from_totals_equal_those_counted_from_events(areas, fixtures_dir, wanted, by, period):
    import_acled(fixtures_dir / "acled_sample.csv")
    Event.objects.filter(natural_key="acled:TST0005").update(sensitivity=3)
    assert services._totals_answer(wanted, by) is (wanted.pcode != "XX01")  # XX01 is no loaded area here
    for clearance in (Sensitivity.INTERNAL, Sensitivity.CRITICAL):
        quick = services.stats(Viewer.operator(clearance), wanted, period, by)
        # the h3 grouping is never in the totals, so it forces the events path; regroup it here
        slow = services.stats(Viewer.operator(clearance), wanted, period, "h3")
        assert sum(row.events for row in quick) == sum(row.events for row in slow)
        assert sum(row.fatalities for row in quick) == sum(row.fatalities for row in slow)
        periods: Counter[dt.date | None] = Counter()
        for row in slow:
            periods[row.period] += row.events
        regrouped: Counter[dt.date | None] = Counter()
        for row in quick:
            regrouped[row.period] += row.events
        assert regrouped == periods


@pytest.mark.parametrize("by", [None, "adm1", "adm2"])
@pytest.mark.parametrize("period", ["week", "month", "all"])
def test_need_to_know_events_are_added_to_the_totals_of_everything_else(areas, fixtures_dir, by, period):
    """A commander reads P3 events of their own contingent and unowned ones only: the day totals
    answer for P0-P2, those P3 events are counted one by one and added, and nothing else is."""
    for code in ("KEN", "JAM"):
        Organisation.objects.create(code=code, name=code, kind=OrganisationKind.CONTINGENT)
    import_acled(fixtures_dir / "acled_sample.csv")
    owners = {"TST0001": "KEN", "TST0002": "JAM", "TST0005": None}
    for key, owner in owners.items():
        Event.objects.filter(natural_key=f"acled:{key}").update(sensitivity=3, owner_id=owner)
    commander = Viewer(role=Role.COMMANDER, organisation="KEN")
    assert labels_by_owner_rule(commander, RecordType.EVENT) == ([0, 1, 2], [3])
    quick = services.stats(commander, services.EventFilter(), period, by)
    readable = services.events(commander, services.EventFilter())
    assert not readable.filter(natural_key="acled:TST0002").exists()  # another contingent's P3 event
    expected: Counter[tuple[object, ...]] = Counter()
    dead: Counter[tuple[object, ...]] = Counter()
    for event in readable:
        start = {"week": event.event_date - dt.timedelta(days=event.event_date.weekday()),
                 "month": event.event_date.replace(day=1), "all": None}[period]  # fmt: skip
        group = (start, getattr(event, f"{by}_pcode") if by else "")
        expected[group] += 1
        dead[group] += event.fatalities
    assert {(row.period, row.group): (row.events, row.fatalities) for row in quick} == {
        group: (expected[group], dead[group]) for group in expected
    }
    assert [(row.period or dt.date.min, row.group) for row in quick] == sorted(
        (row.period or dt.date.min, row.group) for row in quick
    )
