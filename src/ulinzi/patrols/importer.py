"""``import_tracks``: a track file into stored positions, assigned to patrols, areas and H3 cells.

One streaming pass over the file in batches of columns (``columns``): each batch is cleaned
(duplicates, out-of-order fixes and impossible jumps dropped and counted), each kept fix assigned
to the patrol whose device and time window hold it, given its P-codes and H3 cell, and inserted,
all in one transaction; the first bad record raises ``ImportRejected`` naming file, line and
field, and the transaction's rollback leaves nothing written. Memory is bounded by the batch, so a
file of millions of fixes imports like a small one. The same file twice is refused as already
imported, by its SHA-256.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.db import transaction

from ulinzi import dbcompat
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.lookup import h3_cells
from ulinzi.geo.services import admin_index
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.patrols.assign import PatrolWindow, WindowIndex
from ulinzi.patrols.cleaning import CleaningReport, ColumnCleaner
from ulinzi.patrols.columns import DeviceNames, PointColumns
from ulinzi.patrols.models import DEFAULT_LABEL, Patrol, TrackPoint
from ulinzi.patrols.tracks import TrackCounter, TrackFile, TrackSummary
from ulinzi.sources.models import ImportBatch

if TYPE_CHECKING:
    from django.contrib.auth.models import User

KIND = "tracks"
CHUNK = 100_000
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
    track = TrackFile(path, default_device=default_device, max_bytes=max_bytes)
    digest = file_sha256(path)
    if ImportBatch.objects.filter(kind=KIND, sha256=digest).exists():
        raise ImportRejected([RowError(path.name, 1, "file", "this file was imported already (same SHA-256)")])
    patrols = {patrol.pk: patrol.reference for patrol in Patrol.objects.only("pk", "reference")}
    windows = WindowIndex(_windows())
    window_patrols = np.array([*windows.ids, None], dtype=object)  # ordinal -1 picks the None
    devices = DeviceNames()
    cleaner = ColumnCleaner(max_speed_mps=max_speed_mps)
    seen = TrackCounter()
    by_patrol: Counter[int] = Counter()
    stored = 0
    with transaction.atomic():
        # The stored name is the digest: a track file's own name often says which unit and where.
        batch = ImportBatch.objects.create(kind=KIND, file_name=f"tracks-{digest[:12]}", sha256=digest, user=user)
        for columns in track.columns(devices, CHUNK):
            seen.add(columns)
            kept = columns.take(cleaner.keep(columns, devices.names))
            ordinals = windows.ordinals(kept, devices.names)
            patrol_ids = window_patrols[ordinals]
            dbcompat.insert_rows(
                TrackPoint,
                COLUMNS,
                _rows(kept, patrol_ids=patrol_ids, devices=devices, label=label, owner=owner, batch=batch.pk),
            )
            stored += len(kept)
            by_patrol.update(patrol_ids[ordinals >= 0].tolist())
        summary = seen.summary(track, devices)
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_read=summary.points, rows_created=stored, rows_rejected=cleaner.report.total_dropped
        )
    outcome = TracksOutcome(path.name, summary, cleaner.report, stored=stored, unassigned=stored - by_patrol.total())
    for patrol_id, count in by_patrol.items():
        outcome.by_patrol[patrols.get(int(patrol_id), str(patrol_id))] += count
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


def _rows(
    kept: PointColumns,
    *,
    patrol_ids: npt.NDArray[np.object_],
    devices: DeviceNames,
    label: Sensitivity,
    owner: str | None,
    batch: int,
) -> list[tuple[Any, ...]]:
    """Database-ready rows, built column by column: times as naive UTC (``insert_rows`` takes them
    so on every backend), unknown accuracy as NULL."""
    count = len(kept)
    if not count:
        return []
    codes = admin_index().assign(kept.lon, kept.lat).codes
    empty = [""] * count
    levels = [codes[level].tolist() if level in codes else empty for level in (1, 2, 3)]
    names = np.array(devices.names, dtype=object)[kept.device].tolist()
    accuracy = [None if math.isnan(value) else value for value in kept.accuracy.tolist()]
    constant = (int(label), owner, batch)
    return list(
        zip(
            patrol_ids.tolist(),
            names,
            kept.times().tolist(),
            kept.lat.tolist(),
            kept.lon.tolist(),
            accuracy,
            *levels,
            h3_cells(kept.lon, kept.lat),
            *(itertools.repeat(value, count) for value in constant),
            strict=False,
        )
    )
