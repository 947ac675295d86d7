"""Control claims carry the events that document them: linked on import, suggested from ACLED's
change-of-control events, and shown only as far as the reader's clearance goes."""

import json
from datetime import date

import pytest

from tests.conftest import token_client
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.models import ControlArea
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.models import Actor, Event

pytestmark = pytest.mark.django_db

NORTH = [[[-72.4, 18.5], [-72.38, 18.5], [-72.38, 18.54], [-72.4, 18.54], [-72.4, 18.5]]]


def event(key: str, day: date, sub: str, lon: float, label: int = 0) -> Event:
    return Event.objects.create(
        natural_key=key,
        event_date=day,
        event_type="Battles",
        sub_event_type=sub,
        actor1=Actor.objects.get_or_create(name="Group North")[0],
        latitude=18.52,
        longitude=lon,
        sensitivity=label,
    )


@pytest.fixture
def claim(tmp_path) -> ControlArea:
    event("acled:T1", date(2024, 1, 10), "Non-state actor overtakes territory", -72.39)
    event("acled:T2", date(2023, 12, 20), "Non-state actor overtakes territory", -72.391, label=2)
    event("acled:T3", date(2024, 1, 5), "Armed clash", -72.39)
    event("acled:T4", date(2024, 1, 5), "Non-state actor overtakes territory", -72.30)  # outside the polygon
    event("acled:T5", date(2024, 6, 1), "Non-state actor overtakes territory", -72.39)  # months later
    path = tmp_path / "claim.geojson"
    feature = {
        "type": "Feature",
        "properties": {"actor": "Group North", "valid_from": "2024-01-01", "sensitivity": "P1", "evidence": "acled:T3"},
        "geometry": {"type": "Polygon", "coordinates": NORTH},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    import_control(path)
    return ControlArea.objects.get()


def test_linked_evidence_and_candidates_by_clearance(alice, charlie, claim):
    url = f"/api/geo/control/{claim.pk}/evidence"
    analyst = token_client(alice).get(url).json()
    assert [e["id"] for e in analyst["linked"]] == [Event.objects.get(natural_key="acled:T3").pk]
    assert [e["event_date"] for e in analyst["candidates"]] == ["2023-12-20", "2024-01-10"]
    partner = token_client(charlie).get(url).json()
    assert [e["event_date"] for e in partner["candidates"]] == ["2024-01-10"]  # the P2 event stays hidden
    features = token_client(alice).get("/api/geo/control", {"date": "2024-02-01"}).json()["features"]
    assert features[0]["properties"]["evidence"] == [Event.objects.get(natural_key="acled:T3").pk]


def test_evidence_the_reader_may_not_see_is_left_out(charlie, claim):
    claim.evidence.set(Event.objects.filter(natural_key__in=["acled:T2", "acled:T3"]))
    body = token_client(charlie).get(f"/api/geo/control/{claim.pk}/evidence").json()
    assert [e["id"] for e in body["linked"]] == [Event.objects.get(natural_key="acled:T3").pk]
    features = token_client(charlie).get("/api/geo/control", {"date": "2024-02-01"}).json()["features"]
    assert features[0]["properties"]["evidence"] == [Event.objects.get(natural_key="acled:T3").pk]


def test_an_unknown_evidence_key_refuses_the_file(tmp_path):
    path = tmp_path / "claim.geojson"
    feature = {
        "type": "Feature",
        "properties": {"actor": "Group North", "valid_from": "2024-01-01", "evidence": "acled:NOPE; acled:NOPE"},
        "geometry": {"type": "Polygon", "coordinates": NORTH},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(ImportRejected) as rejected:
        import_control(path)
    assert [str(e) for e in rejected.value.errors] == [
        "claim.geojson:1: evidence: no stored event has the key 'acled:NOPE'"
    ]
    assert not ControlArea.objects.exists()


@pytest.mark.refused("api:geo-control-evidence")
def test_evidence_refuses_outsiders_and_hides_confidential_claims(anonymous, roleless, charlie, claim):
    url = f"/api/geo/control/{claim.pk}/evidence"
    assert anonymous.get(url).status_code == 401
    assert token_client(roleless).get(url).status_code == 403
    ControlArea.objects.filter(pk=claim.pk).update(sensitivity=2)
    assert token_client(charlie).get(url).status_code == 404
    assert token_client(charlie).get("/api/geo/control/999999/evidence").status_code == 404
