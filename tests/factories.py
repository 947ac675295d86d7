"""Factories with sensible defaults; a test overrides only what it asserts on."""

from __future__ import annotations

import uuid
from datetime import date

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.models import Contributor, Movement, MovementKind, MovementReport
from ulinzi.sources.models import Source

COUNTRIES = {"KE": ("KEN", "Kenya"), "JM": ("JAM", "Jamaica"), "GT": ("GTM", "Guatemala")}


def make_contributor(iso2: str = "KE") -> Contributor:
    iso3, name = COUNTRIES[iso2]
    contributor, _ = Contributor.objects.get_or_create(iso2=iso2, defaults={"iso3": iso3, "name": name})
    return contributor


def make_movement(
    *,
    iso2: str = "KE",
    on: date = date(2024, 6, 25),
    personnel: int = 100,
    kind: str = MovementKind.ARRIVAL,
    sensitivity: Sensitivity = Sensitivity.PUBLIC,
    note: str = "",
    source: str = "https://example.org/report",
) -> MovementReport:
    movement = Movement.objects.create(
        contributor=make_contributor(iso2), kind=kind, date=on, natural_key=uuid.uuid4().hex
    )
    report = MovementReport.objects.create(
        movement=movement,
        personnel=personnel,
        reported_on=on,
        preferred=True,
        sensitivity=int(sensitivity),
        note=note,
        natural_key=uuid.uuid4().hex,
    )
    report.sources.add(Source.objects.get_or_create(reference=source)[0])
    return report
