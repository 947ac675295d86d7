"""``import_ucdp``: a UCDP GED export (CSV) into events; the same keyword options as ``import_csv_events``."""

from __future__ import annotations

from functools import partial

from ulinzi.incidents.importers.csv_events import import_csv_events
from ulinzi.incidents.importers.ucdp.rows import OPTIONAL, REQUIRED, parse_event

KIND = "ucdp"

import_ucdp = partial(import_csv_events, kind=KIND, required=REQUIRED, optional=OPTIONAL, parse=parse_event)
