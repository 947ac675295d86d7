"""A partner sees no event above what they may see (in full, or masked at P2) through any path:
every list, detail, statistic, export and page that shows events, checked together so a new path
cannot forget the rule."""

import pytest

from tests.conftest import session_client, token_client
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.models import Event

pytestmark = pytest.mark.django_db

SECRET_KEYS = ("TST0001", "TST0002", "TST0005")  # labelled P3 and P4 below
SECRET_NOTES = ("exchange of fire near the market", "attack on residents")


@pytest.fixture
def mixed(areas, fixtures_dir) -> dict[str, int]:
    import_acled(fixtures_dir / "acled_sample.csv")
    # P2 events reach partners masked (tests/geo/test_masking.py); these are above that.
    labels = {"TST0001": 3, "TST0002": 4, "TST0003": 1, "TST0004": 0, "TST0005": 3}
    for key, label in labels.items():
        Event.objects.filter(natural_key=f"acled:{key}").update(sensitivity=label)
    return dict(Event.objects.values_list("natural_key", "pk"))


def assert_nothing_secret(body: str) -> None:
    for key in SECRET_KEYS:
        assert key not in body
    for note in SECRET_NOTES:
        assert note not in body


def test_every_event_path_hides_what_a_partner_may_not_read(charlie, mixed):
    api = token_client(charlie)
    pages = session_client(charlie)
    listed = api.get("/api/events?limit=500").json()["items"]
    assert sorted(item["id"] for item in listed) == sorted([mixed["acled:TST0003"], mixed["acled:TST0004"]])
    stats = api.get("/api/events/stats?period=month&by=adm2").json()
    assert sum(row["events"] for row in stats) == 2
    assert sum(row["fatalities"] for row in stats) == 0  # the two readable events killed nobody
    for key in SECRET_KEYS:
        pk = mixed[f"acled:{key}"]
        assert api.get(f"/api/events/{pk}").status_code == 404
        assert api.get(f"/api/events/{pk}/reports").status_code == 404
        assert pages.get(f"/events/{pk}/").status_code == 404
    for fmt in ("csv", "geojson", "hxl"):
        response = api.get(f"/api/events/export?format={fmt}")
        assert response.status_code == 200
        assert_nothing_secret(b"".join(response.streaming_content).decode())  # type: ignore[attr-defined]
    parquet = b"".join(api.get("/api/events/export?format=parquet").streaming_content)  # type: ignore[attr-defined]
    assert all(key.encode() not in parquet for key in SECRET_KEYS)
    table = pages.get("/events/").content.decode()
    assert_nothing_secret(table)
    points = pages.get("/events/map.json?bbox=-73,18,-72,19&zoom=14&show=points").json()
    assert len(points["features"]) == 2
    hexagons = pages.get("/events/map.json?bbox=-73,18,-72,19&zoom=8&show=hexagons").json()
    assert sum(feature["properties"]["events"] for feature in hexagons["features"]) == 2
