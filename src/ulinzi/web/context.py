"""Navigation for every page: what exists now, and what is coming."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from ulinzi.accounts.policy import EDITORS, READERS, RecordType
from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import role_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str | None  # None: a capability that has not landed yet
    roles: frozenset[Role] | None = None  # shown only to these roles; None: to everyone


NAVIGATION = (
    NavItem("Overview", "web:home"),
    NavItem("Force", "forces:page"),
    NavItem("Map", "web:map"),
    NavItem("Events", "web:events"),
    NavItem("Before/after", "insights:before-after"),
    NavItem("Protection", "protection:sgbv"),
    NavItem("Territory & access", None),
    NavItem("Review", "intake:queue", EDITORS[RecordType.CANDIDATE]),
    NavItem("Claims", "claims:ledger"),
    NavItem("Patrols", "patrols:list", READERS[RecordType.PATROL]),
    # Roles that may not read patrols still see where the mission has been: released effort.
    NavItem("Patrol effort", "patrols:effort", frozenset(Role) - READERS[RecordType.PATROL]),
    NavItem("Reports", "reports:index"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = role_of(request.user) if hasattr(request, "user") else None
    shown = tuple(item for item in NAVIGATION if item.roles is None or role in item.roles)
    return {"navigation": shown, "user_role": role, "is_admin_role": role == Role.ADMIN}
