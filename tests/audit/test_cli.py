"""`ulinzi audit verify` and `ulinzi audit tail`, run in this process against the test database."""

import pytest
from django.db import connection

from tests.audit.conftest import Log, unprotected
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import chain, services
from ulinzi.audit.models import Action, AuditEntry
from ulinzi.cli import build_parser

pytestmark = pytest.mark.django_db


def ulinzi(*argv: str) -> int:
    args = build_parser().parse_args(["audit", *argv])
    return int(args.handler(args))


def appended(count: int) -> list[AuditEntry]:
    return [
        services.record(services.operator(), Action.READ, "incidents.event", [n], Sensitivity.CONFIDENTIAL)
        for n in range(count)
    ]


def test_verify_exits_0_with_the_count_and_an_anchor_to_keep(log: Log, capsys):
    last = appended(3)[-1]
    assert ulinzi("verify") == 0
    out = capsys.readouterr().out
    assert f"the audit log holds: {last.sequence} entries chained from the first" in out
    assert f"--anchor {last.sequence}:{last.hash}" in out
    assert ulinzi("verify", "--anchor", f"{last.sequence}:{last.hash.upper()}") == 0


def test_verify_exits_1_naming_the_first_broken_entry(log, capsys):
    entries = appended(4)
    with unprotected(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET actor = %s WHERE id = %s", ["someone", entries[1].pk])  # noqa: S608
    assert ulinzi("verify") == 1
    out = capsys.readouterr().out
    assert (
        f"the audit log is broken at entry {entries[1].sequence}: its fields do not match its hash: "
        "the entry or its hash was changed"
    ) in out
    assert f"the {entries[1].sequence - 1} entries before it hold" in out


def test_a_forged_entry_appended_by_insert_is_caught(log, capsys):
    last = appended(1)[-1]
    forged = AuditEntry(at=last.at, actor="mallory", action="read", object_type="x", label=0)
    forged.sequence, forged.previous_hash, forged.hash = last.sequence + 1, last.hash, "0" * 64
    forged.save(force_insert=True)
    assert ulinzi("verify") == 1
    assert f"broken at entry {forged.sequence}:" in capsys.readouterr().out


def test_verify_with_an_anchor_catches_a_rewritten_tail(log, capsys):
    entries = appended(2)
    with unprotected(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])  # noqa: S608
    assert ulinzi("verify") == 0  # cut short at the end: nothing inside the log says so...
    anchor = f"{entries[1].sequence}:{entries[1].hash}"
    assert ulinzi("verify", "--anchor", anchor) == 1  # ...but the hash written down earlier does
    assert f"entry {entries[1].sequence}: the anchor's entry is missing" in capsys.readouterr().out


def test_a_malformed_anchor_is_a_usage_error(db):
    for anchor in ("12", "x:" + "a" * 64, "3:" + "g" * 64, "3:abc"):
        with pytest.raises(SystemExit) as stopped:
            ulinzi("verify", "--anchor", anchor)
        assert stopped.value.code == 2


def test_tail_prints_the_latest_entries_oldest_first(log, capsys):
    entries = appended(3)
    assert ulinzi("tail", "-n", "2") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [str(entries[1].sequence), str(entries[2].sequence)]
    assert lines[0].endswith("(operator) read incidents.event 1 P2 {}")
    assert chain.GENESIS not in "".join(lines)
