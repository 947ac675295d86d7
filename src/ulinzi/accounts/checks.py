"""System checks: refuse production with non-durable storage (``manage.py check --deploy``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError

from ulinzi import dbcompat


@register(Tags.database, deploy=True)
def check_durability(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    try:
        problems = dbcompat.durability_problems()
    except DatabaseError as error:
        return [Error(f"cannot read the database's durability settings: {error}", id="ulinzi.E001")]
    return [
        Error(f"database setting {problem}", hint="see docs/operations.md, Durability", id="ulinzi.E002")
        for problem in problems
    ]
