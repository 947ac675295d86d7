"""The sensitivity label as a model field, the same on every record type that carries one."""

from __future__ import annotations

from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity


def sensitivity_field(default: Sensitivity = Sensitivity.CONFIDENTIAL) -> models.PositiveSmallIntegerField[int, int]:
    """Confidential unless the record type says otherwise: sensitive by default."""
    return models.PositiveSmallIntegerField(choices=Sensitivity.choices(), default=int(default))
