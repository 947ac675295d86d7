"""Patrols and their effort as each reader may see them.

Two kinds of reader (``accounts.policy``): the mission's command and analysis roles read patrols
and every position (``PATROL``, ``TRACK_POINT``); everyone else with a role may read only
``PATROL_EFFORT``, which is what ``released_effort`` computes: hours and kilometres per commune
and ISO week, from positions older than ``ULINZI_PATROL_RELEASE_DELAY_HOURS`` and never from a
critical (P4) patrol. No other function here answers a reader without track access.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

import numpy as np
from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from ulinzi.accounts.access import readable_q
from ulinzi.accounts.policy import FIXED_LABEL, RecordType, Viewer, may_read
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.incidents.services import released
from ulinzi.patrols.effort import CAVEAT, CoverageGap, Effort, Period, TrackColumns, coverage_gaps, effort_by
from ulinzi.patrols.models import DEFAULT_LABEL, Patrol, TrackPoint

AreaLevel = Literal["department", "commune", "section"]
AREA_COLUMN = {"department": "adm1_pcode", "commune": "adm2_pcode", "section": "adm3_pcode"}
RELEASED_UP_TO = Sensitivity.STRICTLY_CONFIDENTIAL  # a critical patrol counts in no released figure


class NotPermitted(PermissionError):
    """The reader may not have this at all (not merely an empty answer)."""


@dataclass(frozen=True)
class EffortAnswer:
    effort: Effort
    released: bool  # computed under the partner rule: communes, weeks, delayed
    until: datetime  # positions after this are not counted
    caveat: str = CAVEAT


def sees_tracks(viewer: Viewer) -> bool:
    """Whether the reader gets positions: a role the policy lets read tracks at their default label."""
    return bool(may_read(viewer, RecordType.TRACK_POINT, DEFAULT_LABEL))


def patrols(viewer: Viewer) -> QuerySet[Patrol]:
    return Patrol.objects.filter(readable_q(viewer, RecordType.PATROL))


def points(viewer: Viewer) -> QuerySet[TrackPoint]:
    return TrackPoint.objects.filter(readable_q(viewer, RecordType.TRACK_POINT))


def track(viewer: Viewer, patrol: Patrol) -> QuerySet[TrackPoint]:
    return points(viewer).filter(patrol=patrol).order_by("time")


def summary(viewer: Viewer, patrol: Patrol) -> dict[str, Any]:
    """Points, first and last fix, hours and km of one patrol's track as this reader sees it,
    from one read of the track."""
    rows = list(track(viewer, patrol).values_list("patrol_id", "time", "lat", "lon"))
    columns = _columns_of(rows)
    effort = effort_by(np.zeros(len(rows), dtype=np.int64), None, columns, period="week")
    totals = list(effort.by_area.values())
    return {
        "points": len(rows),
        "first": rows[0][1] if rows else None,
        "last": rows[-1][1] if rows else None,
        "hours": round(sum(t.hours for t in totals), 2),
        "km": round(sum(t.km for t in totals), 2),
    }


@dataclass(frozen=True)
class TrackSize:
    points: int
    hours: float


def track_sizes(viewer: Viewer, patrol_ids: list[int]) -> dict[int, TrackSize]:
    """Points and hours of several patrols' tracks from one read, for a page of the patrol list."""
    found = points(viewer).filter(patrol_id__in=patrol_ids).order_by("patrol_id", "time")
    rows = list(found.values_list("patrol_id", "time", "lat", "lon"))
    columns = _columns_of(rows)
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    hours = effort_by(ids, None, columns, period="week").hours_by_area()
    counted = Counter(int(row[0]) for row in rows)
    return {pk: TrackSize(counted.get(pk, 0), round(hours.get(pk, 0.0), 2)) for pk in patrol_ids}


