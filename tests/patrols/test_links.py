"""Linking events to a patrol from its page and the API (issue #8): suggestions near a real track,
link and unlink, idempotency, the audit entries, and that nobody else links, unlinks or learns
that a hidden patrol or event exists."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.claims.factories import make_event
from tests.conftest import MakeUser, session_client, token_client, verify_second_factor
from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.policy import EDITORS, RecordType
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import issue_token
from ulinzi.audit.models import Action, AuditEntry
from ulinzi.incidents.models import Event
from ulinzi.patrols import links
from ulinzi.patrols.models import Patrol, PatrolEvent, PatrolKind, TrackPoint
from ulinzi.patrols.xmltracks import read_gpx

pytestmark = pytest.mark.django_db
TRACK = Path(__file__).resolve().parent / "fixtures" / "delmas_pap.gpx"
ON_THE_DAY = date(2025, 6, 25)  # the fixture's fixes run from 14:00 to 14:31 UTC that day


@pytest.fixture
def patrol() -> Patrol:
    """The Delmas foot patrol with the twelve fixes of ``delmas_pap.gpx``."""
    found = Patrol.objects.create(reference="KE-0625-A", kind=PatrolKind.FOOT, devices="KE-FP-07")
    with TRACK.open("rb") as handle:
        fixes = list(read_gpx(handle, TRACK.name, None, Counter()))
    TrackPoint.objects.bulk_create(
        TrackPoint(patrol=found, device=fix.device, time=fix.time, lat=fix.lat, lon=fix.lon) for fix in fixes
    )
    return found


@pytest.fixture
def events() -> dict[str, Event]:
    """Events around the track. Distances by hand: 0.001° of latitude is 111.195 m; 0.001° of
    longitude at 18.545° is 111.195 m × cos 18.545° = 105.42 m."""
    return {
        # 0.003° north of the first fix (18.5450, -72.3000, 14:00): 333.59 m
        "market": make_event(event_date=ON_THE_DAY, latitude=18.5480, longitude=-72.3000, location="Delmas 33 market"),
        # 0.001° west of the second fix (18.5450, -72.3050, 14:01): 105.42 m
        "checkpoint": make_event(
            event_date=ON_THE_DAY, latitude=18.5450, longitude=-72.3060, location="Delmas 33 checkpoint"
        ),
        # 0.015° north of the first fix: 1,668 m
        "far": make_event(event_date=ON_THE_DAY, latitude=18.5600, longitude=-72.3000, location="Far away"),
        # at the market, the next day
        "next day": make_event(
            event_date=date(2025, 6, 26), latitude=18.5480, longitude=-72.3000, location="Market again"
        ),
        # 0.001° north of the first fix (111.20 m), labelled above an analyst's clearance
        "secret": make_event(
            event_date=ON_THE_DAY,
            latitude=18.5460,
            longitude=-72.3000,
            location="Secret place",
            sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL),
        ),
    }


@pytest.fixture
def with_a_link(patrol: Patrol, events: dict[str, Event]) -> tuple[Patrol, dict[str, Event]]:
    """The patrol with the market already linked, for the refusals: nothing may add or remove one."""
    PatrolEvent.objects.create(patrol=patrol, event=events["market"])
    return patrol, events


@pytest.fixture
def mona(make_user: MakeUser) -> User:
    return make_user("mona", Role.MONITOR)


def link_changes() -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(action=Action.CHANGE, object_type="patrols.patrol").order_by("sequence")
    return [json.loads(entry.detail) for entry in entries]


def without_csrf_tokens(body: bytes) -> str:
    """A page with its per-response CSRF tokens blanked, to compare two answers whole."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())


# Suggestions


def test_suggestions_are_the_readable_unlinked_events_near_the_track_on_their_day(alice, cora, patrol, events):
    found = links.suggestions(viewer_of(alice), patrol)
    assert [one.event for one in found] == [events["checkpoint"], events["market"]]
    checkpoint, market = found
    assert checkpoint.distance_m == pytest.approx(105.42, abs=0.01)
    assert market.distance_m == pytest.approx(333.59, abs=0.01)
    assert [f"{one.nearest_fix_at:%Y-%m-%d %H:%M:%S%z}" for one in found] == [
        "2025-06-25 14:01:00+0000",
        "2025-06-25 14:00:00+0000",
    ]
    wider = links.suggestions(viewer_of(alice), patrol, day_margin=1)
    assert events["next day"] in [one.event for one in wider]
    commander = links.suggestions(viewer_of(cora), patrol)  # cleared for P3
    assert [one.event for one in commander][:2] == [events["checkpoint"], events["secret"]]


