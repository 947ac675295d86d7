"""Writing entries: who is recorded, what is left out, and a failed write failing its request."""

import getpass
import json

import pytest
from django.db import DatabaseError
from django.test import RequestFactory

from tests.audit.conftest import Log
from tests.conftest import token_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import chain, services
from ulinzi.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def test_entries_chain_from_the_last_one(log: Log):
    first = services.record(None, Action.READ, "incidents.event", [1], Sensitivity.CONFIDENTIAL)
    second = services.record(None, Action.READ, "incidents.event", [2], Sensitivity.CONFIDENTIAL)
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.hash
    assert second.hash == chain.entry_hash(second.chained(), first.hash)
    stored = AuditEntry.objects.get(pk=second.pk)
    assert stored.hash == chain.entry_hash(stored.chained(), stored.previous_hash)  # the same after a round trip
    assert services.verify().holds


def test_a_request_records_the_account_its_role_and_the_address(alice, log):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    request.user = alice
    services.record(request, Action.READ, "incidents.event", [5], Sensitivity.CONFIDENTIAL, reason="on duty")
    [entry] = log.new()
    assert (entry.actor, entry.actor_user_id, entry.role, entry.address) == (
        "alice",
        alice.pk,
        "analyst",
        "198.51.100.7",
    )
    assert (entry.action, entry.object_type, entry.object_ids, entry.label, entry.reason) == (
        "read",
        "incidents.event",
        "5",
        2,
        "on duty",
    )


def test_the_name_outlives_the_account(alice, log):
    services.record(alice, Action.CHANGE, "geo.controlarea", [3], Sensitivity.PUBLIC)
    alice.delete()
    [entry] = log.new()
    assert (entry.actor, entry.role) == ("alice", "analyst")
    assert services.verify().holds


def test_the_command_line_is_recorded_as_the_operator(log):
    services.record(services.operator(), Action.EXPORT, "incidents.event", [], Sensitivity.CRITICAL)
    [entry] = log.new()
    assert (entry.actor, entry.actor_user_id, entry.role, entry.address) == (
        f"operator:{getpass.getuser()}",
        None,
        "operator",
        "",
    )


def test_detail_is_canonical_json(log):
    services.record(None, Action.EXPORT, "incidents.event", [], 0, detail={"b": 2, "a": ["é", 1.5]})
    [entry] = log.new()
    assert entry.detail == '{"a":["é",1.5],"b":2}'
    assert json.loads(entry.detail) == {"a": ["é", 1.5], "b": 2}


def test_a_reason_longer_than_the_column_is_refused_not_cut(log):
    with pytest.raises(ValueError, match="at most 500"):
        services.record(None, Action.READ, "incidents.event", [1], 3, reason="x" * 501)
    assert log.new() == []


def test_only_confidential_reads_and_above_are_recorded(log):
    for label in Sensitivity:
        services.record_read(None, "incidents.event", int(label), label)
    assert [entry.label for entry in log.new()] == [2, 3, 4]


def test_the_tail_line_quotes_what_a_person_typed(log):
    services.record(None, Action.READ, "incidents.event", [1, 2], 3, reason="looked\nforged line")
    line = services.one_line(log.new()[0])
    assert "\n" not in line
    assert line.endswith('incidents.event 1,2 P3 {} reason="looked\\nforged line"')


def test_a_failed_audit_write_fails_the_read(alice, events, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(AuditEntry, "save", broken)
    client = token_client(alice)
    with pytest.raises(DatabaseError, match="disk full"):
        client.get(f"/api/events/{events['TST0001'].pk}")
    client.raise_request_exception = False
    assert client.get(f"/api/events/{events['TST0001'].pk}").status_code == 500
    assert client.get(f"/api/events/{events['TST0004'].pk}").status_code == 200  # public: nothing to record
