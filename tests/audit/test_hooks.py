"""Each audited path writes exactly one entry saying who, what and at which label; refusals write none."""

import getpass
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.audit.conftest import Log
from tests.conftest import session_client, token_client
from ulinzi import dbcompat
from ulinzi.audit.models import AuditEntry
from ulinzi.cli import build_parser
from ulinzi.geo import roads
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer
from ulinzi.geo.models import ControlArea, RoadSegment, RoadStatus
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import Event, EventReport

pytestmark = pytest.mark.django_db

BETA = [[[-72.35, 18.5], [-72.31, 18.5], [-72.31, 18.54], [-72.35, 18.54], [-72.35, 18.5]]]


def who_what(entry: AuditEntry) -> tuple[str, str, str, str, str, int]:
    return entry.actor, entry.role, entry.action, entry.object_type, entry.object_ids, entry.label


def detail(entry: AuditEntry) -> Any:
    return json.loads(entry.detail)


# Reads


def test_reading_a_confidential_event_through_the_api_is_recorded(alice: User, events, log: Log):
    event = events["TST0001"]
    assert token_client(alice).get(f"/api/events/{event.pk}").status_code == 200
    [entry] = log.new()
    assert who_what(entry) == ("alice", "analyst", "read", "incidents.event", str(event.pk), 2)
    assert entry.address == "127.0.0.1"
    assert (entry.actor_user_id, detail(entry), entry.reason) == (alice.pk, {}, "")


def test_reading_a_public_event_is_not_recorded(alice, events, log):
    assert token_client(alice).get(f"/api/events/{events['TST0004'].pk}").status_code == 200
    assert log.new() == []


def test_reading_a_confidential_event_page_is_recorded(alice, events, log):
    event = events["TST0002"]
    assert session_client(alice).get(f"/events/{event.pk}/").status_code == 200
    [entry] = log.new()
    assert who_what(entry) == ("alice", "analyst", "read", "incidents.event", str(event.pk), 2)


@pytest.mark.refused("api:events-detail", "web:event-detail")
def test_a_partners_refused_read_records_no_read(anonymous, charlie, events, log):
    hidden = events["TST0001"]
    Event.objects.filter(pk=hidden.pk).update(sensitivity=3)  # P2 would reach a partner masked
    assert token_client(charlie).get(f"/api/events/{hidden.pk}").status_code == 404
    assert session_client(charlie).get(f"/events/{hidden.pk}/").status_code == 404
    assert anonymous.get(f"/api/events/{hidden.pk}").status_code == 401
    assert anonymous.get(f"/events/{hidden.pk}/").status_code == 302
    assert log.new() == []


# Exports


def test_an_api_export_is_recorded_with_its_filters_count_and_highest_label(alice, events, log):
    response = token_client(alice).get("/api/events/export", {"format": "geojson", "since": "2024-03-03"})
    assert response.status_code == 200
    exported = json.loads(response.getvalue())["features"]
    [entry] = log.new()
    assert who_what(entry) == ("alice", "analyst", "export", "incidents.event", "", 2)
    assert detail(entry) == {
        "format": "geojson",
        "brief": False,
        "filters": {"since": "2024-03-03"},
        "records": len(exported),
    }


@pytest.mark.refused("api:events-export")
def test_a_partners_export_is_recorded_at_the_label_it_could_reach(anonymous, charlie, events, log):
    assert anonymous.get("/api/events/export", {"format": "csv"}).status_code == 401
    response = token_client(charlie).get("/api/events/export", {"format": "csv"})
    assert response.status_code == 200
    response.getvalue()
    [entry] = log.new()
    assert who_what(entry) == ("charlie", "partner", "export", "incidents.event", "", 2)
    assert detail(entry)["records"] == 5  # the public protest, and the four P2 events masked


def test_a_command_line_export_is_recorded_as_the_operator(events, log, capsysbinary, tmp_path: Path):
    args = build_parser().parse_args(["export", "events", "--format", "csv", "--clearance", "P0", "--pcode", "XX0101"])
    assert args.handler(args) == 0
    target = tmp_path / "events.csv"
    args = build_parser().parse_args(["export", "events", "--format", "hxl", "--brief", "-o", str(target)])
    assert args.handler(args) == 0
    to_stdout, to_file = log.new()
    assert who_what(to_stdout) == (f"operator:{getpass.getuser()}", "operator", "export", "incidents.event", "", 0)
    assert detail(to_stdout) == {
        "format": "csv",
        "brief": False,
        "clearance": "P0",
        "to": "stdout",
        "filters": {"pcode": "XX0101"},
        "records": 1,  # the public protest in Alpha
    }
    assert (to_file.label, detail(to_file)["to"], detail(to_file)["records"]) == (2, str(target), 5)


