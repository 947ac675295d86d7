"""A small month for the report: four events at P0, P1, P2 and P3 in two fixture communes, a
claim about one of them, and an arrival of personnel.

The P2 and P3 events carry notes and place names a partner must never read; their sources are
named so a test can look for them in what a partner receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import make_movement
from tests.web.test_events_pages import make_event
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.claims.models import Claim
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.incidents.models import Actor, Event, Verification
from ulinzi.reports.period import Month
from ulinzi.sources.models import Source

MARCH = Month(2024, 3)
TODAY = date(2026, 1, 1)
COMMANDER = Viewer(role=Role.COMMANDER)
ANALYST = Viewer(role=Role.ANALYST)
PARTNER = Viewer(role=Role.PARTNER)
ALPHA, BETA = (18.52, -72.385), (18.52, -72.33)  # (lat, lon) inside the fixture communes Alpha and Beta
MARKET = (18.53, -72.37)  # in Alpha too: where only the P2 event happened
P2_NOTE, P3_NOTE = "P2 NOTE: seen at the Alpha market", "P3 NOTE: the informant's house"
P2_PLACE = "Alpha market"
P3_SOURCE = "https://example.org/strictly-confidential-report"


@dataclass(frozen=True)
class Recorded:
    public: Event
    internal: Event
    confidential: Event
    strict: Event
    claim: Claim


def event(
    *, label: Sensitivity, point: tuple[float, float], commune: str, source: str, fatalities: int = 0, **fields: object
) -> Event:
    dead = fatalities
    lat, lon = point
    made = make_event(
        latitude=lat,
        longitude=lon,
        adm1_pcode="XX01",
        adm2_pcode=commune,
        admin2={"XX0101": "Alpha", "XX0102": "Bêta"}[commune],
        sensitivity=int(label),
        fatalities=dead,
        fatalities_low=dead,
        fatalities_high=dead,
        **fields,
    )
    made.sources.add(Source.objects.get_or_create(reference=source)[0])
    return made


@pytest.fixture
def recorded(fixtures_dir) -> Recorded:
    import_boundaries(fixtures_dir / "three_areas.geojson")
    gang = Actor.objects.get_or_create(name="Gang A (Haiti)")[0]
    verified = Verification.VERIFIED
    public = event(
        label=Sensitivity.PUBLIC,
        point=ALPHA,
        commune="XX0101",
        source="https://example.org/public",
        event_date=date(2024, 3, 2),
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1=gang,
        verification=verified,
        notes="A public note",
    )
    internal = event(
        label=Sensitivity.INTERNAL,
        point=BETA,
        commune="XX0102",
        source="Field report 7",
        event_date=date(2024, 3, 9),
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1=gang,
        fatalities=2,
    )
    confidential = event(
        label=Sensitivity.CONFIDENTIAL,
        point=MARKET,
        commune="XX0101",
        source="https://example.org/p2",
        event_date=date(2024, 3, 12),
        actor1=gang,
        fatalities=3,
        verification=verified,
        notes=P2_NOTE,
        location=P2_PLACE,
        adm3_pcode="XX010101",
    )
    strict = event(
        label=Sensitivity.STRICTLY_CONFIDENTIAL,
        point=BETA,
        commune="XX0102",
        source=P3_SOURCE,
        event_date=date(2024, 3, 20),
        actor1=gang,
        fatalities=7,
        verification=verified,
        notes=P3_NOTE,
    )
    claim = Claim.objects.create(
        metric="killed",
        value=50,
        qualifier="gt",
        area_id="XX0101",
        area_name="Alpha",
        period_start=date(2024, 3, 1),
        start_precision="month",
        period_end=date(2024, 3, 1),
        end_precision="month",
        source=Source.objects.get_or_create(reference="https://example.org/press-release")[0],
        quote="Over 50 people were killed in Alpha in March.",
        sensitivity=int(Sensitivity.PUBLIC),
    )
    make_movement(on=date(2024, 3, 14), personnel=400)
    return Recorded(public, internal, confidential, strict, claim)
