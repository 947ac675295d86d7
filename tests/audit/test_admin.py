"""The audit log in the admin: administrators read it; no one adds, edits or deletes there."""

import pytest

from tests.audit.conftest import Log
from tests.conftest import session_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import services
from ulinzi.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db
LIST = "/admin/audit/auditentry/"


@pytest.fixture
def entry(log: Log) -> AuditEntry:
    services.record(services.operator(), Action.EXPORT, "incidents.event", [], Sensitivity.CRITICAL)
    return log.new()[0]


def test_an_administrator_reads_entries_but_cannot_change_them(admin, entry):
    client = session_client(admin)
    assert client.get(LIST).status_code == 200
    page = client.get(f"{LIST}{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"{LIST}{entry.pk}/change/", {"actor": "x"}).status_code == 403
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).actor == entry.actor


def test_staff_status_without_the_admin_role_does_not_open_the_log(alice, entry):
    alice.is_staff = True
    alice.save()
    client = session_client(alice)
    # The admin site itself refuses a non-administrator: back to the admin's log-in page.
    assert client.get(LIST)["Location"].startswith("/admin/login/")
    assert client.get(f"{LIST}{entry.pk}/change/")["Location"].startswith("/admin/login/")
