"""Control areas drawn on the map or posted to the API, ended claims, and the Map page's drawing tool."""

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import session_client, token_client, verify_second_factor
from ulinzi.accounts.roles import Role
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.models import ControlArea
from ulinzi.incidents.models import Actor, Event
from ulinzi.sources.models import ImportBatch
from ulinzi.web import services

pytestmark = pytest.mark.django_db

URL = "/api/geo/control"
BETA = [[[-72.35, 18.5], [-72.31, 18.5], [-72.31, 18.54], [-72.35, 18.54], [-72.35, 18.5]]]  # commune XX0102
STATIC = Path(services.__file__).parent / "static" / "web"


@pytest.fixture
def control(areas, fixtures_dir) -> None:
    """Group North (P2, from 2024-01-01) over Alpha, and Group South (P1, February to March 2024)."""
    import_control(fixtures_dir / "control_two_groups.geojson")


def drawn(geometry: object = None, **properties: object) -> dict[str, object]:
    """A feature as the map's form sends it: Group East over Beta from 1 May 2024, unless changed."""
    defaults: dict[str, object] = {"actor": "Group East", "valid_from": "2024-05-01", "sensitivity": "P1"}
    shape = {"type": "Polygon", "coordinates": BETA} if geometry is None else geometry
    return {"type": "Feature", "geometry": shape, "properties": defaults | properties}


def post(client: Client, body: object) -> tuple[int, Any]:
    response = client.post(URL, body, content_type="application/json")
    return response.status_code, response.json()


def stored() -> tuple[int, int, int]:
    return ControlArea.objects.count(), Actor.objects.count(), ImportBatch.objects.filter(kind="drawn").count()


def share_of_beta(client: Client, day: str) -> float:
    body = client.get(f"{URL}/share", {"area": "XX0102", "date": day}).json()
    return float(body["any_actor"]["area_share"])


# Drawing


def test_a_drawn_claim_is_stored_shown_on_the_map_and_counted_in_shares(alice, control):
    client = token_client(alice)
    assert share_of_beta(client, "2024-06-01") == 0
    code, body = post(client, drawn(confidence="high", sources="https://example.org/sitrep-7 (patrol); radio log"))
    assert code == 201
    on_the_map = client.get(URL, {"date": "2024-06-01"}).json()["features"]
    assert [feature for feature in on_the_map if feature["properties"]["actor"] == "Group East"] == [body]
    assert body["properties"] | {"area_km2": 0, "sources": sorted(body["properties"]["sources"])} == {
        "actor": "Group East",
        "actor_kind": "gang",
        "valid_from": "2024-05-01",
        "valid_to": None,
        "confidence": "high",
        "illustrative": False,
        "area_km2": 0,
        "sensitivity": "P1",
        "sources": ["https://example.org/sitrep-7", "radio log"],  # each once, with its note apart
        "evidence": [],
    }
    assert body["properties"]["area_km2"] == pytest.approx(18.7, rel=0.03)
    assert share_of_beta(client, "2024-06-01") == pytest.approx(1, rel=0.01)
    assert share_of_beta(client, "2024-04-30") == 0  # not before its start
    batch = ControlArea.objects.get(pk=body["id"]).batch
    assert batch is not None
    assert (batch.kind, batch.user, batch.rows_created, len(batch.sha256)) == ("drawn", alice, 1, 64)


def test_a_claim_can_be_built_from_admin_units(alice, control):
    code, body = post(token_client(alice), {"type": "Feature", "geometry": None, "properties": {
        "actor": "Group East", "actor_kind": "coalition", "valid_from": "2024-05-01", "pcodes": ["XX0101", "XX0102"]
    }})  # fmt: skip
    assert code == 201
    assert body["properties"]["area_km2"] == pytest.approx(2 * 18.7, rel=0.03)
    assert body["geometry"]["type"] == "MultiPolygon"
    assert (body["properties"]["actor_kind"], body["properties"]["sensitivity"]) == ("coalition", "P2")


def test_an_existing_actor_is_found_by_its_spelling(alice, control):
    code, body = post(token_client(alice), drawn(actor="group north", actor_kind="mission"))
    assert code == 201
    assert (body["properties"]["actor"], body["properties"]["actor_kind"]) == ("Group North", "gang")
    assert Actor.objects.count() == 2