def test_a_refused_parquet_to_a_terminal_records_nothing(events, log, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    args = build_parser().parse_args(["export", "events", "--format", "parquet"])
    assert args.handler(args) == 2
    assert log.new() == []


# Changes to events


@pytest.fixture
def merged(events, fixtures_dir, tmp_path) -> EventReport:
    actors = tmp_path / "actors.csv"
    actors.write_text("name,kind,aliases\nGang A (Haiti),gang,Gang A\n")
    import_actors(actors)
    import_ucdp(fixtures_dir / "ucdp_sample.csv")
    return EventReport.objects.get()


def test_a_split_through_the_api_is_one_change_naming_both_events(alice, merged, log):
    original = merged.event_id
    assert token_client(alice).post(f"/api/events/{original}/reports/{merged.pk}/split").status_code == 201
    created = Event.objects.get(natural_key="ucdp:900001")
    [entry] = log.new()
    assert who_what(entry) == ("alice", "analyst", "change", "incidents.event", f"{original},{created.pk}", 2)
    assert detail(entry) == {"operation": "split", "report": "ucdp:900001"}
    assert entry.address == "127.0.0.1"  # the request's, though the service was handed only the user


def test_a_split_from_the_event_page_is_recorded(alice, merged, log):
    response = session_client(alice).post(f"/events/{merged.event_id}/reports/{merged.pk}/split/")
    assert response.status_code == 302
    assert [who_what(entry)[:3] for entry in log.new()] == [("alice", "analyst", "change")]


def test_a_split_from_the_admin_is_recorded(admin, merged, log):
    changelist = "/admin/incidents/eventreport/"
    response = session_client(admin).post(changelist, {"action": "split", "_selected_action": [merged.pk]})
    assert response.status_code == 302
    [entry] = log.new()
    assert who_what(entry)[:4] == ("admin", "admin", "change", "incidents.event")
    assert entry.address == "127.0.0.1"


def test_verification_is_recorded_without_the_note(alice, events, log):
    event = events["TST0003"]
    body = {"state": "verified", "note": "confirmed by a named informant"}
    response = token_client(alice).post(f"/api/events/{event.pk}/verification", body, content_type="application/json")
    assert response.status_code == 200
    [entry] = log.new()
    assert who_what(entry) == ("alice", "analyst", "change", "incidents.event", str(event.pk), 2)
    assert detail(entry) == {"operation": "verification", "from": "reported", "to": "verified"}
    assert "informant" not in entry.detail


@pytest.mark.refused("api:events-verification", "api:events-split")
def test_refused_changes_record_nothing(cora, charlie, anonymous, merged, log):
    event = merged.event_id
    body = {"state": "verified"}
    assert (
        token_client(cora).post(f"/api/events/{event}/verification", body, content_type="application/json").status_code
        == 403
    )
    assert token_client(charlie).post(f"/api/events/{event}/reports/{merged.pk}/split").status_code == 404
    assert anonymous.post(f"/api/events/{event}/reports/{merged.pk}/split").status_code == 401
    assert log.new() == []


# Changes to geography


def draw(client, **properties: object):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": BETA},
        "properties": {"actor": "Group East", "valid_from": "2024-05-01", "sensitivity": "P2"} | properties,
    }
    return client.post("/api/geo/control", feature, content_type="application/json")


def test_drawing_and_ending_a_control_area_are_recorded(alice, areas, log):
    client = token_client(alice)
    drawn = draw(client)
    assert drawn.status_code == 201
    area = drawn.json()["id"]
    ended = client.patch(f"/api/geo/control/{area}", {"valid_to": "2024-06-30"}, content_type="application/json")
    assert ended.status_code == 200
    first, second = log.new()
    assert who_what(first) == ("alice", "analyst", "change", "geo.controlarea", str(area), 2)
    assert detail(first) == {"operation": "draw"}
    assert who_what(second) == ("alice", "analyst", "change", "geo.controlarea", str(area), 2)
    assert detail(second) == {"operation": "end", "valid_to": "2024-06-30"}


