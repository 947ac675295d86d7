"""Events and arrivals the insights tests share.

The pivot is Wednesday 2024-03-06: with two weeks each side, the weeks before start on Mondays
2024-02-19 and 2024-02-26, the weeks after on 2024-03-04 (the pivot's week) and 2024-03-11.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.claims.factories import make_event
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.incidents.models import Event

PIVOT = date(2024, 3, 6)


@pytest.fixture
def events(areas: None) -> dict[str, Event]:
    """In commune XX0101 (Alpha), public unless named: before 1 | 2 events, after 1 | 1; deaths
    2 | 4, 0 | 5. Plus a confidential (P2) event after, masked for partners, and a strictly
    confidential (P3) one before, hidden from them; and events just outside the window or the area."""
    return {
        "week 1": make_event(event_date=date(2024, 2, 20), fatalities=2),
        "week 2a": make_event(event_date=date(2024, 2, 27), fatalities=1),
        "week 2b": make_event(
            event_date=date(2024, 3, 3), fatalities=3, event_type="Riots", sub_event_type="Mob violence"
        ),
        "pivot monday": make_event(event_date=date(2024, 3, 4), fatalities=0),
        "last day": make_event(event_date=date(2024, 3, 17), fatalities=5),
        "confidential": make_event(
            event_date=date(2024, 3, 12), fatalities=7, sensitivity=int(Sensitivity.CONFIDENTIAL)
        ),
        "strictly": make_event(
            event_date=date(2024, 2, 21), fatalities=11, sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL)
        ),
        "too early": make_event(event_date=date(2024, 2, 18), fatalities=100),
        "too late": make_event(event_date=date(2024, 3, 18), fatalities=100),
        "elsewhere": make_event(event_date=date(2024, 3, 5), fatalities=100, adm2_pcode="XX0102"),
    }
