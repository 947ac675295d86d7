import pytest

from tests.conftest import session_client, token_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import Event, EventReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")
    import_acled(fixtures_dir / "acled_sample.csv")  # P2 by default
    Event.objects.filter(natural_key="acled:TST0004").update(sensitivity=int(Sensitivity.PUBLIC))


def test_the_list_filters_and_paginates(alice, events):
    client = token_client(alice)
    everything = client.get("/api/events").json()
    assert everything["count"] == 5
    assert everything["items"][0]["event_date"] == "2024-06-01"
    in_alpha = client.get("/api/events", {"pcode": "XX0101"}).json()
    assert sorted(e["id"] for e in in_alpha["items"]) == sorted(
        Event.objects.filter(adm2_pcode="XX0101").values_list("pk", flat=True)
    )
    deadly = client.get("/api/events", {"min_fatalities": "3", "since": "2024-03-01", "until": "2024-03-31"}).json()
    assert [e["fatalities"] for e in deadly["items"]] == [5, 3]
    boxed = client.get("/api/events", {"bbox": "-72.40,18.50,-72.36,18.54"}).json()
    assert boxed["count"] == 2
    assert client.get("/api/events", {"bbox": "1,2,3"}).status_code == 422
    assert client.get("/api/events", {"actor": "Gang A (Haiti)"}).json()["count"] == 2


def test_stats_count_events_and_fatalities_per_month_and_commune(alice, events):
    rows = token_client(alice).get("/api/events/stats", {"period": "month", "by": "adm2"}).json()
    march = [r for r in rows if r["period"] == "2024-03-01"]
    assert sorted((r["group"], r["events"], r["fatalities"]) for r in march) == [("XX0101", 1, 3), ("XX0102", 1, 5)]
    assert sum(r["fatalities"] for r in rows) == 10
    assert token_client(alice).get("/api/events/stats", {"period": "year"}).status_code == 422


def test_one_event_in_detail(alice, events):
    event = Event.objects.get(natural_key="acled:TST0001")
    body = token_client(alice).get(f"/api/events/{event.pk}").json()
    assert (body["actor1"], body["fatalities"], body["sensitivity"]) == ("Gang A (Haiti)", 3, "P2")


