"""Write gazetteer places in one transaction; re-importing a place replaces its names and point."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction

from ulinzi.geo.importers.gazetteer.rows import PlaceRecord, detect_layout, read_places
from ulinzi.geo.models import AdminArea, Place, PlaceName
from ulinzi.geo.services import admin_index
from ulinzi.importing.csvrows import CsvSource
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.sources.models import ImportBatch

KIND = "gazetteer"


@dataclass
class GazetteerOutcome:
    file: str
    layout: str
    created: int = 0
    updated: int = 0
    notices: list[str] = field(default_factory=list)


def import_gazetteer(path: Path) -> GazetteerOutcome:
    """Import every place of the file, or none if any row is wrong."""
    with CsvSource(path) as source:
        layout = detect_layout(source)
        records: list[PlaceRecord] = []
        errors: list[RowError] = []
        for item in read_places(source, layout):
            if isinstance(item, RowError):
                errors.append(item)
            else:
                records.append(item)
        errors += _unknown_within(source.name, records)
        if errors:
            raise ImportRejected(errors)
        outcome = GazetteerOutcome(file=source.name, layout=layout.name)
        chains = _chains(records)
        unplaced = [r.name for r, chain in zip(records, chains, strict=True) if not chain]
        if unplaced:
            outcome.notices.append(f"{len(unplaced)} place(s) outside every loaded area: {', '.join(unplaced[:10])}")
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=KIND,
                file_name=source.name,
                sha256=file_sha256(path),
                rows_read=len(records),
            )
            for record, chain in zip(records, chains, strict=True):
                created = _store(record, chain, batch)
                outcome.created += created
                outcome.updated += not created
            ImportBatch.objects.filter(pk=batch.pk).update(rows_created=outcome.created, rows_updated=outcome.updated)
    return outcome


def _unknown_within(file_name: str, records: list[PlaceRecord]) -> list[RowError]:
    wanted = {r.admin_chain[0] for r in records if r.kind != "admin" and r.admin_chain}
    known = set(AdminArea.objects.filter(pcode__in=wanted).values_list("pcode", flat=True))
    return [
        RowError(file_name, r.line, "within", f"{r.admin_chain[0]!r} is not a loaded area")
        for r in records
        if r.kind != "admin" and r.admin_chain and r.admin_chain[0] not in known
    ]


def _chains(records: list[PlaceRecord]) -> list[tuple[str, ...]]:
    """Admin units come with their chain; other places get theirs from where their point falls."""
    located = [r for r in records if r.kind != "admin"]
    found: dict[int, tuple[str, ...]] = {}
    if located:
        index = admin_index()
        assignment = index.assign(np.array([r.lon for r in located]), np.array([r.lat for r in located]))
        for position, record in enumerate(located):
            codes = assignment.at(position)
            found[record.line] = tuple(codes[level] for level in sorted(codes, reverse=True)) or record.admin_chain
    return [record.admin_chain if record.kind == "admin" else found[record.line] for record in records]


def _store(record: PlaceRecord, chain: tuple[str, ...], batch: ImportBatch) -> bool:
    place, created = Place.objects.update_or_create(
        natural_key=record.key,
        defaults={
            "name": record.name,
            "kind": record.kind,
            "pcode": record.pcode,
            "admin_chain": ",".join(chain),
            "lon": record.lon,
            "lat": record.lat,
            "precision": record.precision,
            "source": record.source[:500],
            "batch": batch,
        },
    )
    place.names.all().delete()
    PlaceName.objects.bulk_create(
        [
            PlaceName(place=place, name=name, language=language, official=position == 0 or record.kind == "admin")
            for position, (language, name) in enumerate(dict.fromkeys(record.names))
        ]
    )
    return created
