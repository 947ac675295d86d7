"""Audit entries cannot be changed or removed, through the ORM or raw SQL, on either database."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from tests.audit.conftest import Log, unprotected
from ulinzi import dbcompat
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import services
from ulinzi.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entry(log: Log) -> AuditEntry:
    services.record(services.operator(), Action.CHANGE, "geo.roadstatus", [7], Sensitivity.CONFIDENTIAL)
    return log.new()[0]


def refused(sql: str, *params: int | str) -> None:
    # A savepoint, so PostgreSQL's aborted statement does not poison the test's transaction.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_orm_cannot_update_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor="someone else")
    entry.actor = "someone else"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor == services.operator().name


def test_the_orm_cannot_delete_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_cannot_update_or_delete_an_entry(entry):
    refused(f"UPDATE {TABLE} SET label = 0 WHERE id = %s", entry.pk)  # noqa: S608  a constant table name
    refused(f"UPDATE {TABLE} SET hash = previous_hash")  # noqa: S608
    refused(f"DELETE FROM {TABLE} WHERE id = %s", entry.pk)  # noqa: S608
    assert AuditEntry.objects.get(pk=entry.pk).label == Sensitivity.CONFIDENTIAL


def test_flushing_the_table_is_refused_and_djangos_flush_leaves_it_alone(entry):
    # DELETE on SQLite, TRUNCATE on PostgreSQL: what `ulinzi manage flush` would send.
    [statement] = connection.ops.sql_flush(no_style(), [TABLE])
    refused(statement)
    assert TABLE not in connection.introspection.django_table_names(only_existing=True)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_new_entries_may_still_be_appended_by_insert(entry):
    services.record(services.operator(), Action.READ, "incidents.event", [1], Sensitivity.CONFIDENTIAL)
    assert services.verify().holds


def test_without_the_triggers_tampering_is_caught_by_the_chain(entry, log):
    services.record(None, Action.READ, "incidents.event", [1], Sensitivity.STRICTLY_CONFIDENTIAL)
    assert services.verify().holds
    with unprotected(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET object_ids = %s WHERE id = %s", ["8", entry.pk])  # noqa: S608
    broken = services.verify().broken
    assert broken is not None
    assert (broken.sequence, broken.reason) == (
        entry.sequence,
        "its fields do not match its hash: the entry or its hash was changed",
    )


def test_the_chain_lock_refuses_to_be_taken_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        dbcompat.lock_audit_chain()
    with transaction.atomic():
        dbcompat.lock_audit_chain()


def test_entries_outlive_a_flush_of_the_database(transactional_db):
    # What runs between transactional tests (and `ulinzi manage flush`) must neither fail on the
    # triggers nor empty the log.
    kept = services.record(services.operator(), Action.EXPORT, "incidents.event", [], Sensitivity.PUBLIC)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    assert services.verify().holds
