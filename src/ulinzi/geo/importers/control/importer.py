"""Write control areas in one transaction; a re-imported claim updates its end date and metadata.

A claim drawn on the map (or posted to the API) is one feature through the same parser and the
same writer, in a batch of its own that records who drew it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.importers.control.features import PROPERTIES, ControlFeature, load_control, parse_feature
from ulinzi.geo.models import AdminArea, ControlArea
from ulinzi.importing.errors import FieldError, ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.incidents import services as incident_services
from ulinzi.incidents.actor_store import ActorStore
from ulinzi.incidents.models import Actor, Event
from ulinzi.sources.models import ImportBatch
from ulinzi.sources.services import SourceCache

KIND = "control"
DRAWN = "drawn"  # the batch kind of a claim drawn on the map or posted to the API


@dataclass
class ControlOutcome:
    file: str
    created: int = 0
    updated: int = 0
    notices: list[str] = field(default_factory=list)


def import_control(path: Path, *, default_sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL) -> ControlOutcome:
    """Import every control area of the file, or none if any feature is wrong."""
    features, errors = load_control(path, default_sensitivity, _area_geometry)
    events = _evidence_events(features, Event.objects.all())
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
            if store_feature(feature, batch, actors, events)[1]:
                outcome.created += 1
            else:
                outcome.updated += 1
        ImportBatch.objects.filter(pk=batch.pk).update(rows_created=outcome.created, rows_updated=outcome.updated)
    return outcome


def _area_geometry(pcode: str) -> BaseGeometry | None:
    geometry = AdminArea.objects.filter(pcode=pcode).values_list("geometry", flat=True).first()
    return None if geometry is None else shape(json.loads(geometry))


def _evidence_events(features: list[ControlFeature], candidates: QuerySet[Event]) -> dict[str, int]:
    """Natural key to id of the cited events found among ``candidates``."""
    keys = {key for feature in features for key in feature.evidence}
    return dict(candidates.filter(natural_key__in=keys).values_list("natural_key", "pk")) if keys else {}


def store_feature(
    feature: ControlFeature,
    batch: ImportBatch,
    actors: ActorStore,
    events: dict[str, int],
    owner: str | None = None,
) -> tuple[ControlArea, bool]:
    """Write one parsed claim with its actor, sources and evidence (``events``: natural key to id,
    every key the feature cites); whether it was created. Files and the map's drawing tool both
    write through here, so a claim is stored the same way whatever its origin. ``owner`` is the
    organisation that owns the claim (None: the whole mission)."""
    actor: Actor = actors.get(feature.actor, feature.actor_kind)
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
            "owner_id": owner,
            "batch": batch,
        },
    )
    sources = SourceCache().sources(feature.citations)
    area.sources.set(sources)
    area.evidence.set([events[key] for key in feature.evidence])
    return area, created


ALREADY_STORED = "a claim with this actor, start date and polygon is already stored"


class ClaimExists(ValueError):
    """A drawn claim has the actor, start and polygon of a stored one (its identity): drawing
    creates, it never rewrites a claim, which may be one the caller is not cleared to read."""


def import_drawn(raw: Any, *, by: User | None, viewer: Viewer) -> ControlArea:
    """Store one GeoJSON feature drawn by ``viewer``, after the checks of a file import plus the
    caller's own limits: no unknown property, no label above their clearance, and evidence only
    among the events they may read (so a refusal never reveals a hidden event). The claim belongs
    to the drawer's organisation.
    Raises FieldError or GeometryError naming the property at fault, or ClaimExists."""
    _check_drawn_properties(raw)
    clearance = viewer.clearance
    assert clearance is not None, "only an editor draws"
    feature = parse_feature(1, raw, min(Sensitivity.CONFIDENTIAL, clearance), _area_geometry)
    if feature.sensitivity > clearance:
        raise FieldError(
            "sensitivity",
            f"{feature.sensitivity.code} is above your clearance ({clearance.code}): you could not read it",
        )
    events = _evidence_events([feature], incident_services.visible(viewer))
    unknown = [key for key in feature.evidence if key not in events]
    if unknown:
        raise FieldError("evidence", f"no event you may read has the key {unknown[0]!r}")
    body = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()
    stored = ControlArea.objects.filter(natural_key=feature.key)
    try:
        with transaction.atomic():
            if stored.exists():
                raise ClaimExists(ALREADY_STORED)
            batch = ImportBatch.objects.create(
                kind=DRAWN,
                file_name="drawn on the map or sent to the API",
                sha256=hashlib.sha256(body).hexdigest(),
                rows_read=1,
                rows_created=1,
                user=by,
            )
            return store_feature(feature, batch, ActorStore(), events, owner=viewer.organisation)[0]
    except IntegrityError:
        if stored.exists():  # the same claim drawn twice at once: the other request stored it
            raise ClaimExists(ALREADY_STORED) from None
        raise


def _check_drawn_properties(raw: Any) -> None:
    properties = raw.get("properties") if isinstance(raw, dict) else None
    if not isinstance(properties, dict):
        return  # the parser names it
    unknown = sorted(set(properties) - set(PROPERTIES))
    if unknown:
        raise FieldError(unknown[0], f"not a control-area property; expected: {', '.join(PROPERTIES)}")
    # The parser reads anything but true as false: "yes" or 1 would silently become an assessment.
    if properties.get("illustrative") is not None and not isinstance(properties["illustrative"], bool):
        raise FieldError("illustrative", "must be true or false")