def test_a_linked_event_is_no_longer_suggested(alice, patrol, events):
    PatrolEvent.objects.create(patrol=patrol, event=events["checkpoint"])
    assert [one.event for one in links.suggestions(viewer_of(alice), patrol)] == [events["market"]]


def test_a_patrol_without_positions_has_no_suggestions(alice, events):
    planned = Patrol.objects.create(reference="KE-PLANNED", kind=PatrolKind.FOOT)
    assert links.suggestions(viewer_of(alice), planned) == []


# The page


def test_the_patrol_page_offers_the_events_near_the_track_to_link(alice, patrol, events):
    html = session_client(alice).get(f"/patrols/{patrol.pk}/").content.decode()
    section = html[html.index('id="nearby-heading"') :]
    row = section[section.index(f'data-event="{events["checkpoint"].pk}"') :].split("</tr>")[0]
    for shown in ("2025-06-25", "Armed clash", "Delmas 33 checkpoint", ">105<", "2025-06-25 14:01:00"):
        assert shown in row, shown
    assert f'action="/patrols/{patrol.pk}/events/"' in row and "csrfmiddlewaretoken" in row
    assert 'name="relation" value="observed"' in row and 'name="relation" value="reported"' in row
    assert section.index("Delmas 33 checkpoint") < section.index("Delmas 33 market")
    for hidden in ("Far away", "Market again", "Secret place"):
        assert hidden not in html, hidden


def test_an_analyst_links_and_unlinks_an_event_from_the_page(alice, patrol, events):
    client = session_client(alice)
    checkpoint = events["checkpoint"]
    response = client.post(f"/patrols/{patrol.pk}/events/", {"event_id": checkpoint.pk, "relation": "reported"})
    assert (response.status_code, response["Location"]) == (302, f"/patrols/{patrol.pk}/")
    assert PatrolEvent.objects.get(patrol=patrol).relation == "reported"

    html = client.get(f"/patrols/{patrol.pk}/").content.decode()
    linked = html[html.index('id="patrol-events"') :].split("</ul>")[0]
    assert "Delmas 33 checkpoint" in linked and "reported to the patrol" in linked
    assert f'action="/patrols/{patrol.pk}/events/{checkpoint.pk}/remove/"' in linked
    nearby = html[html.index('id="nearby-heading"') :]
    assert "Delmas 33 checkpoint" not in nearby and "Delmas 33 market" in nearby

    response = client.post(f"/patrols/{patrol.pk}/events/{checkpoint.pk}/remove/")
    assert (response.status_code, response["Location"]) == (302, f"/patrols/{patrol.pk}/")
    assert not PatrolEvent.objects.exists()
    assert link_changes() == [
        {"operation": "link event", "event": checkpoint.pk, "relation": "reported"},
        {"operation": "unlink event", "event": checkpoint.pk},
    ]
    entry = AuditEntry.objects.filter(action=Action.CHANGE).last()
    assert entry is not None and (entry.actor, entry.object_ids) == ("alice", str(patrol.pk))


def test_linking_twice_changes_nothing_and_a_new_relation_replaces_the_old(alice, patrol, events):
    client = session_client(alice)
    url, market = f"/patrols/{patrol.pk}/events/", events["market"].pk
    for _ in range(2):
        assert client.post(url, {"event_id": market, "relation": "observed"}).status_code == 302
    assert PatrolEvent.objects.filter(patrol=patrol).count() == 1
    assert len(link_changes()) == 1, "the second click is no change"
    assert client.post(url, {"event_id": market, "relation": "reported"}).status_code == 302
    assert PatrolEvent.objects.get(patrol=patrol).relation == "reported"
    assert link_changes()[-1] == {
        "operation": "change event relation",
        "event": market,
        "from": "observed",
        "to": "reported",
    }
    remove = f"/patrols/{patrol.pk}/events/{market}/remove/"
    assert [client.post(remove).status_code for _ in range(2)] == [302, 302]
    assert [change["operation"] for change in link_changes()] == ["link event", "change event relation", "unlink event"]


