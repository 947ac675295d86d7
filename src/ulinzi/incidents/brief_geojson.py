"""Brief GeoJSON built by the database: each feature is one JSON text from SQL, so a map of ~50k
events is bound by the query, not by Python's per-feature serialisation (docs/exporting.md).

The features hold the brief columns of ``exports`` with the same names and values; a test
compares the two paths. ``exports.feature_collection`` wraps them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Replace, Substr

from ulinzi.dbcompat import json_array, json_object
from ulinzi.incidents.models import Event
from ulinzi.incidents.release import column, is_flagged

CHUNK_ROWS = 2000


def _event_id() -> Case:
    """ACLED's own id for ACLED rows, the natural key with ``-`` for ``:`` otherwise (as ``acled_id``)."""
    return Case(
        When(natural_key__startswith="acled:", then=Substr("natural_key", 7)),
        default=Replace(F("natural_key"), Value(":"), Value("-")),
        output_field=CharField(),
    )


def _feature(flagged: bool) -> object:
    """``flagged``: the events carry the ``masked`` flag, so points come through ``release.column``."""

    def point(name: str) -> Any:
        return column(name) if flagged else F(name)

    properties = json_object(
        [
            ("event_id_cnty", _event_id()),
            ("id", F("id")),
            ("event_date", Cast("event_date", CharField())),
            ("event_type", F("event_type")),
            ("sub_event_type", F("sub_event_type")),
            ("actor1", F("actor1__name")),
            ("actor2", Coalesce(F("actor2__name"), Value(""))),
            ("adm2_pcode", F("adm2_pcode")),
            ("latitude", point("latitude")),
            ("longitude", point("longitude")),
            ("fatalities", F("fatalities")),
            ("verification", F("verification")),
            ("sensitivity", Concat(Value("P"), Cast("sensitivity", CharField()))),
        ]
    )
    geometry = json_object(
        [("type", Value("Point")), ("coordinates", json_array([point("longitude"), point("latitude")]))]
    )
    return json_object(
        [("type", Value("Feature")), ("id", F("id")), ("geometry", geometry), ("properties", properties)],
        as_text=True,
    )


def features(events: QuerySet[Event]) -> Iterator[str]:
    rows = events.annotate(feature=_feature(is_flagged(events))).values_list("feature", flat=True)
    yield from rows.iterator(chunk_size=CHUNK_ROWS)
