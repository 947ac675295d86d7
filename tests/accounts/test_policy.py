"""The policy's rules, one by one, in the words docs/security.md uses for them."""

import pytest

from ulinzi.accounts.policy import (
    Action,
    OwnerScope,
    RecordType,
    Viewer,
    may,
    may_administer,
    may_break_glass,
    may_change,
    may_read,
    readable_labels,
)
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity as S  # noqa: N817  the tables below read better

KENYA, SALVADOR = "ke-police", "sv-police"


def test_an_account_without_a_role_reads_nothing() -> None:
    nobody = Viewer(role=None)
    assert not may_read(nobody, RecordType.EVENT, S.PUBLIC)
    assert not may_read(nobody, RecordType.ACTOR, S.PUBLIC)
    assert may_read(nobody, RecordType.EVENT, S.PUBLIC).reason == "the account has no role"


@pytest.mark.parametrize(
    ("role", "highest"),
    [(Role.PARTNER, S.INTERNAL), (Role.ANALYST, S.CONFIDENTIAL), (Role.COMMANDER, S.STRICTLY_CONFIDENTIAL)],
)
def test_a_role_reads_up_to_its_clearance(role: Role, highest: S) -> None:
    viewer = Viewer(role=role, organisation=KENYA)
    assert [label for label in S if may_read(viewer, RecordType.EVENT, label)] == [s for s in S if s <= highest]


def test_need_to_know_keeps_a_contingents_strictly_confidential_records_to_itself() -> None:
    kenyan = Viewer(role=Role.COMMANDER, organisation=KENYA)
    assert may_read(kenyan, RecordType.EVENT, S.STRICTLY_CONFIDENTIAL, owner=KENYA)
    assert may_read(kenyan, RecordType.EVENT, S.STRICTLY_CONFIDENTIAL, owner=None)
    refused = may_read(kenyan, RecordType.EVENT, S.STRICTLY_CONFIDENTIAL, owner=SALVADOR)
    assert not refused
    assert "need to know" in refused.reason
    # Below the need-to-know label, the owner does not matter.
    assert may_read(kenyan, RecordType.EVENT, S.CONFIDENTIAL, owner=SALVADOR)


def test_headquarters_and_administrators_read_every_owner() -> None:
    headquarters = Viewer(role=Role.COMMANDER, organisation="mss-hq", mission_wide=True)
    assert may_read(headquarters, RecordType.EVENT, S.STRICTLY_CONFIDENTIAL, owner=SALVADOR)
    assert may_read(Viewer(role=Role.ADMIN), RecordType.EVENT, S.CRITICAL, owner=SALVADOR)


def test_the_audit_log_and_tokens_are_for_administrators_whatever_the_clearance() -> None:
    commander = Viewer(role=Role.COMMANDER, mission_wide=True)
    assert not may_read(commander, RecordType.AUDIT_ENTRY, S.STRICTLY_CONFIDENTIAL)
    assert may_read(Viewer(role=Role.ADMIN), RecordType.AUDIT_ENTRY, S.STRICTLY_CONFIDENTIAL)
    assert not may_read(commander, RecordType.API_TOKEN, S.CRITICAL)


def test_changing_takes_an_editing_role_and_a_label_within_clearance() -> None:
    analyst = Viewer(role=Role.ANALYST)
    assert may_change(analyst, RecordType.EVENT, S.CONFIDENTIAL)
    assert not may_change(Viewer(role=Role.COMMANDER), RecordType.EVENT, S.PUBLIC)
    assert not may_change(analyst, RecordType.EVENT, S.CONFIDENTIAL, new_label=S.STRICTLY_CONFIDENTIAL)
    # force records change by import, or by an analyst accepting a reviewed deployment
    assert may_change(analyst, RecordType.PLEDGE, S.PUBLIC)
    assert not may_change(Viewer(role=Role.MONITOR), RecordType.PLEDGE, S.PUBLIC)
    assert not may_change(Viewer(role=Role.COMMANDER), RecordType.MOVEMENT_REPORT, S.PUBLIC)
    assert may(analyst, Action.CHANGE, RecordType.ROAD_STATUS, S.INTERNAL)
    assert not may(Viewer(role=Role.PARTNER), Action.CHANGE, RecordType.ROAD_STATUS, S.INTERNAL)


def test_an_operator_export_is_capped_at_the_asked_clearance() -> None:
    operator = Viewer.operator(S.INTERNAL)
    assert may_read(operator, RecordType.EVENT, S.INTERNAL)
    assert not may_read(operator, RecordType.EVENT, S.CONFIDENTIAL)


def test_only_administrators_use_the_admin() -> None:
    assert may_administer(Viewer(role=Role.ADMIN))
    assert not may_administer(Viewer(role=Role.COMMANDER, mission_wide=True))


def test_readable_labels_give_the_owner_scope_of_each_label() -> None:
    kenyan = Viewer(role=Role.COMMANDER, organisation=KENYA)
    assert list(readable_labels(kenyan, RecordType.EVENT)) == [
        (S.PUBLIC, OwnerScope.ANY),
        (S.INTERNAL, OwnerScope.ANY),
        (S.CONFIDENTIAL, OwnerScope.ANY),
        (S.STRICTLY_CONFIDENTIAL, OwnerScope.OWN_OR_MISSION),
    ]
    unattached = Viewer(role=Role.COMMANDER)
    assert list(readable_labels(unattached, RecordType.EVENT))[-1] == (S.STRICTLY_CONFIDENTIAL, OwnerScope.MISSION)


def test_break_glass_passes_need_to_know_but_never_clearance() -> None:
    kenyan = Viewer(role=Role.COMMANDER, organisation=KENYA)
    assert may_break_glass(kenyan, RecordType.EVENT, S.STRICTLY_CONFIDENTIAL, owner=SALVADOR)
    assert not may_break_glass(kenyan, RecordType.EVENT, S.CRITICAL, owner=SALVADOR)
    assert not may_break_glass(kenyan, RecordType.EVENT, S.STRICTLY_CONFIDENTIAL, owner=KENYA)  # no glass to break
    assert not may_break_glass(
        Viewer(role=Role.ANALYST, organisation=KENYA), RecordType.EVENT, S.STRICTLY_CONFIDENTIAL, owner=SALVADOR
    )
    assert not may_break_glass(kenyan, RecordType.AUDIT_ENTRY, S.STRICTLY_CONFIDENTIAL, owner=None)
