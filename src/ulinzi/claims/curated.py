"""Curated claims from a small CSV (the demo's), one claim a row, each with its source.

Columns: metric, value, qualifier, unit, area (a P-code), area_name, from, to, actor, speaker,
source, quote, sensitivity. Loading twice adds nothing; a bad row rejects the whole file, naming
its line and field.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.services import Origin
from ulinzi.claims import ledger, services
from ulinzi.claims.models import Claim
from ulinzi.geo.models import AdminArea
from ulinzi.importing.errors import ImportRejected, RowError


@dataclass(frozen=True)
class Loaded:
    created: int
    unchanged: int


def load_claims(path: Path, by: Origin) -> Loaded:
    created = unchanged = 0
    with path.open(newline="", encoding="utf-8") as handle, transaction.atomic():
        reader = csv.DictReader(handle)
        for row in reader:
            line = reader.line_num
            try:
                new = _new_claim(row)
            except ledger.InvalidFigure as error:
                raise ImportRejected([RowError(path.name, line, error.field, error.reason)]) from None
            except ValueError as error:  # a label Sensitivity.parse refused
                raise ImportRejected([RowError(path.name, line, "sensitivity", str(error))]) from None
            if _stored(new):
                unchanged += 1
                continue
            try:
                services.create_claim(Viewer.operator(), new, by=by)
            except services.ClaimRefused as refused:
                raise ImportRejected([RowError(path.name, line, refused.field, refused.reason)]) from None
            created += 1
    return Loaded(created, unchanged)


def _new_claim(row: dict[str, str]) -> services.NewClaim:
    end = ledger.When.parse(row["to"], "to")
    qualifier = row["qualifier"].strip() or None
    try:
        value = float(row["value"])
    except ValueError:
        raise ledger.InvalidFigure("value", f"{row['value']!r} is not a number") from None
    ledger.check(row["metric"], value, qualifier)
    area = row["area"].strip()
    return services.NewClaim(
        metric=row["metric"],
        value=value,
        qualifier=ledger.qualifier_of(qualifier),
        unit=row["unit"],
        source=row["source"],
        start=ledger.When.parse(row["from"], "from") if row["from"].strip() else end,
        end=end,
        # A demo without boundaries still gets its claims, placed by name only.
        area=area if area and AdminArea.objects.filter(pcode=area).exists() else "",
        area_name=row["area_name"],
        actor=row["actor"],
        speaker=row["speaker"],
        quote=row["quote"],
        sensitivity=Sensitivity.parse(row["sensitivity"] or "P2"),
    )


def _stored(new: services.NewClaim) -> bool:
    return Claim.objects.filter(
        metric=new.metric,
        value=new.value,
        qualifier=new.qualifier or "",
        source__reference=new.source.strip(),
        period_start=new.start.day,
        period_end=new.end.day,
        area_name=new.area_name.strip(),
    ).exists()
