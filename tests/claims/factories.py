"""Claims and events for the claims tests, with defaults; a test overrides only what it asserts on."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.services import operator
from ulinzi.claims import services
from ulinzi.claims.ledger import When
from ulinzi.claims.models import Claim
from ulinzi.incidents.models import Actor, Event


def make_claim(**overrides: Any) -> Claim:
    """Over 5,000 killed in commune XX0101 (Alpha) from February 2024 to 26 January 2025, public."""
    fields: dict[str, Any] = {
        "metric": "killed",
        "value": 5000.0,
        "qualifier": "gt",
        "source": "https://example.org/article",
        "start": When.parse("2024-02"),
        "end": When.parse("2025-01-26"),
        "area": "XX0101",
        "sensitivity": Sensitivity.PUBLIC,
    }
    fields.update(overrides)
    return services.create_claim(Viewer.operator(), services.NewClaim(**fields), by=operator())


def make_event(**overrides: Any) -> Event:
    """A P0 armed clash at the Alpha market (commune XX0101, department XX01) with 10 deaths."""
    fields: dict[str, Any] = {
        "natural_key": f"test:{uuid4().hex}",
        "event_date": date(2024, 3, 2),
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": Actor.objects.get_or_create(name="Gang A (Haiti)")[0],
        "latitude": 18.52,
        "longitude": -72.385,
        "adm1_pcode": "XX01",
        "adm2_pcode": "XX0101",
        "fatalities": 10,
        "fatalities_low": 0,
        "sensitivity": int(Sensitivity.PUBLIC),
    }
    fields.update(overrides)
    fields.setdefault("fatalities_high", fields["fatalities"])
    return Event.objects.create(**fields)
