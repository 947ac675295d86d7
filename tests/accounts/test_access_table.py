"""The access table, generated from the policy and checked cell by cell against what every path
really returns.

One record is stored for every record type × label (P0–P4) × owner (the whole mission, a
contingent, another contingent); fifteen viewers (every role, each in a contingent, in mission
headquarters and in no organisation) then ask every path that shows that record type. A cell is
(viewer, record type, label, owner, path); the policy says whether the record should be there in
full, masked or not at all, the path's answer says how it is, and every cell must agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import session_client, token_client
from tests.factories import make_contributor
from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.models import Membership, Organisation, OrganisationKind
from ulinzi.accounts.policy import RecordType, Release, Viewer, release_of
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import create_account
from ulinzi.claims.models import Claim
from ulinzi.forces.models import Authorisation, Contingent, Movement, MovementKind, MovementReport, Pledge
from ulinzi.geo.models import ControlArea, RoadSegment, RoadStatus
from ulinzi.incidents.models import Actor, Event, EventReport
from ulinzi.intake.models import Candidate, Document
from ulinzi.patrols.models import Patrol, PatrolKind, TrackPoint
from ulinzi.sources.models import Source

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CONTINGENT, OTHER_CONTINGENT, HEADQUARTERS = "ke-police", "sv-police", "mss-hq"
OWNERS = (None, CONTINGENT, OTHER_CONTINGENT)
MEMBERSHIPS = {"contingent": CONTINGENT, "headquarters": HEADQUARTERS, "no organisation": None}
TODAY = date(2026, 1, 15)


@dataclass(frozen=True)
class Probe:
    """A stored record: its type, label, owner, the text that betrays it in an answer, and its id."""

    record_type: RecordType
    label: Sensitivity
    owner: str | None
    marker: str
    pk: int


def marker_for(record_type: RecordType, label: Sensitivity, owner: str | None) -> str:
    return f"probe-{record_type.name.lower()}-{label.code}-{owner or 'mission'}".replace("_", "-")


def every_label_and_owner() -> Iterator[tuple[Sensitivity, str | None]]:
    for label in Sensitivity:
        for owner in OWNERS:
            yield label, owner


def store_events(actor: Actor) -> list[Probe]:
    probes = []
    for n, (label, owner) in enumerate(every_label_and_owner()):
        marker = marker_for(RecordType.EVENT, label, owner)
        event = Event.objects.create(
            natural_key=f"probe:{n}",
            event_date=TODAY - timedelta(days=n),
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1=actor,
            location=marker,
            notes=marker,
            latitude=18.5 + n / 1000,
            longitude=-72.3 - n / 1000,
            sensitivity=int(label),
            owner_id=owner,
        )
        Event.objects.filter(pk=event.pk).update(natural_key=f"probekey:{event.pk:04d}")  # see exported_id
        EventReport.objects.create(
            event=event, natural_key=f"report-{marker}", dataset="probe", record={"note": marker}, match_reason="probe"
        )
        probes.append(Probe(RecordType.EVENT, label, owner, marker, event.pk))
    return probes


def square(n: int) -> str:
    west, south = -72.4 + n / 100, 18.5
    ring = [[west, south], [west + 0.005, south], [west + 0.005, south + 0.005], [west, south + 0.005], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def store_control_areas() -> list[Probe]:
    probes = []
    for n, (label, owner) in enumerate(every_label_and_owner()):
        marker = marker_for(RecordType.CONTROL_AREA, label, owner)
        actor = Actor.objects.create(name=marker)
        west = -72.4 + n / 100
        area = ControlArea.objects.create(
            actor=actor,
            geometry=square(n),
            display_geometry=square(n),
            min_lon=west,
            min_lat=18.5,
            max_lon=west + 0.005,
            max_lat=18.505,
            area_km2=0.3,
            valid_from=TODAY - timedelta(days=30),
            sensitivity=int(label),
            owner_id=owner,
            natural_key=marker,
        )
        probes.append(Probe(RecordType.CONTROL_AREA, label, owner, marker, area.pk))
    return probes


def store_road_statuses() -> list[Probe]:
    probes = []
    now = timezone.now()
    for n, (label, owner) in enumerate(every_label_and_owner()):
        marker = marker_for(RecordType.ROAD_STATUS, label, owner)
        line = {"type": "LineString", "coordinates": [[-72.3, 18.5 + n / 100], [-72.29, 18.5 + n / 100]]}
        segment = RoadSegment.objects.create(name=marker, geometry=json.dumps(line), length_km=1.0, natural_key=marker)
        status = RoadStatus.objects.create(
            segment=segment,
            status="blocked",
            observed_at=now - timedelta(hours=1),
            expires_at=now + timedelta(days=2),
            sensitivity=int(label),
            owner_id=owner,
        )
        probes.append(Probe(RecordType.ROAD_STATUS, label, owner, marker, status.pk))
    return probes


def store_forces() -> list[Probe]:
    """Movement reports, contingents (named on a public movement each), pledges and authorisations."""
    kenya = make_contributor("KE")
    probes = []
    for n, (label, owner) in enumerate(every_label_and_owner()):
        on = TODAY - timedelta(days=n)
        marker = marker_for(RecordType.MOVEMENT_REPORT, label, owner)
        movement = Movement.objects.create(contributor=kenya, kind=MovementKind.ARRIVAL, date=on, natural_key=marker)
        report = MovementReport.objects.create(
            movement=movement, personnel=10, reported_on=on, preferred=True, note=marker, natural_key=marker,
            sensitivity=int(label), owner_id=owner,
        )  # fmt: skip
        probes.append(Probe(RecordType.MOVEMENT_REPORT, label, owner, marker, report.pk))

        marker = marker_for(RecordType.CONTINGENT, label, owner)
        unit = Contingent.objects.create(contributor=kenya, name=marker, sensitivity=int(label), owner_id=owner)
        carrier = Movement.objects.create(
            contributor=kenya, contingent=unit, kind=MovementKind.ARRIVAL, date=on, natural_key=marker
        )
        MovementReport.objects.create(
            movement=carrier, personnel=1, reported_on=on, preferred=True, natural_key=marker, sensitivity=0
        )
        probes.append(Probe(RecordType.CONTINGENT, label, owner, marker, unit.pk))

        marker = marker_for(RecordType.PLEDGE, label, owner)
        pledge = Pledge.objects.create(contributor=kenya, date=on, personnel=5, sensitivity=int(label), owner_id=owner)
        pledge.sources.add(Source.objects.create(reference=marker))
        probes.append(Probe(RecordType.PLEDGE, label, owner, marker, pledge.pk))

        marker = marker_for(RecordType.AUTHORISATION, label, owner)
        mandate = Authorisation.objects.create(date=on, instrument=marker, sensitivity=int(label), owner_id=owner)
        probes.append(Probe(RecordType.AUTHORISATION, label, owner, marker, mandate.pk))
    return probes


def store_intake() -> list[Probe]:
    """A document per label and owner, each with one candidate that quotes its marker."""
    probes = []
    for label, owner in every_label_and_owner():
        marker = marker_for(RecordType.DOCUMENT, label, owner)
        document = Document.objects.create(
            title=marker, text=marker, content_sha256=marker.ljust(64, "0")[:64], sensitivity=int(label),
            owner_id=owner,
        )  # fmt: skip
        probes.append(Probe(RecordType.DOCUMENT, label, owner, marker, document.pk))
        marker = marker_for(RecordType.CANDIDATE, label, owner)
        candidate = Candidate.objects.create(
            document=document, kind="claim", record={"kind": "claim", "notes": [marker]}, confidence=0.5,
            sensitivity=int(label), owner_id=owner,
        )  # fmt: skip
        probes.append(Probe(RecordType.CANDIDATE, label, owner, marker, candidate.pk))
    return probes


def store_patrols() -> list[Probe]:
    """One patrol per label and owner, its leader the marker, each with one position."""
    probes = []
    for n, (label, owner) in enumerate(every_label_and_owner()):
        marker = marker_for(RecordType.PATROL, label, owner)
        patrol = Patrol.objects.create(
            reference=f"probe-{n}", kind=PatrolKind.FOOT, leader=marker, devices=f"probe-device-{n}",
            sensitivity=int(label), owner_id=owner,
        )  # fmt: skip
        TrackPoint.objects.create(
            patrol=patrol, device=f"probe-device-{n}", time=timezone.now() - timedelta(days=10), lat=18.5, lon=-72.3,
            sensitivity=int(label), owner_id=owner,
        )  # fmt: skip
        probes.append(Probe(RecordType.PATROL, label, owner, marker, patrol.pk))
    return probes


def store_claims() -> list[Probe]:
    """One claim per label and owner, its speaker the marker; all in one ledger group."""
    source = Source.objects.create(reference="https://example.org/probe-claims")
    probes = []
    for n, (label, owner) in enumerate(every_label_and_owner()):
        marker = marker_for(RecordType.CLAIM, label, owner)
        claim = Claim.objects.create(
            metric="killed", value=100 + n, qualifier="gt", period_start=TODAY - timedelta(days=30),
            period_end=TODAY, speaker=marker, source=source, sensitivity=int(label), owner_id=owner,
        )  # fmt: skip
        probes.append(Probe(RecordType.CLAIM, label, owner, marker, claim.pk))
    return probes


@dataclass(frozen=True)
class Seat:
    """A viewer with the clients that speak for them."""

    name: str
    viewer: Viewer
    api: Client
    pages: Client


def organisations() -> None:
    kinds = {
        CONTINGENT: OrganisationKind.CONTINGENT,
        OTHER_CONTINGENT: OrganisationKind.CONTINGENT,
        HEADQUARTERS: OrganisationKind.MISSION,
    }
    for code, kind in kinds.items():
        Organisation.objects.get_or_create(code=code, defaults={"name": code, "kind": kind})


def seats() -> list[Seat]:
    found = []
    for role in Role:
        for where, organisation in MEMBERSHIPS.items():
            name = f"{role.value}-{where.replace(' ', '-')}"
            create_account(name, role, superuser=role is Role.ADMIN)
            user = User.objects.get(username=name)
            if organisation:
                Membership.objects.create(user=user, organisation_id=Organisation.objects.get(code=organisation).pk)
            found.append(Seat(f"{role.value} in {where}", viewer_of(user), token_client(user), session_client(user)))
    return found


Seen = dict[int, Release]
Path = Callable[[Seat, list[Probe]], Seen]


def shown(body: str, probe: Probe, released: bool) -> Release:
    """In full when the marker (a field only a full reader gets) is in the answer; masked when the
    record is there without it; not at all otherwise."""
    if probe.marker in body:
        return Release.FULL
    return Release.MASKED if released else Release.NONE


def text_shows(body: str, probes: list[Probe], identifies: Callable[[Probe], str] | None = None) -> Seen:
    return {probe.pk: shown(body, probe, identifies is not None and identifies(probe) in body) for probe in probes}


def json_items(url: str) -> Path:
    """A JSON list: released when the record's id is among the items."""

    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        response = seat.api.get(url)
        assert response.status_code == 200, (url, seat.name, response.status_code)
        body = response.content.decode()
        ids = {item["id"] for item in response.json()["items"]}
        return {probe.pk: shown(body, probe, probe.pk in ids) for probe in probes}

    return ask


