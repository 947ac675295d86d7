"""Masked points: displaced within the donut, inside the same area, the same on every request."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.conftest import session_client, token_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.masking import Donut, mask_points
from ulinzi.geo.services import admin_index
from ulinzi.incidents.models import Actor, Event
from ulinzi.incidents.release import donut, mask_secret

pytestmark = pytest.mark.django_db

# The three made-up communes of tests/fixtures/three_areas.geojson, each about 4 km square.
SQUARES = {"XX0101": (-72.4, 18.5, -72.36, 18.54), "XX0102": (-72.35, 18.5, -72.31, 18.54)}


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def test_masked_points_stay_in_their_area_within_the_donut(areas: None, capsys: pytest.CaptureFixture[str]) -> None:
    chance = random.Random(7)  # noqa: S311  reproducible test points, not a secret
    points = [
        (code, chance.uniform(west, east), chance.uniform(south, north))
        for code, (west, south, east, north) in SQUARES.items()
        for _ in range(5_000)
    ]
    keys = [f"test:{n}" for n in range(len(points))]
    lons, lats = np.array([p[1] for p in points]), np.array([p[2] for p in points])
    index = admin_index()
    shown_lons, shown_lats = mask_points(
        mask_secret(), keys, lons, lats, area_of=index.finest, representative=index.inside_point, donut=donut()
    )
    again = mask_points(
        mask_secret(), keys, lons, lats, area_of=index.finest, representative=index.inside_point, donut=donut()
    )
    assert np.array_equal(shown_lons, again[0]) and np.array_equal(shown_lats, again[1])
    landed = index.finest(shown_lons, shown_lats)
    distances = [metres(lons[i], lats[i], shown_lons[i], shown_lats[i]) for i in range(len(points))]
    same_area = sum(landed[i] == points[i][0] for i in range(len(points)))
    in_donut = sum(donut().min_m * 0.999 <= d <= donut().max_m * 1.001 for d in distances)
    fallbacks = len(points) - in_donut
    with capsys.disabled():
        print(  # noqa: T201
            f"\nmasking: {len(points)} points, {same_area} in their own area, {in_donut} within "
            f"{donut().min_m:.0f}-{donut().max_m:.0f} m, {fallbacks} moved to their area's inside point"
        )
    assert same_area == len(points)
    assert min(distances) > 0
    assert fallbacks < len(points) * 0.01


def test_a_tiny_area_sends_the_point_to_its_inside_point() -> None:
    def area_of(lons: np.ndarray, lats: np.ndarray) -> list[str]:
        return ["tiny" if abs(lon) < 1e-4 and abs(lat) < 1e-4 else "" for lon, lat in zip(lons, lats, strict=True)]

    lons, lats = mask_points(
        b"secret", ["a"], np.array([0.0]), np.array([0.0]), area_of=area_of,
        representative=lambda code: (0.00005, 0.00005), donut=Donut(),
    )  # fmt: skip
    assert (lons[0], lats[0]) == (0.00005, 0.00005)


@pytest.fixture
def confidential_event(areas: None) -> Event:
    actor = Actor.objects.create(name="Gang A (Haiti)")
    return Event.objects.create(
        natural_key="mask:1", event_date=timezone.now().date(), event_type="Violence against civilians",
        sub_event_type="Attack", actor1=actor, latitude=18.52, longitude=-72.38, adm1_pcode="XX01",
        adm2_pcode="XX0101", adm3_pcode="XX010101", admin2="Alpha", location="Marché Neuf, behind the church",
        notes="Survivor seen near the church", sensitivity=int(Sensitivity.CONFIDENTIAL),
    )  # fmt: skip


def test_a_partner_sees_the_same_masked_event_every_time(charlie: User, confidential_event: Event) -> None:
    client = token_client(charlie)
    answers = [client.get(f"/api/events/{confidential_event.pk}").json() for _ in range(20)]
    assert all(answer == answers[0] for answer in answers)
    shown = answers[0]
    assert shown["masked"] is True
    assert (shown["latitude"], shown["longitude"]) != (18.52, -72.38)
    assert 500 <= metres(-72.38, 18.52, shown["longitude"], shown["latitude"]) <= 2_000
    assert (shown["location"], shown["adm3_pcode"], shown["notes"], shown["geo_precision"]) == ("Alpha", "", "", 3)
    assert shown["adm2_pcode"] == "XX0101"
    assert client.get(f"/api/events/{confidential_event.pk}/reports").status_code == 404


def test_a_partner_cannot_find_the_true_point_with_a_small_box_or_a_section(
    charlie: User, alice: User, confidential_event: Event
) -> None:
    partner, analyst = token_client(charlie), token_client(alice)
    around_truth = "-72.3801,18.5199,-72.3799,18.5201"
    assert analyst.get(f"/api/events?bbox={around_truth}").json()["count"] == 1
    assert partner.get(f"/api/events?bbox={around_truth}").json()["count"] == 0
    shown = partner.get(f"/api/events/{confidential_event.pk}").json()
    lon, lat = shown["longitude"], shown["latitude"]
    around_shown = f"{lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}"
    assert partner.get(f"/api/events?bbox={around_shown}").json()["count"] == 1
    assert partner.get("/api/events?pcode=XX010101").json()["count"] == 0
    assert partner.get("/api/events?pcode=XX0101").json()["count"] == 1
    by_section = partner.get("/api/events/stats?period=all&by=adm3").json()
    assert by_section == [{"period": None, "group": "", "events": 1, "fatalities": 0}]


def test_every_partner_output_shows_the_masked_point_only(charlie: User, confidential_event: Event) -> None:
    api, pages = token_client(charlie), session_client(charlie)
    secrets = ("Survivor seen", "behind the church", "18.52,", "-72.38,", "XX010101")
    for fmt in ("csv", "geojson", "hxl"):
        body = b"".join(api.get(f"/api/events/export?format={fmt}").streaming_content).decode()  # type: ignore[attr-defined]
        assert "mask-1" in body
        assert not any(secret in body for secret in secrets), fmt
    brief = b"".join(api.get("/api/events/export?format=geojson&brief=true").streaming_content).decode()  # type: ignore[attr-defined]
    assert "mask-1" in brief and "-72.38," not in brief
    points = pages.get("/events/map.json?bbox=-73,18,-72,19&zoom=16&show=points").json()["features"]
    assert [feature["properties"]["location"] for feature in points] == ["Alpha"]
    assert points[0]["geometry"]["coordinates"] != [-72.38, 18.52]
    detail = pages.get(f"/events/{confidential_event.pk}/").content.decode()
    assert 'data-testid="masked"' in detail
    assert not any(secret in detail for secret in ("Survivor seen", "behind the church", "XX010101"))
    assert "Alpha" in pages.get("/events/").content.decode()
