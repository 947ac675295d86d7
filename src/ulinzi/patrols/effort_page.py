"""What the Patrol effort page shows, by reader.

A track reader gets hexagons coloured by patrol hours and the coverage gaps, each drawn as an
outline computed here (as the Events map does) so the browser needs no H3 library. Anyone else
gets ``services.effort``'s released table and nothing with a cell, a coordinate or a device in it:
this module decides that split, and the view only renders it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.http import QueryDict

from h3.api import basic_int as h3

from ulinzi.accounts.policy import Viewer
from ulinzi.patrols import services
from ulinzi.patrols.effort import CoverageGap
from ulinzi.web.events_page import area_names, hexagon_polygon

DEFAULT_WEEKS = 4
LONGEST_WINDOW_DAYS = 366
LEVELS = 5


class WindowForm(forms.Form):
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    cell = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)

    def __init__(self, data: QueryDict, today: date) -> None:
        if not data.get("start") and not data.get("end"):
            # Show the default window in the inputs, so the page says which weeks it counts.
            data = data.copy()
            data["end"] = today.isoformat()
            data["start"] = (today - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)).isoformat()
        super().__init__(data)
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        end = cleaned.get("end") or self.today
        start = cleaned.get("start") or end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)
        if end < start:
            self.add_error("end", "before the start of the window")
        elif (end - start).days >= LONGEST_WINDOW_DAYS:
            self.add_error("start", f"a window is at most {LONGEST_WINDOW_DAYS} days")
        cleaned |= {"start": start, "end": end}
        return cleaned


@dataclass(frozen=True)
class HoursClass:
    level: int
    up_to: float  # hours, inclusive


@dataclass(frozen=True)
class Gap:
    cell: str
    hours: float


@dataclass(frozen=True)
class ReleasedRow:
    code: str
    name: str
    week: date
    hours: float
    km: float


@dataclass(frozen=True)
class EffortView:
    """The page's content for one reader: ``cells``/``gaps`` for track readers, ``rows`` otherwise."""

    start: date
    end: date
    released: bool
    until: datetime
    caveat: str
    cells: dict[str, Any] = field(default_factory=dict)  # GeoJSON FeatureCollection
    classes: list[HoursClass] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    gap_cells: dict[str, Any] = field(default_factory=dict)
    total_hours: float = 0.0
    rows: list[ReleasedRow] = field(default_factory=list)


def hours_classes(largest: float, levels: int = LEVELS) -> list[HoursClass]:
    """Classes on a logarithmic scale, so one cell patrolled all month does not wash out the rest."""
    if largest <= 0:
        return []
    return [HoursClass(k, round(math.expm1(math.log1p(largest) * k / levels), 2)) for k in range(1, levels + 1)]


def level_of(hours: float, classes: list[HoursClass]) -> int:
    return next((c.level for c in classes if hours <= c.up_to), LEVELS)


def effort_view(viewer: Viewer, start: date, end: date, *, now: datetime | None = None) -> EffortView:
    """The window's effort as this reader may see it; raises ``services.NotPermitted`` for a role
    that may not see effort at all."""
    if not services.sees_tracks(viewer):
        return _released(viewer, start, end, now)
    answer = services.effort(viewer, start=start, end=end, with_cells=True, now=now)
    hours = {cell: total for cell, total in answer.effort.hours_by_cell().items() if cell and total > 0}
    classes = hours_classes(max(hours.values(), default=0.0))
    features = [_cell_feature(cell, total, level_of(total, classes)) for cell, total in sorted(hours.items())]
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    found = services.gaps(viewer, days=(end - start).days + 1, now=min(until, now or until))
    gaps = [Gap(h3.int_to_str(gap.cell), round(gap.hours, 2)) for gap in found]
    return EffortView(
        start=start,
        end=end,
        released=False,
        until=answer.until,
        caveat=answer.caveat,
        cells={"type": "FeatureCollection", "features": features},
        classes=classes,
        gaps=gaps,
        gap_cells={"type": "FeatureCollection", "features": [_gap_feature(gap) for gap in found]},
        total_hours=round(sum(hours.values()), 2),
    )


def _released(viewer: Viewer, start: date, end: date, now: datetime | None) -> EffortView:
    answer = services.effort(viewer, start=start, end=end, now=now)
    names = area_names({str(code) for code, _week in answer.effort.by_area if code})
    rows = [
        ReleasedRow(str(code), names.get(str(code), ""), week, round(totals.hours, 2), round(totals.km, 2))
        for (code, week), totals in sorted(
            answer.effort.by_area.items(), key=lambda item: (item[0][1], str(item[0][0]))
        )
    ]
    return EffortView(start=start, end=end, released=True, until=answer.until, caveat=answer.caveat, rows=rows)


def _cell_feature(cell: int, hours: float, level: int) -> dict[str, Any]:
    properties = {"h3": h3.int_to_str(cell), "hours": round(hours, 2), "level": level}
    return {"type": "Feature", "geometry": hexagon_polygon(cell), "properties": properties}


def _gap_feature(gap: CoverageGap) -> dict[str, Any]:
    properties = {"h3": h3.int_to_str(gap.cell), "hours": round(gap.hours, 2)}
    return {"type": "Feature", "geometry": hexagon_polygon(gap.cell), "properties": properties}
