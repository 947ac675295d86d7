"""``import_tracks``: a track file into stored positions, assigned to patrols, areas and H3 cells.

Two passes over the file, both streaming: the first (``check_file``) reads every record and
stops at the first bad one, so a corrupt file is one precise message and nothing written; the
second cleans (duplicates, out-of-order fixes and impossible jumps dropped and counted), assigns
each kept point to the patrol whose device and time window hold it, looks up its P-codes and H3
cell in chunks, and inserts the chunk, all in one transaction. The same file twice is refused
as already imported, by its SHA-256.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import transaction

from ulinzi import dbcompat
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.lookup import h3_cells
from ulinzi.geo.services import admin_index
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.patrols.assign import PatrolWindow, assign
from ulinzi.patrols.cleaning import CleaningReport, clean
from ulinzi.patrols.models import DEFAULT_LABEL, Patrol, TrackPoint
from ulinzi.patrols.points import TrackPoint as Fix
from ulinzi.patrols.tracks import TrackFile, TrackSummary, check_file
from ulinzi.sources.models import ImportBatch

if TYPE_CHECKING:
    from django.contrib.auth.models import User

KIND = "tracks"
CHUNK = 50_000
COLUMNS = (
    "patrol_id",
    "device",
    "time",
    "lat",
    "lon",
    "accuracy_m",
    "adm1_pcode",
    "adm2_pcode",
    "adm3_pcode",
    "h3_cell",
    "sensitivity",
    "owner_id",
    "batch_id",
)


@dataclass
class TracksOutcome:
    file: str
    summary: TrackSummary
    cleaning: CleaningReport
    stored: int = 0
    by_patrol: Counter[str] = field(default_factory=Counter)
    unassigned: int = 0


def import_tracks(
    path: Path,
    *,
    default_device: str | None = None,
    label: Sensitivity = DEFAULT_LABEL,
    owner: str | None = None,
    max_speed_mps: float = 55.0,
    max_bytes: int | None = None,
    user: User | None = None,
) -> TracksOutcome:
    """Store the file's positions; ``ImportRejected`` naming file, line and field, nothing written."""
    summary = check_file(path, default_device=default_device, max_bytes=max_bytes)
    digest = file_sha256(path)
    if ImportBatch.objects.filter(kind=KIND, sha256=digest).exists():
        raise ImportRejected([RowError(path.name, 1, "file", "this file was imported already (same SHA-256)")])
    patrols = {patrol.pk: patrol.reference for patrol in Patrol.objects.only("pk", "reference")}
    windows = list(_windows())
    points, report = clean(
        TrackFile(path, default_device=default_device, max_bytes=max_bytes).points(), max_speed_mps=max_speed_mps
    )
    outcome = TracksOutcome(path.name, summary, report)
    with transaction.atomic():
        # The stored name is the digest: a track file's own name often says which unit and where.
        batch = ImportBatch.objects.create(kind=KIND, file_name=f"tracks-{digest[:12]}", sha256=digest, user=user)
        for chunk in _chunks(assign(points, windows)):
            rows = _rows(chunk, label=label, owner=owner, batch=batch.pk)
            dbcompat.insert_rows(TrackPoint, COLUMNS, rows)
            outcome.stored += len(rows)
            for _, patrol_id in chunk:
                if patrol_id is None:
                    outcome.unassigned += 1
                else:
                    outcome.by_patrol[patrols.get(int(patrol_id), str(patrol_id))] += 1
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_read=summary.points, rows_created=outcome.stored, rows_rejected=report.total_dropped
        )
    return outcome


def _windows() -> Iterator[PatrolWindow]:
    """Each device of each patrol over the patrol's actual times, or its planned ones until it ran."""
    for patrol in Patrol.objects.exclude(devices=""):
        start = patrol.actual_start or patrol.planned_start
        end = patrol.actual_end or patrol.planned_end
        if start is None or end is None:
            continue
        for device in patrol.device_list:
            yield PatrolWindow(patrol.pk, device, start, end)


def _chunks(assigned: Iterable[tuple[Fix, Any]]) -> Iterator[list[tuple[Fix, Any]]]:
    iterator = iter(assigned)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


def _rows(chunk: list[tuple[Fix, Any]], *, label: Sensitivity, owner: str | None, batch: int) -> list[tuple[Any, ...]]:
    lons = np.fromiter((point.lon for point, _ in chunk), dtype=np.float64, count=len(chunk))
    lats = np.fromiter((point.lat for point, _ in chunk), dtype=np.float64, count=len(chunk))
    codes = admin_index().assign(lons, lats).codes if chunk else {}
    cells = h3_cells(lons, lats)
    levels = {level: codes.get(level) for level in (1, 2, 3)}
    rows = []
    for index, (point, patrol_id) in enumerate(chunk):
        rows.append(
            (
                patrol_id,
                point.device,
                point.time,
                point.lat,
                point.lon,
                point.accuracy_m,
                *(str(found[index]) if found is not None else "" for found in levels.values()),
                int(cells[index]),
                int(label),
                owner,
                batch,
            )
        )
    return rows
