"""Write control areas in one transaction; a re-imported claim updates its end date and metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.importers.control.features import ControlFeature, load_control
from ulinzi.geo.models import AdminArea, ControlArea
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.incidents.actor_store import ActorStore
from ulinzi.incidents.models import Actor, Event
from ulinzi.sources.models import ImportBatch
from ulinzi.sources.services import SourceCache

KIND = "control"


@dataclass
class ControlOutcome:
    file: str
    created: int = 0
    updated: int = 0
    notices: list[str] = field(default_factory=list)


def import_control(path: Path, *, default_sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL) -> ControlOutcome:
    """Import every control area of the file, or none if any feature is wrong."""
    features, errors = load_control(path, default_sensitivity, _area_geometry)
    events = _evidence_events(features)
    errors.extend(
        RowError(path.name, feature.feature, "evidence", f"no stored event has the key {key!r}")
        for feature in features
        for key in feature.evidence
        if key not in events
    )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda error: error.line))
    outcome = ControlOutcome(file=path.name)
    repaired = [str(f.feature) for f in features if f.area.repaired]
    if repaired:
        outcome.notices.append(f"{len(repaired)} invalid polygon(s) repaired: feature {', '.join(repaired[:10])}")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=KIND,
            file_name=path.name,
            sha256=file_sha256(path),
            rows_read=len(features),
        )
        actors = ActorStore()
        for feature in features:
            if _store(feature, batch, actors.get(feature.actor, feature.actor_kind), events):
                outcome.created += 1
            else:
                outcome.updated += 1
        ImportBatch.objects.filter(pk=batch.pk).update(rows_created=outcome.created, rows_updated=outcome.updated)
    return outcome


def _area_geometry(pcode: str) -> BaseGeometry | None:
    geometry = AdminArea.objects.filter(pcode=pcode).values_list("geometry", flat=True).first()
    return None if geometry is None else shape(json.loads(geometry))


def _evidence_events(features: list[ControlFeature]) -> dict[str, int]:
    keys = {key for feature in features for key in feature.evidence}
    return dict(Event.objects.filter(natural_key__in=keys).values_list("natural_key", "pk")) if keys else {}


def _store(feature: ControlFeature, batch: ImportBatch, actor: Actor, events: dict[str, int]) -> bool:
    west, south, east, north = feature.area.bounds
    area, created = ControlArea.objects.update_or_create(
        natural_key=feature.key,
        defaults={
            "actor": actor,
            "geometry": feature.area.geojson,
            "display_geometry": feature.area.display_geojson,
            "min_lon": west,
            "min_lat": south,
            "max_lon": east,
            "max_lat": north,
            "area_km2": feature.area.area_km2,
            "valid_from": feature.valid_from,
            "valid_to": feature.valid_to,
            "confidence": feature.confidence,
            "illustrative": feature.illustrative,
            "description": feature.description,
            "sensitivity": int(feature.sensitivity),
            "batch": batch,
        },
    )
    sources = SourceCache().sources(feature.citations)
    area.sources.set(sources)
    area.evidence.set([events[key] for key in feature.evidence])
    return created