def api_list(url: str) -> Path:
    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        response = seat.api.get(url)
        assert response.status_code == 200, (url, seat.name, response.status_code)
        return text_shows(response.content.decode(), probes)

    return ask


def page(url: str, identifies: Callable[[Probe], str] | None = None) -> Path:
    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        response = seat.pages.get(url)
        assert response.status_code == 200, (url, seat.name, response.status_code)
        return text_shows(response.content.decode(), probes, identifies)

    return ask


def json_items_or_refused(url: str) -> Path:
    """A JSON list a role may be refused whole (403, as patrols are to everyone outside the
    mission's command and analysis roles): then it shows nothing."""

    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        if seat.api.get(url).status_code == 403:
            return {probe.pk: Release.NONE for probe in probes}
        return json_items(url)(seat, probes)

    return ask


def page_or_refused(url: str) -> Path:
    """A page a role may be refused whole (403, as the review queue is to partners): then it shows
    nothing; otherwise what it shows, as ``page``."""

    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        response = seat.pages.get(url)
        if response.status_code == 403:
            return {probe.pk: Release.NONE for probe in probes}
        assert response.status_code == 200, (url, seat.name, response.status_code)
        return text_shows(response.content.decode(), probes)

    return ask


def one_by_one(template: str, client: str = "api", *, names_it: bool = True, refused_ok: bool = False) -> Path:
    """A detail path: 200 when the record is released (with the marker when in full, where the
    answer ``names_it``), 404 alike for hidden and missing. With ``refused_ok``, a 403 (a role
    refused the record type whole, as patrols are outside the mission's command and analysis
    roles) shows nothing too; a track export does not repeat the patrol's details, so its 200 is
    the release (``names_it`` false)."""
    answers = (200, 403, 404) if refused_ok else (200, 404)

    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        seen = {}
        for probe in probes:
            response = getattr(seat, client).get(template.format(pk=probe.pk))
            assert response.status_code in answers, (template, seat.name, response.status_code)
            if response.status_code != 200:
                seen[probe.pk] = Release.NONE
            elif names_it:
                seen[probe.pk] = shown(response.content.decode(), probe, released=True)
            else:
                seen[probe.pk] = Release.FULL
        return seen

    return ask


