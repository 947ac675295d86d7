"""Break-glass: past need-to-know with a reason the audit log keeps, never past clearance."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.conftest import token_client
from ulinzi.accounts.models import Organisation, OrganisationKind
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import set_organisation
from ulinzi.audit.models import AuditEntry
from ulinzi.incidents.models import Actor, Event

pytestmark = pytest.mark.django_db

REASON = "hostage negotiation in Delmas needs the other contingent's report"


@pytest.fixture
def salvadoran_event(areas: None) -> Event:
    for code in ("ke-police", "sv-police"):
        Organisation.objects.create(code=code, name=code, kind=OrganisationKind.CONTINGENT)
    return Event.objects.create(
        natural_key="glass:1", event_date=timezone.now().date(), event_type="Battles", sub_event_type="Armed clash",
        actor1=Actor.objects.create(name="Gang A (Haiti)"), latitude=18.52, longitude=-72.38,
        sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL), owner_id="sv-police",
    )  # fmt: skip


def test_a_commander_of_another_contingent_opens_it_only_with_a_reason(cora: User, salvadoran_event: Event):
    set_organisation(cora, "ke-police")
    client = token_client(cora)
    url = f"/api/events/{salvadoran_event.pk}"
    assert client.get(url).status_code == 404
    assert client.get(url, {"reason": "because"}).status_code == 422  # too short to mean anything
    opened = client.get(url, {"reason": REASON})
    assert opened.status_code == 200
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert (entry.actor, entry.action, entry.object_ids, entry.reason) == (
        "cora",
        "read",
        str(salvadoran_event.pk),
        REASON,
    )
    assert '"break_glass":true' in entry.detail


def test_the_glass_does_not_break_past_clearance(alice: User, charlie: User, salvadoran_event: Event):
    for user in (alice, charlie):  # P2 and P1 clearances: a P3 event stays out of reach
        response = token_client(user).get(f"/api/events/{salvadoran_event.pk}", {"reason": REASON})
        assert response.status_code == 404
    assert token_client(alice).get("/api/events/999999", {"reason": REASON}).status_code == 404
