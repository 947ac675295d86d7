"""``import_acled``: an ACLED export (CSV, any column order) into events; options as ``import_csv_events``."""

from __future__ import annotations

from functools import partial

from ulinzi.incidents.importers.acled import columnar
from ulinzi.incidents.importers.acled.rows import OPTIONAL, REQUIRED, parse_event
from ulinzi.incidents.importers.csv_events import import_csv_events

KIND = "acled"

import_acled = partial(
    import_csv_events,
    kind=KIND,
    required=REQUIRED,
    optional=OPTIONAL,
    parse=parse_event,
    columnar=columnar.records,
)
