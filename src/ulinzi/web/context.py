"""Navigation for every page: what exists now, and what is coming."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import role_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str | None  # None: a capability that has not landed yet


NAVIGATION = (
    NavItem("Overview", "web:home"),
    NavItem("Force", "forces:page"),
    NavItem("Map", "web:map"),
    NavItem("Events", "web:events"),
    NavItem("Protection", "protection:sgbv"),
    NavItem("Territory & access", None),
    NavItem("Intake", None),
    NavItem("Claims", "claims:ledger"),
    NavItem("Patrols", None),
    NavItem("Reports", None),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = role_of(request.user) if hasattr(request, "user") else None
    return {"navigation": NAVIGATION, "user_role": role, "is_admin_role": role == Role.ADMIN}