def test_a_commander_links_too(cora, patrol, events):
    response = session_client(cora).post(
        f"/patrols/{patrol.pk}/events/", {"event_id": events["secret"].pk, "relation": "observed"}
    )
    assert response.status_code == 302
    assert list(patrol.events.all()) == [events["secret"]]
    assert link_changes()[0]["event"] == events["secret"].pk
    assert AuditEntry.objects.get(action=Action.CHANGE).label == int(Sensitivity.STRICTLY_CONFIDENTIAL)


@pytest.mark.parametrize(
    "case",
    [
        ({"event_id": "EVENT", "relation": "seen"}, 400, "relation: choose observed or reported"),
        ({"event_id": "EVENT"}, 400, "relation: choose observed or reported"),
        ({"event_id": "abc", "relation": "observed"}, 400, "event_id: choose the event to link"),
        ({"event_id": "0", "relation": "observed"}, 400, "event_id: Ensure this value is greater than"),
        ({"relation": "observed"}, 400, "event_id: choose the event to link"),
        ({"event_id": "999999", "relation": "observed"}, 404, "event_id: No such event"),
        ({"event_id": "9" * 30, "relation": "observed"}, 404, "event_id: No such event"),
    ],
)
def test_bad_input_is_a_4xx_that_says_why_on_the_patrols_page(alice, patrol, events, case):
    posted, status, message = case
    posted = {key: str(events["market"].pk) if value == "EVENT" else value for key, value in posted.items()}
    response = session_client(alice).post(f"/patrols/{patrol.pk}/events/", posted)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html[html.index('id="link-error"') :].split("</div>")[0]
    assert "KE-0625-A" in html, "the patrol's page again, not a bare error"
    assert not PatrolEvent.objects.exists()


def test_unlinking_a_missing_event_is_a_404_on_the_patrols_page(alice, patrol):
    response = session_client(alice).post(f"/patrols/{patrol.pk}/events/999999/remove/")
    assert response.status_code == 404 and "event_id: No such event" in response.content.decode()


def test_an_event_above_the_analysts_clearance_is_answered_as_a_missing_one(alice, cora, patrol, events):
    secret = events["secret"]
    client = session_client(alice)
    hidden = client.post(f"/patrols/{patrol.pk}/events/", {"event_id": secret.pk, "relation": "observed"})
    missing = client.post(f"/patrols/{patrol.pk}/events/", {"event_id": 999999, "relation": "observed"})
    assert hidden.status_code == missing.status_code == 404
    assert without_csrf_tokens(hidden.content) == without_csrf_tokens(missing.content)

    PatrolEvent.objects.create(patrol=patrol, event=secret)  # linked by someone cleared for it
    hidden = client.post(f"/patrols/{patrol.pk}/events/{secret.pk}/remove/")
    missing = client.post(f"/patrols/{patrol.pk}/events/999999/remove/")
    assert hidden.status_code == missing.status_code == 404
    assert without_csrf_tokens(hidden.content) == without_csrf_tokens(missing.content)
    assert "Secret place" not in hidden.content.decode()
    assert PatrolEvent.objects.filter(event=secret).exists()

    api = token_client(alice)
    hidden_api = api.post(
        f"/api/patrols/{patrol.pk}/events", {"event_id": secret.pk, "relation": "observed"}, "application/json"
    )
    missing_api = api.post(
        f"/api/patrols/{patrol.pk}/events", {"event_id": 999999, "relation": "observed"}, "application/json"
    )
    assert (hidden_api.status_code, hidden_api.json()) == (missing_api.status_code, missing_api.json())
    assert hidden_api.status_code == 404
    gone = [api.delete(f"/api/patrols/{patrol.pk}/events/{pk}") for pk in (secret.pk, 999999)]
    assert [(answer.status_code, answer.json()) for answer in gone] == [(404, {"detail": "No such event"})] * 2
    assert api.get(f"/api/patrols/{patrol.pk}").json()["events"] == [], "no id of a hidden linked event either"
    assert secret.pk in token_client(cora).get(f"/api/patrols/{patrol.pk}").json()["events"]


