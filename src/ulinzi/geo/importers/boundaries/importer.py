"""Write administrative areas in one transaction; re-importing a P-code updates it in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ulinzi.geo.importers.boundaries.features import SCHEMAS, FeatureProgress, load_features
from ulinzi.geo.models import AdminArea
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.sources.models import ImportBatch

KIND = "boundaries"


@dataclass
class BoundariesOutcome:
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    levels: list[int] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)


def import_boundaries(
    path: Path,
    *,
    level: int | None = None,
    skip_invalid: bool = False,
    on_feature: FeatureProgress | None = None,
    schema: str = "cod-ab",
) -> BoundariesOutcome:
    areas, errors = load_features(path, level, on_feature, SCHEMAS[schema])
    if errors and not skip_invalid:
        raise ImportRejected(errors)
    outcome = BoundariesOutcome(file=path.name, rejected=errors)
    outcome.levels = sorted({area.level for area in areas})
    repaired = [area.pcode for area in areas if area.repaired]
    if repaired:
        outcome.notices.append(f"{len(repaired)} invalid polygon(s) repaired: {', '.join(repaired[:10])}")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=KIND,
            file_name=path.name,
            sha256=file_sha256(path),
            rows_read=len(areas) + len(errors),
            rows_rejected=len(errors),
        )
        existing = {area.pcode: area for area in AdminArea.objects.filter(pcode__in=[a.pcode for a in areas])}
        for area in areas:
            values = {
                "level": area.level,
                "parent_pcode": area.parent_pcode,
                "country_code": area.country_code,
                "name_fr": area.name_fr,
                "name_en": area.name_en,
                "name_ht": area.name_ht,
                "geometry": area.geometry,
                "display_geometry": area.display_geometry,
                "min_lon": area.bounds[0],
                "min_lat": area.bounds[1],
                "max_lon": area.bounds[2],
                "max_lat": area.bounds[3],
                "area_km2": area.area_km2,
                "valid_on": area.valid_on,
            }
            current = existing.get(area.pcode)
            if current is None:
                AdminArea.objects.create(pcode=area.pcode, batch=batch, **values)
                outcome.created += 1
            elif any(getattr(current, key) != value for key, value in values.items()):
                AdminArea.objects.filter(pk=current.pk).update(batch=batch, **values)
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_created=outcome.created, rows_updated=outcome.updated, rows_unchanged=outcome.unchanged
        )
    return outcome