@pytest.mark.refused("api:geo-control-draw")
def test_a_refused_drawing_records_nothing(cora, charlie, anonymous, areas, log):
    assert draw(token_client(cora)).status_code == 403
    assert draw(token_client(charlie)).status_code == 403
    assert draw(anonymous).status_code == 401
    assert draw(token_client(cora), sensitivity="P9").status_code == 403
    assert log.new() == []


def test_a_change_whose_audit_write_fails_is_not_kept(alice, areas, log, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the log is unreachable")

    monkeypatch.setattr(dbcompat, "lock_audit_chain", broken)
    client = token_client(alice)
    client.raise_request_exception = False
    assert draw(client).status_code == 500
    assert ControlArea.objects.count() == 0
    assert log.new() == []


@pytest.fixture
def network(areas, fixtures_dir) -> None:
    import_gazetteer(fixtures_dir / "gazetteer_three_areas.csv")
    roads.build_coarse_network(neighbours=2)


def test_registering_a_road_status_is_recorded(alice, network, log):
    segment = RoadSegment.objects.get(name="Alpha – Gamma")
    body = {"status": "barricade", "sensitivity": "P1", "note": "seen by a patrol"}
    response = token_client(alice).post(f"/api/geo/roads/{segment.pk}/status", body, content_type="application/json")
    assert response.status_code == 201
    [entry] = log.new()
    assert who_what(entry) == ("alice", "analyst", "change", "geo.roadstatus", str(response.json()["id"]), 1)
    assert detail(entry) == {"operation": "register", "segment": segment.pk, "status": "barricade"}


@pytest.mark.refused("api:geo-road-status")
def test_a_refused_road_status_records_nothing(cora, charlie, anonymous, network, log):
    segment = RoadSegment.objects.get(name="Alpha – Gamma")
    url = f"/api/geo/roads/{segment.pk}/status"
    assert token_client(cora).post(url, {"status": "open"}, content_type="application/json").status_code == 403
    assert token_client(charlie).post(url, {"status": "open"}, content_type="application/json").status_code == 403
    assert anonymous.post(url, {"status": "open"}, content_type="application/json").status_code == 401
    assert RoadStatus.objects.count() == 0
    assert log.new() == []


def test_a_list_page_showing_confidential_events_is_one_read_entry(alice, charlie, events, log):
    body = token_client(alice).get("/api/events?limit=3").json()
    [entry] = log.new()
    confidential = sorted(item["id"] for item in body["items"] if item["sensitivity"] != "P0")
    assert who_what(entry) == ("alice", "analyst", "read", "incidents.event", ",".join(map(str, confidential)), 2)
    assert detail(entry) == {"list": "/api/events"}
    assert session_client(alice).get("/events/").status_code == 200
    assert detail(log.new()[-1]) == {"list": "/events/"}
    Event.objects.update(sensitivity=0)
    before = len(log.new())
    assert token_client(charlie).get("/api/events").status_code == 200
    assert len(log.new()) == before  # nothing confidential shown, nothing recorded


def test_control_lists_and_evidence_record_what_they_show(alice, log, fixtures_dir):
    import_boundaries(fixtures_dir / "three_areas.geojson")
    import_control(fixtures_dir / "control_two_groups.geojson")  # North P2 from January, South P1 Feb-March
    client = token_client(alice)
    features = client.get("/api/geo/control", {"date": "2024-03-01"}).json()["features"]
    north = next(feature["id"] for feature in features if feature["properties"]["actor"] == "Group North")
    [listed] = log.new()
    assert (listed.action, listed.object_type, listed.object_ids, listed.label) == (
        "read",
        "geo.controlarea",
        str(north),
        2,
    )
    assert detail(listed) == {"list": "/api/geo/control"}
    assert client.get(f"/api/geo/control/{north}/evidence").status_code == 200
    opened = log.new()[-1]
    assert (opened.object_type, opened.object_ids, opened.label) == ("geo.controlarea", str(north), 2)
    client.get("/api/geo/control", {"date": "2023-06-01"})  # nothing in force: nothing shown, nothing recorded
    assert len(log.new()) == 2