@pytest.mark.parametrize(
    ("feature", "where", "message"),
    [
        (
            drawn({"type": "LineString", "coordinates": [[-72.35, 18.5], [-72.31, 18.5]]}),
            ["geometry"],
            "LineString is not an area",
        ),
        (drawn({"type": "Polygon", "coordinates": [[[-720, 18.5], [1, 2]]]}), ["geometry"], None),
        (
            drawn(actor_kind="militia"),
            ["properties", "actor_kind"],
            "'militia' is not one of: gang, coalition, state_force, mission, self_defence, civilians, other",
        ),
        (drawn(valid_to="2024-04-30"), ["properties", "valid_to"], "2024-04-30 is before valid_from 2024-05-01"),
        (drawn(valid_from="2024-13-01"), ["properties", "valid_from"], "'2024-13-01' is not a date (YYYY-MM-DD)"),
        (drawn(actor=" "), ["properties", "actor"], "the controlling actor is required"),
        (drawn(valid_until="2024-06-01"), ["properties", "valid_until"], None),
        (drawn(illustrative="yes"), ["properties", "illustrative"], "must be true or false"),
        (drawn(illustrative=1), ["properties", "illustrative"], "must be true or false"),
        (drawn(sensitivity="secret"), ["properties", "sensitivity"], "'secret' is not a sensitivity label (P0 to P4)"),
        (drawn(pcodes=["XX9999"]) | {"geometry": None}, ["properties", "pcodes"], "'XX9999' is not a loaded area"),
        (drawn(pcodes=["XX\x00"]) | {"geometry": None}, ["properties", "pcodes"], None),
        (drawn(evidence="acled:NOPE"), ["properties", "evidence"], "no event you may read has the key 'acled:NOPE'"),
        (drawn() | {"type": "Polygon"}, ["type"], "Input should be 'Feature'"),
    ],
    ids=[
        "line",
        "coordinates",
        "actor-kind",
        "valid-to",
        "valid-from",
        "actor",
        "unknown-property",
        "illustrative",
        "illustrative-number",
        "label",
        "pcode",
        "nul",
        "evidence",
        "type",
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(alice, control, feature, where, message):
    before = stored()
    code, body = post(token_client(alice), feature)
    assert code == 422
    [error] = body["detail"]
    assert error["loc"] == ["body", "feature", *where]
    if message is not None:
        assert error["msg"] == message
    assert stored() == before


def test_a_label_above_your_own_clearance_is_refused(admin, alice, control):
    """A 422 on ``sensitivity`` rather than a 403: the analyst may draw, only this value is
    wrong for them (they could not read what they stored), and the form shows it by the field."""
    code, body = post(token_client(alice), drawn(sensitivity="P3"))
    assert (code, body) == (
        422,
        {
            "detail": [
                {
                    "type": "value_error",
                    "loc": ["body", "feature", "properties", "sensitivity"],
                    "msg": "P3 is above your clearance (P2): you could not read it",
                }
            ]
        },
    )
    assert post(token_client(admin), drawn(sensitivity="P3"))[0] == 201


def test_evidence_is_limited_to_events_you_may_read(admin, alice, control):
    group = Actor.objects.get(name="Group North")
    for key, label in (("acled:SEEN", 1), ("acled:HIDDEN", 3)):
        Event.objects.create(
            natural_key=key,
            event_date=date(2024, 5, 1),
            actor1=group,
            latitude=18.52,
            longitude=-72.33,
            sensitivity=label,
        )
    code, body = post(token_client(alice), drawn(evidence="acled:HIDDEN"))
    # Worded as for a key that does not exist, so the refusal reveals nothing.
    assert (code, body["detail"][0]["msg"]) == (422, "no event you may read has the key 'acled:HIDDEN'")
    code, body = post(token_client(alice), drawn(evidence="acled:SEEN"))
    assert (code, body["properties"]["evidence"]) == (201, [Event.objects.get(natural_key="acled:SEEN").pk])
    code, body = post(token_client(admin), drawn(actor="Group West", evidence="acled:SEEN; acled:HIDDEN"))
    assert code == 201
    assert len(body["properties"]["evidence"]) == 2


def test_the_same_claim_drawn_twice_is_a_conflict_not_a_rewrite(alice, control):
    client = token_client(alice)
    assert post(client, drawn())[0] == 201
    code, body = post(client, drawn(confidence="low", sensitivity="P0"))
    assert (code, body) == (409, {"detail": "a claim with this actor, start date and polygon is already stored"})
    area = ControlArea.objects.get(actor__name="Group East")
    assert (area.confidence, area.sensitivity) == ("medium", 1)


def test_a_monitor_may_draw_and_a_commander_may_not(make_user, cora, control):
    monitor = make_user("mona", Role.MONITOR)
    assert post(token_client(monitor), drawn())[0] == 201
    code, body = post(token_client(cora), drawn(actor="Group West"))
    assert (code, body) == (403, {"detail": "only analysts, monitors and administrators draw or end control areas"})
    assert not ControlArea.objects.filter(actor__name="Group West").exists()


def test_the_browser_session_must_send_the_csrf_token(alice, control):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    verify_second_factor(client, alice)
    assert client.post(URL, drawn(), content_type="application/json").status_code == 403
    page = client.get("/map/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(URL, drawn(), content_type="application/json", headers={"X-CSRFToken": token.group(1)})
    assert response.status_code == 201


@pytest.mark.refused("api:geo-control-draw")
def test_drawing_refuses_anonymous_callers_partners_and_accounts_without_a_role(anonymous, charlie, roleless, control):
    before = stored()
    assert post(anonymous, drawn())[0] == 401
    assert post(token_client(charlie), drawn(sensitivity="P0")) == (
        403,
        {"detail": "only analysts, monitors and administrators draw or end control areas"},
    )
    assert post(session_client(charlie), drawn(sensitivity="P0"))[0] == 403
    assert post(token_client(roleless), drawn()) == (403, {"detail": "your account has no role; ask an administrator"})
    assert stored() == before


# Ending a claim


def end(client: Client, area_id: int, valid_to: str | None) -> tuple[int, Any]:
    response = client.patch(f"{URL}/{area_id}", {"valid_to": valid_to}, content_type="application/json")
    return response.status_code, response.json()


def actors_on(client: Client, day: str) -> list[str]:
    return [feature["properties"]["actor"] for feature in client.get(URL, {"date": day}).json()["features"]]


def test_an_analyst_ends_a_claim_and_may_reopen_it(alice, control):
    client = token_client(alice)
    north = ControlArea.objects.get(actor__name="Group North")
    code, body = end(client, north.pk, "2024-06-30")
    assert (code, body["properties"]) == (200, body["properties"] | {"valid_to": "2024-06-30"})
    assert actors_on(client, "2024-06-30") == ["Group North"]
    assert actors_on(client, "2024-07-01") == []
    code, body = end(client, north.pk, None)
    assert (code, body["properties"]) == (200, body["properties"] | {"valid_to": None})
    assert actors_on(client, "2024-07-01") == ["Group North"]


def test_an_end_before_the_start_is_a_422(alice, control):
    north = ControlArea.objects.get(actor__name="Group North")
    code, body = end(token_client(alice), north.pk, "2023-12-31")
    assert (code, body) == (
        422,
        {
            "detail": [
                {
                    "type": "value_error",
                    "loc": ["body", "body", "valid_to"],
                    "msg": "2023-12-31 is before valid_from 2024-01-01",
                }
            ]
        },
    )
    north.refresh_from_db()
    assert north.valid_to is None


def test_a_claim_above_your_clearance_cannot_be_ended_and_looks_missing(admin, alice, control):
    secret = post(token_client(admin), drawn(sensitivity="P4"))[1]
    assert end(token_client(alice), secret["id"], "2024-06-30") == (404, {"detail": "Not Found"})
    assert end(token_client(alice), 999_999, "2024-06-30") == (404, {"detail": "Not Found"})
    assert ControlArea.objects.get(pk=secret["id"]).valid_to is None


@pytest.mark.refused("api:geo-control-end")
def test_ending_refuses_anonymous_callers_partners_commanders_and_accounts_without_a_role(
    anonymous, charlie, cora, roleless, control
):
    south = ControlArea.objects.get(actor__name="Group South")  # P1: the partner may read it
    assert end(anonymous, south.pk, "2024-02-29")[0] == 401
    for outsider in (charlie, cora, roleless):
        assert end(token_client(outsider), south.pk, "2024-02-29")[0] == 403
    south.refresh_from_db()
    assert south.valid_to == date(2024, 3, 31)


# The Map page's drawing tool


def map_page(user: User) -> str:
    response = session_client(user).get("/map/")
    assert response.status_code == 200
    return response.content.decode()


def test_editors_get_the_drawing_tool_with_existing_actors_and_their_own_labels(alice, control):
    html = map_page(alice)
    assert '<button type="button" id="draw-start">Draw a control area</button>' in html
    assert 'data-control-url="/api/geo/control"' in html
    assert '<option value="Group North"></option><option value="Group South"></option>' in html
    labels = re.findall(r'<option value="(P\d)"', html)
    assert labels == ["P0", "P1", "P2"]  # an analyst may not label above P2
    assert '<option value="P2" selected>' in html
    assert "leaflet/draw/leaflet.draw.js" in html and "leaflet/draw/leaflet.draw.css" in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    # control.js and route.js stay last (route.js lists what control.js shows); draw.js needs map.js.
    assert scripts[-4:] == [
        "/static/web/map.js",
        "/static/web/draw.js",
        "/static/web/control.js",
        "/static/web/route.js",
    ]
    assert "style=" not in html


@pytest.mark.refused("web:map")
def test_no_drawing_tool_for_commanders_or_partners(charlie, cora, control):
    for user in (charlie, cora):
        html = map_page(user)
        for part in ("draw-start", "draw-form", "draw.js", "leaflet.draw"):
            assert part not in html, part


def test_the_drawing_script_never_writes_markup():
    source = (STATIC / "draw.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, f"draw.js uses {sink}: data must reach the page as text"