def streamed(url: str) -> Path:
    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        response = seat.api.get(url)
        assert response.status_code == 200, (url, seat.name)
        body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        return text_shows(body, probes, lambda probe: exported_id(probe.pk))

    return ask


def exported_id(pk: int) -> str:
    return f"probekey-{pk:04d}"


def event_count(seat: Seat, probes: list[Probe]) -> Seen:
    """Statistics cannot name records; they must count exactly the released ones (checked whole)."""
    rows = seat.api.get(f"/api/events/stats?period=all&since={TODAY - timedelta(days=60)}").json()
    total = sum(row["events"] for row in rows)
    expected = {probe.pk: release_of(seat.viewer, probe.record_type, probe.label, probe.owner) for probe in probes}
    assert total == sum(1 for seen in expected.values() if seen is not Release.NONE), (seat.name, total)
    return expected


def event_map(seat: Seat, probes: list[Probe]) -> Seen:
    points = seat.pages.get("/events/map.json?bbox=-73,18,-72,19&zoom=16&show=points").json()
    by_id = {feature["properties"]["id"]: json.dumps(feature) for feature in points["features"]}
    return {probe.pk: shown(by_id.get(probe.pk, ""), probe, probe.pk in by_id) for probe in probes}


def road_statuses(seat: Seat, probes: list[Probe]) -> Seen:
    features = seat.api.get("/api/geo/roads").json()["features"]
    status = {feature["properties"]["name"]: feature["properties"]["status"] for feature in features}
    return {probe.pk: Release.FULL if status[probe.marker] == "blocked" else Release.NONE for probe in probes}


