"""The sensitivity label and the owning organisation as model fields, the same on every record
type that carries them."""

from __future__ import annotations

from typing import Any

from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity


def sensitivity_field(default: Sensitivity = Sensitivity.CONFIDENTIAL) -> models.PositiveSmallIntegerField[int, int]:
    """Confidential unless the record type says otherwise: sensitive by default."""
    return models.PositiveSmallIntegerField(choices=Sensitivity.choices(), default=int(default))


def owner_field() -> models.ForeignKey[Any, Any]:
    """The organisation that owns the record; empty means the whole mission.

    Keyed by the organisation's code so need-to-know filters compare a column, without a join.
    """
    return models.ForeignKey(
        "accounts.Organisation",
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # asked only together with the label, and an index slows every import
        help_text="the contingent or organisation that owns this record; empty for the whole mission",
    )
