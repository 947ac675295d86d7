"""Parse ACLED export rows into typed events, without touching the database.

Columns may come in any order; the optional ones may be absent. ``event_id_cnty`` is the
natural key of a row (ACLED's own id), so re-importing the same export changes nothing.
"""

from __future__ import annotations

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import RowReader
from ulinzi.importing.fields import coordinate, whole_number
from ulinzi.incidents import taxonomy
from ulinzi.incidents.importers.fields import MAX_FATALITIES, actor_name, event_date, row_id
from ulinzi.incidents.importers.records import EventRecord

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "latitude",
    "longitude",
    "fatalities",
)
OPTIONAL = (
    "year",
    "time_precision",
    "disorder_type",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "tags",
    "timestamp",
)


def parse_event(reader: RowReader, sensitivity: Sensitivity) -> EventRecord:
    event_id = reader.value("event_id_cnty", row_id)
    day = reader.value("event_date", event_date)
    kind = reader.value("event_type", taxonomy.event_type)
    sub = reader.value("sub_event_type", lambda text: taxonomy.sub_event_type(kind, text)) if kind else ""
    actor1 = reader.value("actor1", actor_name)
    inter1 = reader.value("inter1", taxonomy.actor_category)
    inter2 = reader.value("inter2", taxonomy.actor_category)
    latitude = reader.value("latitude", coordinate(90))
    longitude = reader.value("longitude", coordinate(180))
    geo_precision = reader.value("geo_precision", whole_number(1, 3, default=1))
    time_precision = reader.value("time_precision", whole_number(1, 3, default=1))
    fatalities = reader.value("fatalities", whole_number(0, MAX_FATALITIES))
    reader.check()
    text = reader.text
    return EventRecord(
        line=reader.row.line,
        natural_key=f"acled:{event_id}",
        event_date=day,
        time_precision=time_precision,
        disorder_type=text("disorder_type")[:60],
        event_type=kind,
        sub_event_type=sub,
        actor1=actor1,
        assoc_actor_1=text("assoc_actor_1")[:500],
        inter1=inter1,
        actor2=text("actor2")[:200],
        assoc_actor_2=text("assoc_actor_2")[:500],
        inter2=inter2,
        interaction=text("interaction")[:100],
        civilian_targeting=bool(text("civilian_targeting")),
        country=text("country")[:100],
        admin1=text("admin1")[:200],
        admin2=text("admin2")[:200],
        admin3=text("admin3")[:200],
        location=text("location")[:200],
        latitude=latitude,
        longitude=longitude,
        geo_precision=geo_precision,
        source=text("source"),
        source_scale=text("source_scale")[:100],
        notes=text("notes"),
        tags=text("tags")[:500],
        fatalities=fatalities,
        fatalities_low=fatalities,
        fatalities_high=fatalities,
        sensitivity=sensitivity,
    )