def effort(
    viewer: Viewer,
    *,
    level: AreaLevel = "commune",
    period: Period = "week",
    start: date | None = None,
    end: date | None = None,
    with_cells: bool = False,
    now: datetime | None = None,
) -> EffortAnswer:
    """Effort for a track reader as asked; for anyone else, the released figure or NotPermitted."""
    now = now or timezone.now()
    if sees_tracks(viewer):
        found = points(viewer).filter(patrol__isnull=False)
        until = now
    elif may_read(viewer, RecordType.PATROL_EFFORT, FIXED_LABEL[RecordType.PATROL_EFFORT]):
        if level != "commune" or period != "week" or with_cells:
            raise NotPermitted("effort is released per commune and week only")
        until = now - timedelta(hours=settings.PATROL_RELEASE_DELAY_HOURS)
        found = TrackPoint.objects.filter(patrol__isnull=False, sensitivity__lte=int(RELEASED_UP_TO), time__lt=until)
    else:
        raise NotPermitted("patrol effort is not released to this role")
    if start is not None:
        found = found.filter(time__date__gte=start)
    if end is not None:
        found = found.filter(time__date__lte=end)
    column = AREA_COLUMN[level]
    rows = list(found.order_by("patrol_id", "time").values_list("patrol_id", "time", "lat", "lon", column, "h3_cell"))
    columns = _columns_of(rows)
    areas = np.array([row[4] for row in rows], dtype=np.str_)
    cells = np.array([row[5] or 0 for row in rows], dtype=np.int64) if with_cells else None
    return EffortAnswer(effort_by(areas, cells, columns, period=period), released=not sees_tracks(viewer), until=until)


def gaps(viewer: Viewer, *, days: int = 30, min_hours: float = 0.0, now: datetime | None = None) -> list[CoverageGap]:
    """Hotspots (H3 cells with events the reader may see in the last ``days``) that patrols
    reached for less than ``min_hours``: track readers only, since a gap is a patrol pattern."""
    if not sees_tracks(viewer):
        raise NotPermitted("coverage gaps show where patrols do not go")
    now = now or timezone.now()
    since = now - timedelta(days=days)
    hotspots = {
        int(cell)
        for cell in released(viewer)
        .filter(event_date__gte=since.date(), h3_cell__isnull=False)
        .values_list("h3_cell", flat=True)
        .distinct()
        if cell is not None
    }
    answer = effort(viewer, period="week", start=since.date(), with_cells=True, now=now)
    return coverage_gaps(hotspots, answer.effort.hours_by_cell(), min_hours)


def incidents_per_hour(
    viewer: Viewer, *, start: date, end: date, now: datetime | None = None
) -> dict[str, float | None]:
    """Events per patrol-hour per commune over the dates: track readers only (the effort behind
    it is patrol data); always shown with ``CAVEAT``."""
    if not sees_tracks(viewer):
        raise NotPermitted("incidents per patrol-hour needs track access")
    answer = effort(viewer, start=start, end=end, now=now)
    hours = answer.effort.hours_by_area()
    counted = (
        released(viewer)
        .filter(event_date__gte=start, event_date__lte=end)
        .values("adm2_pcode")
        .annotate(found=Count("pk"))
    )
    incidents = {row["adm2_pcode"]: int(row["found"]) for row in counted if row["adm2_pcode"]}
    return {
        area: (incidents.get(area, 0) / hours[area] if hours.get(area, 0) > 0 else None)
        for area in sorted({*incidents, *(code for code in hours if code)})
    }


def _columns_of(rows: list[tuple[Any, ...]]) -> TrackColumns:
    """Store rows (patrol, time, lat, lon, ...) ordered by patrol and time as effort columns."""
    positions: dict[int, int] = {}
    patrol = np.array([positions.setdefault(row[0], len(positions)) for row in rows], dtype=np.int64)
    seconds = np.array([row[1].timestamp() for row in rows], dtype=np.float64)
    lats = np.array([row[2] for row in rows], dtype=np.float64)
    lons = np.array([row[3] for row in rows], dtype=np.float64)
    return TrackColumns(patrol, tuple(positions), seconds, lats, lons)
