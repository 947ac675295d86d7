"""Planning a patrol: the rules the API and the planning page share.

Both edges parse their own input (a Ninja schema, a Django form) into a ``Plan``; everything that
needs the caller, the database or more than one field is decided here once, so the page cannot
accept a patrol the API would refuse. Each refusal names its field, so the API can prefix its
message with it and the page can show it beside the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from ulinzi.accounts.policy import RecordType, Viewer, may_change
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import Action
from ulinzi.audit.services import record
from ulinzi.geo.models import AdminArea
from ulinzi.patrols.models import Patrol, PatrolKind, PatrolStatus

OBJECTIVE_MAX = 2000
SIZE_MIN, SIZE_MAX = 1, 5000


class PlanRefused(ValueError):
    """One field of the plan is wrong; ``field`` is the input's name in the API and on the page."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Plan:
    reference: str
    kind: PatrolKind
    label: Sensitivity
    objective: str = ""
    planned_area: str = ""
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    leader: str = ""
    size: int | None = None
    devices: str = ""


def labels_for(viewer: Viewer) -> list[Sensitivity]:
    """The labels this planner may give, so the page offers no label the rule would refuse."""
    return [label for label in Sensitivity if may_change(viewer, RecordType.PATROL, label, None)]


def check(viewer: Viewer, plan: Plan) -> None:
    """Refuse a label above the planner's clearance, an end before the start, or an unknown P-code."""
    allowed = may_change(viewer, RecordType.PATROL, plan.label, None)
    if not allowed:
        raise PlanRefused("sensitivity", allowed.reason)
    if plan.planned_start and plan.planned_end and plan.planned_end < plan.planned_start:
        raise PlanRefused("planned_end", "before planned_start")
    if plan.planned_area and not AdminArea.objects.filter(pcode=plan.planned_area).exists():
        raise PlanRefused("planned_area", f"{plan.planned_area[:20]!r} is not the P-code of a loaded area")


def create(viewer: Viewer, plan: Plan, user: User | None) -> Patrol:
    """Check the plan and store it with its audit entry, or store nothing."""
    check(viewer, plan)
    try:
        with transaction.atomic():
            patrol = Patrol.objects.create(
                reference=plan.reference,
                kind=plan.kind,
                objective=plan.objective,
                planned_area=plan.planned_area,
                planned_start=plan.planned_start,
                planned_end=plan.planned_end,
                leader=plan.leader,
                size=plan.size,
                devices=plan.devices,
                status=PatrolStatus.PLANNED,
                sensitivity=int(plan.label),
                created_by=user,
            )
            record(
                user,
                Action.CHANGE,
                Patrol._meta.label_lower,
                [patrol.pk],
                plan.label,
                detail={"planned": plan.reference},
            )
    except IntegrityError:
        raise PlanRefused("reference", f"{plan.reference!r} is taken") from None
    return patrol
