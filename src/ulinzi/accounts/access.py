"""The policy as Django sees it: who the caller is, and query filters built from the policy's answers.

Every queryset an output reads starts from ``readable``; the filter is enumerated from
``policy.may_read`` over each label and owner case, so it says exactly what the policy says.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, Q, QuerySet

from ulinzi.accounts.models import Membership
from ulinzi.accounts.policy import (
    FIXED_LABEL,
    OwnerScope,
    RecordType,
    Viewer,
    masked_labels,
    may_read,
    readable_labels,
)
from ulinzi.accounts.services import role_of

M = TypeVar("M", bound=Model)

NOTHING = Q(pk__in=[])


def viewer_of(user: User | AnonymousUser) -> Viewer:
    """The policy's view of an account: role, organisation, and whether it works mission-wide."""
    role = role_of(user)
    if role is None or isinstance(user, AnonymousUser):
        return Viewer(role=None)
    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    if membership is None:
        return Viewer(role=role)
    organisation = membership.organisation
    return Viewer(
        role=role,
        organisation=organisation.code,
        mission_wide=organisation.mission_wide,
    )


def readable_q(viewer: Viewer, record_type: RecordType, prefix: str = "") -> Q:
    """A filter matching the records of ``record_type`` the viewer may read.

    ``prefix`` reaches the record through a relation (``"contingent__"`` filters movements by their
    contingent's label, say).
    """
    if record_type in FIXED_LABEL:
        return Q() if may_read(viewer, record_type, FIXED_LABEL[record_type]) else NOTHING
    label, owner = f"{prefix}sensitivity", f"{prefix}owner_id"
    by_scope: dict[OwnerScope, list[int]] = {}
    for allowed_label, scope in readable_labels(viewer, record_type):
        by_scope.setdefault(scope, []).append(int(allowed_label))
    found = NOTHING
    for scope, labels in by_scope.items():
        # Labels readable for any owner run from P0 up, so one range test serves the index.
        labelled = (
            Q(**{f"{label}__lte": max(labels)})
            if labels == list(range(max(labels) + 1))
            else Q(**{f"{label}__in": labels})
        )
        if scope is OwnerScope.OWN_OR_MISSION:
            labelled &= Q(**{f"{owner}__isnull": True}) | Q(**{owner: viewer.organisation})
        elif scope is OwnerScope.MISSION:
            labelled &= Q(**{f"{owner}__isnull": True})
        found |= labelled
    return found


def masked_q(viewer: Viewer, record_type: RecordType) -> Q | None:
    """A filter matching the records the viewer sees masked, or None when there are none."""
    labels = masked_labels(viewer, record_type)
    return Q(sensitivity__in=[int(label) for label in labels]) if labels else None


def labels_by_owner_rule(viewer: Viewer, record_type: RecordType) -> tuple[list[int], list[int]]:
    """The labels the viewer counts whoever owns the record (in full or masked), and the labels
    they read only for some owners (need-to-know): a summary kept per label can answer for the
    first, the records themselves must be read for the second."""
    blind: list[int] = []
    scoped: list[int] = []
    for label, scope in readable_labels(viewer, record_type):
        (blind if scope is OwnerScope.ANY else scoped).append(int(label))
    blind += [int(label) for label in masked_labels(viewer, record_type)]
    return sorted(blind), sorted(scoped)


def readable(queryset: QuerySet[M], viewer: Viewer, record_type: RecordType) -> QuerySet[M]:
    return queryset.filter(readable_q(viewer, record_type))