@pytest.mark.refused("api:events-list")
def test_partners_see_confidential_events_only_masked_in_the_list(anonymous, charlie, events):
    Event.objects.filter(natural_key="acled:TST0002").update(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    assert anonymous.get("/api/events").status_code == 401
    body = token_client(charlie).get("/api/events").json()
    shown = sorted((e["sensitivity"], e["masked"], e["notes"] == "") for e in body["items"])
    assert shown == [("P0", False, False), *[("P2", True, True)] * 3]  # the P3 event not at all


@pytest.mark.refused("api:events-stats")
def test_partner_statistics_count_only_what_they_may_see(anonymous, charlie, events):
    Event.objects.filter(natural_key="acled:TST0002").update(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    assert anonymous.get("/api/events/stats").status_code == 401
    rows = token_client(charlie).get("/api/events/stats").json()
    assert sum(r["events"] for r in rows) == 4


@pytest.mark.refused("api:events-detail")
def test_a_hidden_event_is_a_404_like_a_missing_one(anonymous, charlie, events):
    Event.objects.filter(natural_key="acled:TST0001").update(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    hidden = Event.objects.get(natural_key="acled:TST0001")
    assert anonymous.get(f"/api/events/{hidden.pk}").status_code == 401
    partner = token_client(charlie)
    assert partner.get(f"/api/events/{hidden.pk}").status_code == 404
    assert partner.get("/api/events/999999").status_code == 404
    assert partner.get(f"/api/events/{hidden.pk}").content == partner.get("/api/events/999999").content


@pytest.fixture
def merged(events, fixtures_dir, tmp_path) -> EventReport:
    actors = tmp_path / "actors.csv"
    actors.write_text("name,kind,aliases\nGang A (Haiti),gang,Gang A\n")
    import_actors(actors)
    import_ucdp(fixtures_dir / "ucdp_sample.csv")
    return EventReport.objects.get()


@pytest.mark.refused("api:events-reports")
def test_an_events_merged_reports_are_listed_for_those_who_may_read_it(alice, anonymous, charlie, merged):
    url = f"/api/events/{merged.event_id}/reports"
    [row] = token_client(alice).get(url).json()
    assert (row["natural_key"], row["dataset"], row["fatalities"]) == ("ucdp:900001", "ucdp", 3)
    assert token_client(charlie).get(url).status_code == 404
    assert anonymous.get(url).status_code == 401


@pytest.mark.refused("api:events-split")
def test_an_analyst_splits_a_wrong_merge_and_others_may_not(alice, cora, anonymous, charlie, merged):
    url = f"/api/events/{merged.event_id}/reports/{merged.pk}/split"
    assert anonymous.post(url).status_code == 401
    assert token_client(charlie).post(url).status_code == 404  # cannot see the event at all
    assert token_client(cora).post(url).status_code == 403  # sees it, but commanders do not edit records
    response = token_client(alice).post(url)
    assert response.status_code == 201
    assert (response.json()["fatalities_low"], response.json()["fatalities_high"]) == (2, 6)
    assert Event.objects.filter(natural_key="ucdp:900001").exists()
    assert token_client(alice).post(url).status_code == 404  # already split


@pytest.mark.parametrize(
    ("period", "first"),
    [("day", "2024-03-02"), ("week", "2024-02-26"), ("month", "2024-03-01"), ("all", None)],
)
def test_stats_periods_start_on_the_right_day(alice, events, period, first):
    rows = token_client(alice).get(f"/api/events/stats?period={period}&by=adm2").json()
    assert rows[0]["period"] == first
    assert sum(row["events"] for row in rows) == 5
    if period == "all":
        assert sorted((row["group"], row["events"]) for row in rows) == [("", 1), ("XX0101", 2), ("XX0102", 2)]


@pytest.mark.refused("api:events-verification")
def test_monitors_move_an_event_through_verification_and_others_may_not(alice, cora, anonymous, charlie, events):
    event = Event.objects.get(natural_key="acled:TST0001")
    url = f"/api/events/{event.pk}/verification"
    body = {"state": "corroborated", "note": "a second outlet confirms"}
    assert anonymous.post(url, body, content_type="application/json").status_code == 401
    assert token_client(charlie).post(url, body, content_type="application/json").status_code == 404
    assert token_client(cora).post(url, body, content_type="application/json").status_code == 403
    wrong = token_client(alice).post(url, {"state": "probably"}, content_type="application/json")
    assert wrong.status_code == 422
    response = token_client(alice).post(url, body, content_type="application/json")
    assert (response.status_code, response.json()["verification"]) == (200, "corroborated")
    event.refresh_from_db()
    assert (event.verified_by, event.verified_at is not None) == (alice, True)
    [change] = event.changes.all()
    assert (change.action, change.by, change.detail) == (
        "verification",
        alice,
        "reported → corroborated: a second outlet confirms",
    )


def test_a_verification_changed_in_the_admin_is_recorded_too(admin, events):
    event = Event.objects.get(natural_key="acled:TST0002")
    client = session_client(admin)
    page = client.get(f"/admin/incidents/event/{event.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"verification": "verified", "sources": [s.pk for s in event.sources.all()]})
    data = {key: ("" if value is None else value) for key, value in data.items()}
    response = client.post(f"/admin/incidents/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert (event.verification, event.verified_by) == ("verified", admin)
    assert [c.detail for c in event.changes.all()] == ["reported → verified: in the admin"]


def test_a_fatalities_range_filters_the_list_and_a_reversed_one_is_empty(alice, events):
    client = token_client(alice)
    found = client.get("/api/events", {"min_fatalities": 2, "max_fatalities": 3}).json()["items"]
    assert sorted(item["fatalities"] for item in found) == [2, 3]
    assert client.get("/api/events", {"min_fatalities": 4, "max_fatalities": 3}).json()["items"] == []
    assert client.get("/api/events", {"max_fatalities": -1}).status_code == 422
