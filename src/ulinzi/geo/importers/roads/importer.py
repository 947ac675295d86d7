"""Write road pieces in one transaction; a piece already stored (same geometry) is kept."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ulinzi.geo.importers.roads.features import load_lines, split_at_junctions
from ulinzi.geo.models import RoadSegment
from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.files import file_sha256
from ulinzi.sources.models import ImportBatch

KIND = "roads"


@dataclass
class RoadsOutcome:
    file: str
    lines: int
    created: int = 0
    unchanged: int = 0


def import_roads(path: Path) -> RoadsOutcome:
    """Import every road of the file, split at junctions, or nothing if any feature is wrong."""
    lines, errors = load_lines(path)
    if errors:
        raise ImportRejected(errors)
    pieces = split_at_junctions(lines)
    outcome = RoadsOutcome(file=path.name, lines=len(lines))
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=KIND, file_name=path.name, sha256=file_sha256(path), rows_read=len(lines)
        )
        known = set(
            RoadSegment.objects.filter(natural_key__in=[p.key for p in pieces]).values_list("natural_key", flat=True)
        )
        fresh = [piece for piece in {p.key: p for p in pieces}.values() if piece.key not in known]
        RoadSegment.objects.bulk_create(
            [
                RoadSegment(
                    name=piece.name,
                    ref=piece.ref,
                    geometry=json.dumps(piece.geojson),
                    length_km=piece.length_km,
                    natural_key=piece.key,
                    batch=batch,
                )
                for piece in fresh
            ]
        )
        outcome.created, outcome.unchanged = len(fresh), len(pieces) - len(fresh)
        ImportBatch.objects.filter(pk=batch.pk).update(rows_created=outcome.created, rows_unchanged=outcome.unchanged)
    return outcome
