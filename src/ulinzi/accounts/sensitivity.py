"""Sensitivity labels carried by every record (docs/security.md, "Labels").

Framework-free so importers and pure code can speak about labels without Django.
"""

from __future__ import annotations

import enum


class Sensitivity(enum.IntEnum):
    """P0 public to P4 critical; a user sees a record when their clearance is at least its label."""

    PUBLIC = 0
    INTERNAL = 1
    CONFIDENTIAL = 2
    STRICTLY_CONFIDENTIAL = 3
    CRITICAL = 4

    @property
    def code(self) -> str:
        return f"P{self.value}"

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").lower()

    @classmethod
    def parse(cls, text: str) -> Sensitivity:
        """Accept ``P2``, ``p2``, ``2`` or ``confidential``; raise ValueError otherwise."""
        cleaned = text.strip().lower().replace(" ", "_")
        if cleaned.startswith("p"):
            cleaned = cleaned[1:]
        if cleaned.isdigit() and int(cleaned) in cls._value2member_map_:
            return cls(int(cleaned))
        for member in cls:
            if member.name.lower() == cleaned:
                return member
        raise ValueError(f"{text!r} is not a sensitivity label (P0 to P4)")

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        return [(member.value, f"{member.code} {member.title}") for member in cls]
