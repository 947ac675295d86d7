"""What a reader cleared below an event's label is shown of it: the masked release.

The policy (``accounts.policy.release``) says which events a viewer sees masked. This module is
where the masking happens, once for every output: the displaced point is computed when the
event is written (``masked_points``), and each path reads the released values through the
expressions and the ``release`` function below, never the raw columns.

A masked event keeps its date, types, actors, department, commune, fatalities, verification and
label; its point is displaced within its finest administrative area (``geo.masking``); its
section, place name, notes, tags and H3 cell are withheld, and its geo precision reads
"admin area".
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import BooleanField, Case, F, Field, Q, QuerySet, Value, When

from ulinzi.geo.masking import Donut, Floats, mask_points
from ulinzi.geo.services import admin_index
from ulinzi.incidents.models import Event

ADMIN_AREA_PRECISION = 3

# Column -> what a masked event shows instead (None: withheld, shown empty).
MASKED_COLUMNS: dict[str, str | None] = {
    "latitude": "masked_latitude",
    "longitude": "masked_longitude",
    "location": "admin2",
    "admin3": None,
    "adm3_pcode": None,
    "notes": None,
    "tags": None,
    "h3_cell": None,
}
WITHHELD_NUMBERS = frozenset({"h3_cell"})


def mask_secret() -> bytes:
    return hashlib.sha256(b"ulinzi location mask\x00" + settings.SECRET_KEY.encode()).digest()


def donut() -> Donut:
    return Donut(min_m=settings.MASK_MIN_METRES, max_m=settings.MASK_MAX_METRES)


def masked_points(keys: Sequence[str], lons: Floats, lats: Floats) -> tuple[Floats, Floats]:
    """Displaced points for events about to be written, each inside its finest loaded area."""
    index = admin_index()
    return mask_points(
        mask_secret(), keys, lons, lats, area_of=index.finest, representative=index.inside_point, donut=donut()
    )


def masked_point(key: str, lon: float, lat: float) -> tuple[float, float]:
    lons, lats = masked_points([key], np.array([lon]), np.array([lat]))
    return float(lons[0]), float(lats[0])


def flag(masked: Q | None) -> Case | Value:
    """The ``masked`` annotation: true on the rows the viewer sees masked."""
    if masked is None:
        return Value(False, output_field=BooleanField())
    return Case(When(masked, then=Value(True)), default=Value(False), output_field=BooleanField())


def column(name: str) -> Any:
    """The released value of a column, for querysets annotated with ``masked``; typed as the
    column itself, so its conversions (decrypting notes, say) still apply."""
    if name not in MASKED_COLUMNS and name != "geo_precision":
        return F(name)
    field = Event._meta.get_field(name)
    assert isinstance(field, Field)
    if name == "geo_precision":
        shown: Any = Value(ADMIN_AREA_PRECISION)
    elif (instead := MASKED_COLUMNS[name]) is not None:
        shown = F(instead)
    else:
        shown = Value(None) if name in WITHHELD_NUMBERS else Value("")
    return Case(When(masked=True, then=shown), default=F(name), output_field=field)


def is_flagged(events: QuerySet[Any]) -> bool:
    """Whether the queryset carries the ``masked`` flag (it came from ``services.released``)."""
    return "masked" in events.query.annotations


def release(event: Any) -> Any:
    """The event as its reader may see it: masked in place when the queryset flagged it so."""
    if getattr(event, "masked", False) and not getattr(event, "_released", False):
        event.latitude, event.longitude = event.masked_latitude, event.masked_longitude
        event.location = event.admin2
        event.admin3 = event.adm3_pcode = event.notes = event.tags = ""
        event.h3_cell = None
        event.geo_precision = ADMIN_AREA_PRECISION
        event._released = True
    return event


def released_list(events: QuerySet[Any] | Sequence[Any]) -> list[Any]:
    return [release(event) for event in events]


def fill_masked_points(schema_editor: Any, chunk: int = 5_000) -> int:
    """Give stored events without one their masked point (raw SQL, so a migration may call it);
    the number of events filled."""
    connection = schema_editor.connection
    filled = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, natural_key, longitude, latitude FROM incidents_event "
                "WHERE masked_latitude IS NULL ORDER BY id LIMIT %s",
                [chunk],
            )
            rows = cursor.fetchall()
            if not rows:
                return filled
            lons, lats = masked_points(
                [str(key) for _, key, _, _ in rows],
                np.array([row[2] for row in rows], dtype=np.float64),
                np.array([row[3] for row in rows], dtype=np.float64),
            )
            cursor.executemany(
                "UPDATE incidents_event SET masked_longitude = %s, masked_latitude = %s WHERE id = %s",
                [(float(lons[i]), float(lats[i]), row[0]) for i, row in enumerate(rows)],
            )
            filled += len(rows)