def admin_changelist(model_path: str) -> Path:
    """The admin is the administrators' tool: a changelist answers 200 for them only."""

    def ask(seat: Seat, probes: list[Probe]) -> Seen:
        response = seat.pages.get(f"/admin/{model_path}/")
        if response.status_code != 200:
            return {probe.pk: Release.NONE for probe in probes}
        body = response.content.decode()
        listed = {probe.pk: f"/admin/{model_path}/{probe.pk}/change/" in body for probe in probes}
        return {pk: Release.FULL if present else Release.NONE for pk, present in listed.items()}

    return ask


PATHS: dict[RecordType, dict[str, Path]] = {
    RecordType.EVENT: {
        "API list": json_items(f"/api/events?limit=500&since={TODAY - timedelta(days=60)}"),
        "API detail": one_by_one("/api/events/{pk}"),
        "API merged reports": one_by_one("/api/events/{pk}/reports"),
        "API statistics": event_count,
        "export CSV": streamed("/api/events/export?format=csv"),
        "export GeoJSON": streamed("/api/events/export?format=geojson"),
        "page list": page(f"/events/?since={TODAY - timedelta(days=60)}", lambda probe: f"/events/{probe.pk}/"),
        "page detail": one_by_one("/events/{pk}/", client="pages"),
        "page map": event_map,
        "admin": admin_changelist("incidents/event"),
    },
    RecordType.CONTROL_AREA: {
        "API list": api_list(f"/api/geo/control?date={TODAY}"),
        "API evidence": one_by_one("/api/geo/control/{pk}/evidence", names_it=False),
        "admin": admin_changelist("geo/controlarea"),
    },
    RecordType.ROAD_STATUS: {
        "API roads": road_statuses,
    },
    RecordType.MOVEMENT_REPORT: {
        "API movements": api_list("/api/forces/movements?limit=500"),
        "page force": page("/force/"),
    },
    RecordType.CONTINGENT: {
        "API movements": api_list("/api/forces/movements?limit=500"),
        "page force": page("/force/"),
        "admin": admin_changelist("forces/contingent"),
    },
    RecordType.PLEDGE: {
        "page force": page("/force/"),
        "admin": admin_changelist("forces/pledge"),
    },
    RecordType.AUTHORISATION: {
        "page force": page("/force/"),
        "admin": admin_changelist("forces/authorisation"),
    },
    RecordType.DOCUMENT: {
        "API list": json_items("/api/intake/documents?limit=500"),
        "API detail": one_by_one("/api/intake/documents/{pk}"),
        "admin": admin_changelist("intake/document"),
    },
    RecordType.CLAIM: {
        "API list": json_items("/api/claims?limit=500"),
        "API detail": one_by_one("/api/claims/{pk}"),
        "API ledger": api_list("/api/claims/ledger"),
        "page claims": page("/claims/"),
        "admin": admin_changelist("claims/claim"),
    },
    RecordType.PATROL: {
        "API list": json_items_or_refused("/api/patrols?limit=500"),
        "API detail": one_by_one("/api/patrols/{pk}", refused_ok=True),
        "API track": one_by_one("/api/patrols/{pk}/track", refused_ok=True, names_it=False),
        "API suggestions": one_by_one("/api/patrols/{pk}/suggestions", refused_ok=True, names_it=False),
        "page list": page_or_refused("/patrols/"),
        "page detail": one_by_one("/patrols/{pk}/", refused_ok=True, client="pages"),
        "admin": admin_changelist("patrols/patrol"),
    },
    RecordType.CANDIDATE: {
        "API list": json_items("/api/intake/candidates?limit=500"),
        "API suggestions": one_by_one("/api/intake/candidates/{pk}/suggestions", names_it=False),
        "page queue": page_or_refused("/intake/"),
        "page detail": one_by_one("/intake/candidates/{pk}/", client="pages"),
        "admin": admin_changelist("intake/candidate"),
    },
}