def test_a_hidden_patrol_is_answered_as_a_missing_one(alice, events):
    hidden = Patrol.objects.create(reference="KE-SECRET", kind=PatrolKind.FOOT, sensitivity=int(Sensitivity.CRITICAL))
    page, api = session_client(alice), token_client(alice)
    body = {"event_id": events["market"].pk, "relation": "observed"}
    for patrol_id in (hidden.pk, 999999):
        assert page.post(f"/patrols/{patrol_id}/events/", body).status_code == 404
        assert page.post(f"/patrols/{patrol_id}/events/{events['market'].pk}/remove/").status_code == 404
        assert api.get(f"/api/patrols/{patrol_id}/suggestions").json() == {"detail": "Not Found"}
        assert api.post(f"/api/patrols/{patrol_id}/events", body, "application/json").status_code == 404
        assert api.delete(f"/api/patrols/{patrol_id}/events/{events['market'].pk}").status_code == 404
    assert not PatrolEvent.objects.exists()


def test_a_role_that_reads_patrols_but_may_not_change_them_sees_no_forms(alice, patrol, events, monkeypatch):
    monkeypatch.setitem(EDITORS, RecordType.PATROL, frozenset({Role.ADMIN}))
    PatrolEvent.objects.create(patrol=patrol, event=events["market"])
    client = session_client(alice)
    html = client.get(f"/patrols/{patrol.pk}/").content.decode()
    assert "Delmas 33 market" in html, "the linked event is still shown"
    assert f"/patrols/{patrol.pk}/events/" not in html and "Unlink" not in html
    assert "Events near the track" not in html
    refused = client.post(
        f"/patrols/{patrol.pk}/events/", {"event_id": events["checkpoint"].pk, "relation": "observed"}
    )
    assert refused.status_code == 403
    api = token_client(alice)
    assert api.get(f"/api/patrols/{patrol.pk}/suggestions").status_code == 403
    assert api.delete(f"/api/patrols/{patrol.pk}/events/{events['market'].pk}").status_code == 403
    assert PatrolEvent.objects.count() == 1


def test_the_page_forms_need_the_csrf_token(alice, patrol, events):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    verify_second_factor(client, alice)
    body = {"event_id": events["market"].pk, "relation": "observed"}
    assert client.post(f"/patrols/{patrol.pk}/events/", body).status_code == 403
    page = client.get(f"/patrols/{patrol.pk}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    assert (
        client.post(f"/patrols/{patrol.pk}/events/", body | {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    )
    assert client.post(f"/api/patrols/{patrol.pk}/events", body, "application/json").status_code == 403
    assert PatrolEvent.objects.count() == 1


# The API


def test_the_api_suggests_links_and_unlinks(alice, patrol, events):
    client = token_client(alice)
    suggested = client.get(f"/api/patrols/{patrol.pk}/suggestions").json()
    assert suggested[0] == {
        "event_id": events["checkpoint"].pk,
        "event_date": "2025-06-25",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "location": "Delmas 33 checkpoint",
        "distance_m": 105.4,
        "nearest_fix_at": "2025-06-25T14:01:00Z",
    }
    assert [one["event_id"] for one in suggested] == [events["checkpoint"].pk, events["market"].pk]
    wider = client.get(f"/api/patrols/{patrol.pk}/suggestions?day_margin=1&within_m=2000").json()
    assert {events["far"].pk, events["next day"].pk} <= {one["event_id"] for one in wider}

    url, market = f"/api/patrols/{patrol.pk}/events", events["market"].pk
    answers = [
        client.post(url, {"event_id": market, "relation": relation}, "application/json")
        for relation in ("observed", "observed", "reported")
    ]
    assert [(answer.status_code, answer.json()["change"]) for answer in answers] == [
        (201, "linked"),
        (200, "unchanged"),
        (200, "relation changed"),
    ]
    assert answers[-1].json() == {
        "patrol_id": patrol.pk,
        "event_id": market,
        "relation": "reported",
        "change": "relation changed",
    }
    assert client.get(f"/api/patrols/{patrol.pk}").json()["events"] == [market]
    assert market not in [one["event_id"] for one in client.get(f"/api/patrols/{patrol.pk}/suggestions").json()]
    deleted = [client.delete(f"{url}/{market}") for _ in range(2)]
    assert [answer.status_code for answer in deleted] == [204, 204]
    assert not PatrolEvent.objects.exists()
    assert [change["operation"] for change in link_changes()] == ["link event", "change event relation", "unlink event"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"event_id": 1, "relation": "seen"}, "relation"),
        ({"event_id": 0, "relation": "observed"}, "event_id"),
        ({"event_id": "one", "relation": "observed"}, "event_id"),
        ({"relation": "observed"}, "event_id"),
    ],
)
def test_the_api_refuses_a_bad_body_naming_the_field(alice, patrol, body, where):
    response = token_client(alice).post(f"/api/patrols/{patrol.pk}/events", body, "application/json")
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [where]


