"""The roles every deployment has from day one, and what each may see.

Roles are Django groups (created by a migration); this module maps a role to its clearance,
the highest sensitivity label its members may read. Framework-free.
"""

from __future__ import annotations

import enum

from ulinzi.accounts.sensitivity import Sensitivity


class Role(enum.StrEnum):
    ADMIN = "admin"
    COMMANDER = "commander"
    ANALYST = "analyst"
    MONITOR = "monitor"
    PARTNER = "partner"


CLEARANCE: dict[Role, Sensitivity] = {
    Role.ADMIN: Sensitivity.CRITICAL,
    Role.COMMANDER: Sensitivity.STRICTLY_CONFIDENTIAL,
    Role.ANALYST: Sensitivity.CONFIDENTIAL,
    Role.MONITOR: Sensitivity.CONFIDENTIAL,
    # Partners get aggregates and published figures only (PRODUCT.md, "partner organisation").
    Role.PARTNER: Sensitivity.INTERNAL,
}


def highest_role(roles: set[Role]) -> Role | None:
    """The role with the widest clearance, so a user in two groups gets the wider one."""
    if not roles:
        return None
    return max(roles, key=lambda role: CLEARANCE[role])