# Paths that show a record's own details, which only a full reader gets: never masked.
FULL_ONLY = {"admin", "API merged reports"}


def expected(seat: Seat, probe: Probe, path: str) -> Release:
    released = release_of(seat.viewer, probe.record_type, probe.label, probe.owner)
    if path == "admin" and seat.viewer.role is not Role.ADMIN:
        return Release.NONE
    if path in FULL_ONLY and released is Release.MASKED:
        return Release.NONE
    return released


def test_every_cell_of_the_access_table_matches_the_policy(areas: None, capsys: pytest.CaptureFixture[str]) -> None:
    organisations()
    actor = Actor.objects.create(name="probe actor")
    probes: dict[RecordType, list[Probe]] = {RecordType.EVENT: store_events(actor)}
    probes[RecordType.CONTROL_AREA] = store_control_areas()
    probes[RecordType.ROAD_STATUS] = store_road_statuses()
    probes[RecordType.CLAIM] = store_claims()
    probes[RecordType.PATROL] = store_patrols()
    for probe in [*store_forces(), *store_intake()]:
        probes.setdefault(probe.record_type, []).append(probe)
    cells, wrong = 0, []
    for seat in seats():
        for record_type, paths in PATHS.items():
            for path, ask in paths.items():
                seen = ask(seat, probes[record_type])
                for probe in probes[record_type]:
                    cells += 1
                    if seen[probe.pk] != expected(seat, probe, path):
                        wrong.append(f"{seat.name} / {path} / {probe.marker}: seen {seen[probe.pk].value}")
    with capsys.disabled():
        print(f"\naccess table: {cells} cells, {cells - len(wrong)} match the policy, {len(wrong)} differ")  # noqa: T201
    assert wrong == [], "\n".join(wrong[:40])
    assert cells == 15 * 15 * sum(len(paths) for paths in PATHS.values())


def test_the_admin_is_for_administrators_even_with_staff_status(alice: User) -> None:
    alice.is_staff = True
    alice.save()
    assert session_client(alice).get("/admin/").status_code == 302


def test_a_reclassified_record_is_hidden_at_the_next_request(alice: User, areas: None) -> None:
    organisations()
    actor = Actor.objects.create(name="probe actor")
    event = store_events(actor)[0]
    client = token_client(alice)
    assert client.get(f"/api/events/{event.pk}").status_code == 200
    Event.objects.filter(pk=event.pk).update(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    assert client.get(f"/api/events/{event.pk}").status_code == 404


def test_moving_an_account_to_another_contingent_applies_at_the_next_request(cora: User, areas: None) -> None:
    organisations()
    membership = Membership.objects.create(user=cora, organisation=Organisation.objects.get(code=CONTINGENT))
    actor = Actor.objects.create(name="probe actor")
    own = next(
        probe
        for probe in store_events(actor)
        if probe.label is Sensitivity.STRICTLY_CONFIDENTIAL and probe.owner == CONTINGENT
    )
    client = token_client(cora)
    assert client.get(f"/api/events/{own.pk}").status_code == 200
    membership.organisation = Organisation.objects.get(code=OTHER_CONTINGENT)
    membership.save()
    assert client.get(f"/api/events/{own.pk}").status_code == 404