@pytest.mark.parametrize("query", ["within_m=0", "within_m=5001", "day_margin=-1", "day_margin=8", "within_m=nan"])
def test_the_api_refuses_a_meaningless_suggestion_rule(alice, patrol, query):
    assert token_client(alice).get(f"/api/patrols/{patrol.pk}/suggestions?{query}").status_code == 422


def test_a_read_only_token_reads_suggestions_but_does_not_link(alice, patrol, events):
    reader = Client(headers={"Authorization": f"Bearer {issue_token(alice, 'read')}"})
    assert reader.get(f"/api/patrols/{patrol.pk}/suggestions").status_code == 200
    body = {"event_id": events["market"].pk, "relation": "observed"}
    assert reader.post(f"/api/patrols/{patrol.pk}/events", body, "application/json").status_code == 403
    assert reader.delete(f"/api/patrols/{patrol.pk}/events/{events['market'].pk}").status_code == 403
    assert not PatrolEvent.objects.exists()


# Refusals


@pytest.mark.refused("patrols:link", "patrols:unlink")
def test_partners_monitors_roleless_accounts_and_visitors_may_not_link_from_the_page(
    charlie, mona, roleless, anonymous, with_a_link
):
    patrol, events = with_a_link
    link = f"/patrols/{patrol.pk}/events/"
    unlink = f"/patrols/{patrol.pk}/events/{events['market'].pk}/remove/"
    body = {"event_id": events["checkpoint"].pk, "relation": "observed"}
    for user in (charlie, mona, roleless):
        client = session_client(user)
        for answer in (client.post(link, body), client.post(unlink)):
            assert answer.status_code == 403, user
            assert b"KE-0625-A" not in answer.content and b"Delmas 33" not in answer.content
    for path in (link, unlink):
        answer = anonymous.post(path, body)
        assert (answer.status_code, answer["Location"]) == (302, f"/login/?next={path}")
    assert [link.event_id for link in PatrolEvent.objects.all()] == [events["market"].pk]
    assert link_changes() == []


@pytest.mark.refused("api:patrol-suggestions", "api:patrol-link", "api:patrol-unlink")
def test_partners_monitors_roleless_accounts_and_visitors_may_not_link_through_the_api(
    charlie, mona, roleless, anonymous, with_a_link
):
    patrol, events = with_a_link
    base = f"/api/patrols/{patrol.pk}"
    body = {"event_id": events["checkpoint"].pk, "relation": "observed"}

    def ask(client: Client) -> list[Any]:
        return [
            client.get(f"{base}/suggestions"),
            client.post(f"{base}/events", body, "application/json"),
            client.delete(f"{base}/events/{events['market'].pk}"),
        ]

    for user in (charlie, mona, roleless):
        for client in (token_client(user), session_client(user)):
            for answer in ask(client):
                assert answer.status_code == 403, user
                assert b"Delmas 33" not in answer.content and b"18.54" not in answer.content
    assert [answer.status_code for answer in ask(anonymous)] == [401, 401, 401]
    assert [link.event_id for link in PatrolEvent.objects.all()] == [events["market"].pk]
    assert link_changes() == []
