"""Parse UCDP Georeferenced Event Dataset (GED) rows into events, without touching the database.

UCDP codes three types of organised violence where ACLED codes six event types; the mapping
below is the closest ACLED type, and UCDP's own type stays in the event's tags. UCDP's
fatality estimates come as low/best/high, which the store keeps as they are. ``id`` is the
natural key (``ucdp:<id>``), so re-importing a newer GED release changes nothing already in.
"""

from __future__ import annotations

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import RowReader
from ulinzi.importing.fields import coordinate, whole_number
from ulinzi.incidents.importers.fields import MAX_FATALITIES, actor_name, event_date, fatality_range, row_id
from ulinzi.incidents.importers.records import EventRecord

REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "latitude", "longitude", "date_start", "best")
OPTIONAL = (
    "relid", "year", "active_year", "code_status", "conflict_dset_id", "conflict_new_id", "conflict_name",
    "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_b_dset_id",
    "side_b_new_id", "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_end", "deaths_a",
    "deaths_b", "deaths_civilians", "deaths_unknown", "low", "high", "gwnoa", "gwnob",
)  # fmt: skip

# type_of_violence: 1 state-based conflict, 2 non-state conflict, 3 one-sided violence (against civilians)
VIOLENCE = {
    1: ("Battles", "Armed clash", "state-based conflict"),
    2: ("Battles", "Armed clash", "non-state conflict"),
    3: ("Violence against civilians", "Attack", "one-sided violence"),
}
# UCDP date_prec 1 exact day, 2 within 2-6 days, 3 within a week, 4 within a month, 5 longer;
# the store's time precision is ACLED's: 1 day, 2 week, 3 month.
TIME_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
# UCDP where_prec 1 exact place, 2 within 25 km, 3 second-order admin unit, 4 first-order admin
# unit, 5 linear feature or ambiguous, 6 country, 7 international waters or airspace; the store's
# geo precision is ACLED's: 1 exact, 2 near, 3 an admin area or larger.
GEO_PRECISION = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}


def parse_event(reader: RowReader, sensitivity: Sensitivity) -> EventRecord:
    event_id = reader.value("id", row_id)
    violence = reader.value("type_of_violence", whole_number(1, 3))
    side_a = reader.value("side_a", actor_name)
    side_b = reader.value("side_b", actor_name)
    latitude = reader.value("latitude", coordinate(90))
    longitude = reader.value("longitude", coordinate(180))
    day = reader.value("date_start", event_date)
    best = reader.value("best", whole_number(0, MAX_FATALITIES))
    where_prec = reader.value("where_prec", whole_number(1, 7, default=1))
    date_prec = reader.value("date_prec", whole_number(1, 5, default=1))
    low, high = fatality_range(reader, best, "best", "low", "high")
    reader.check()
    text = reader.text
    event_type, sub_event_type, ucdp_type = VIOLENCE[violence]
    one_sided = violence == 3
    return EventRecord(
        line=reader.row.line,
        natural_key=f"ucdp:{event_id}",
        event_date=day,
        time_precision=TIME_PRECISION[date_prec],
        disorder_type="Political violence",
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=side_a,
        assoc_actor_1="",
        inter1="",
        actor2=side_b,
        assoc_actor_2="",
        inter2="Civilians" if one_sided else "",
        interaction="",
        civilian_targeting=one_sided,
        country=text("country")[:100],
        admin1=text("adm_1")[:200],
        admin2=text("adm_2")[:200],
        admin3="",
        location=text("where_coordinates")[:200],
        latitude=latitude,
        longitude=longitude,
        geo_precision=GEO_PRECISION[where_prec],
        source=text("source_office"),
        source_scale="",
        notes="; ".join(part for part in (text("source_headline"), text("where_description")) if part),
        tags=f"ucdp: {ucdp_type}"[:500],
        fatalities=best,
        fatalities_low=low,
        fatalities_high=high,
        sensitivity=sensitivity,
    )
