"""The Events page (table and map data) and the event detail page, with who may see what."""

import doctest
import html
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from h3.api import basic_int as h3

from tests.conftest import session_client, token_client
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.models import Actor, Event, Verification
from ulinzi.sources.models import ImportBatch, Source
from ulinzi.web import events_page

pytestmark = pytest.mark.django_db

PAGE, MAP = "/events/", "/events/map.json"
STATIC = Path(events_page.__file__).parent / "static" / "web"
# A box around the three fixture communes, at a zoom where hexagons are H3's resolution 8.
CLOSE_VIEW = {"bbox": "-72.45,18.45,-72.2,18.6", "zoom": "12"}


@pytest.fixture
def acled(fixtures_dir) -> None:
    """The five made-up ACLED events (imported at P2), with the protest relabelled public (P0)."""
    import_boundaries(fixtures_dir / "three_areas.geojson")
    import_acled(fixtures_dir / "acled_sample.csv")
    Event.objects.filter(natural_key="acled:TST0004").update(sensitivity=int(Sensitivity.PUBLIC))


def make_event(**overrides: Any) -> Event:
    """An event at the Alpha market, P2, with the fields a test does not care about filled in."""
    lat, lon = overrides.pop("latitude", 18.52), overrides.pop("longitude", -72.385)
    fields: dict[str, Any] = {
        "natural_key": f"test:{uuid4().hex}",
        "event_date": date(2024, 3, 2),
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": Actor.objects.get_or_create(name="Gang A (Haiti)")[0],
        "latitude": lat,
        "longitude": lon,
        "h3_cell": h3.latlng_to_cell(lat, lon, 8),
        "sensitivity": int(Sensitivity.CONFIDENTIAL),
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


def key(natural_key: str) -> int:
    return Event.objects.get(natural_key=f"acled:{natural_key}").pk


def page_ids(user, query: dict[str, str] | None = None) -> list[int]:
    response = session_client(user).get(PAGE, query or {})
    assert response.status_code == 200
    return [int(found) for found in re.findall(r'<tr data-event="(\d+)">', response.content.decode())]


def api_ids(user, query: dict[str, str] | None = None) -> list[int]:
    body = token_client(user).get("/api/events", {**(query or {}), "limit": "500"}).json()
    return [item["id"] for item in body["items"]]


def map_data(user, query: dict[str, str]) -> dict[str, Any]:
    response = session_client(user).get(MAP, query)
    assert response.status_code == 200, response.content
    return dict(response.json())


def row_of(html_text: str, event_id: int) -> str:
    found = re.search(rf'<tr data-event="{event_id}">(.*?)</tr>', html_text, re.DOTALL)
    assert found, f"no row for event {event_id}"
    return found.group(1)


# The table


def test_the_table_lists_what_the_analyst_may_read_newest_first_as_the_api_does(alice, acled):
    ids = page_ids(alice)
    expected = [key(n) for n in ("TST0005", "TST0004", "TST0003", "TST0002", "TST0001")]
    assert ids == expected == api_ids(alice)


def test_each_row_shows_type_actors_place_fatalities_verification_and_label(alice, acled):
    text = session_client(alice).get(PAGE).content.decode()
    row = row_of(text, key("TST0001"))
    assert f'<a href="/events/{key("TST0001")}/">2024-03-02</a>' in row
    for shown in ("Battles", "Armed clash", "Gang A (Haiti)", "vs", "Police Forces of Haiti (2017-)"):
        assert shown in row
    assert "Alpha - Marche Neuf" in row and "Alpha (XX0101)" in row
    assert '<td class="num">3</td>' in row
    assert "reported" in row and "P2" in row
    assert "P0" in row_of(text, key("TST0004"))
    assert "5 events match." in text


def test_fatalities_show_low_best_high_only_when_they_differ(alice):
    agreed = make_event(fatalities_low=4, fatalities=4, fatalities_high=4)
    ranged = make_event(fatalities_low=2, fatalities=3, fatalities_high=7)
    text = session_client(alice).get(PAGE).content.decode()
    assert '<td class="num">4</td>' in row_of(text, agreed.pk)
    assert '<td class="num">2–3–7</td>' in row_of(text, ranged.pk)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"since": "2024-03-03"}, ["TST0005", "TST0004", "TST0003", "TST0002"]),
        ({"until": "2024-03-31"}, ["TST0002", "TST0001"]),
        ({"event_type": "Protests"}, ["TST0004"]),
        ({"sub_event_type": "Attack"}, ["TST0002"]),
        ({"actor": "Gang A (Haiti)"}, ["TST0002", "TST0001"]),
        ({"actor": "Civilians (Haiti)"}, ["TST0005", "TST0002"]),
        ({"pcode": "XX0101"}, ["TST0004", "TST0001"]),
        ({"verification": "corroborated"}, []),
        ({"min_fatalities": "3"}, ["TST0002", "TST0001"]),
        ({"since": "2024-03-01", "until": "2024-05-31", "min_fatalities": "0", "event_type": "Battles"}, ["TST0001"]),
    ],
)
def test_every_filter_narrows_the_table_as_it_narrows_the_api(alice, acled, query, expected):
    ids = page_ids(alice, query)
    assert ids == [key(n) for n in expected]
    assert ids == api_ids(alice, query)


def test_the_verification_filter_finds_verified_events(alice, acled):
    Event.objects.filter(natural_key="acled:TST0003").update(verification=Verification.VERIFIED)
    assert page_ids(alice, {"verification": "verified"}) == [key("TST0003")]


def test_the_form_keeps_the_filters_so_the_view_can_be_shared(alice, acled):
    text = session_client(alice).get(PAGE, {"since": "2024-03-03", "event_type": "Protests"}).content.decode()
    assert 'name="since" value="2024-03-03"' in text
    assert '<option value="Protests" selected>Protests</option>' in text
    assert 'data-filters="since=2024-03-03&amp;event_type=Protests"' in text
    assert '<option value="Gang A (Haiti)"></option>' in text  # the actor suggestions
    assert '<option value="XX0102">Bêta</option>' in text  # the P-code suggestions


def test_the_table_pages_fifty_at_a_time_and_keeps_the_filters(alice):
    battles = {make_event(event_date=date(2024, 1, 1 + n % 28)).pk for n in range(120)}
    make_event(event_type="Protests", sub_event_type="Peaceful protest")
    query = {"event_type": "Battles"}
    first = session_client(alice).get(PAGE, query).content.decode()
    assert "121" not in first and "120 events match." in first
    assert "page 1 of 3" in first
    assert 'href="?event_type=Battles&amp;page=2" rel="next"' in first
    pages = [page_ids(alice, {**query, "page": str(n)}) for n in (1, 2, 3)]
    assert [len(ids) for ids in pages] == [50, 50, 20]
    assert {i for ids in pages for i in ids} == battles
    assert page_ids(alice, {**query, "page": "soon"}) == pages[0]
    assert page_ids(alice, {**query, "page": "999999999999999999999"}) == pages[2]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "2024-02-30"}, "Since: Enter a valid date."),
        ({"until": "yesterday"}, "Until: Enter a valid date."),
        ({"min_fatalities": "-1"}, "Fatalities at least: Ensure this value is greater than or equal to 0."),
        ({"min_fatalities": "many"}, "Fatalities at least: Enter a whole number."),
        ({"min_fatalities": "9" * 5000}, "Fatalities at least: Enter a whole number."),
        ({"event_type": "Pie fight"}, "Event type: Select a valid choice. Pie fight is not one of the available"),
        ({"verification": "maybe"}, "Verification: Select a valid choice. maybe is not one of the available"),
        ({"since": "2024-05-01", "until": "2024-03-01"}, "must be on or before the end date (until)"),
        ({"event_type": "Protests", "sub_event_type": "Armed clash"}, "'Armed clash' is not a sub-event type of"),
        ({"pcode": "X" * 21}, "P-code: Ensure this value has at most 20 characters (it has 21)."),
        ({"actor": "Gang\x00A"}, "Actor: Null characters are not allowed."),
    ],
)
def test_bad_filters_get_a_400_that_says_what_is_wrong_and_shows_no_events(alice, acled, query, message):
    response = session_client(alice).get(PAGE, query)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in html.unescape(text)
    assert 'role="alert"' in text
    assert 'id="events-table"' not in text and "events.js" not in text


# The map


def test_few_events_in_view_are_points_with_the_tables_filters(alice, acled):
    body = map_data(alice, {"min_fatalities": "3", **CLOSE_VIEW})
    assert (body["type"], body["mode"], body["in_view"]) == ("FeatureCollection", "points", 2)
    ids = [f["properties"]["id"] for f in body["features"]]
    assert ids == page_ids(alice, {"min_fatalities": "3"})
    first = body["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [-72.33, 18.52]}
    assert first["properties"]["url"] == f"/events/{key('TST0002')}/"
    assert (first["properties"]["actor1"], first["properties"]["fatalities"]) == ("Gang A (Haiti)", "5")


def test_events_outside_the_view_are_left_out(alice, acled):
    body = map_data(alice, {"bbox": "-72.36,18.5,-72.3,18.55", "zoom": "13"})
    assert sorted(f["properties"]["id"] for f in body["features"]) == sorted([key("TST0002"), key("TST0005")])


def test_hexagons_count_events_and_fatalities_and_carry_their_outlines(alice, acled):
    body = map_data(alice, {"show": "hexagons", **CLOSE_VIEW})
    assert (body["mode"], body["resolution"], body["in_view"]) == ("hexagons", 8, 5)
    cells = {f["properties"]["h3"]: f for f in body["features"]}
    stored = {h3.int_to_str(cell) for cell in Event.objects.values_list("h3_cell", flat=True)}
    assert set(cells) == stored
    assert sum(f["properties"]["events"] for f in cells.values()) == 5
    assert sum(f["properties"]["fatalities"] for f in cells.values()) == 10
    for feature in cells.values():
        ring = feature["geometry"]["coordinates"][0]
        assert feature["geometry"]["type"] == "Polygon"
        assert len(ring) == 7 and ring[0] == ring[-1]
        assert 1 <= feature["properties"]["level"] <= 5
    assert body["classes"] == [{"level": 5, "low": 1, "high": 1}]


def test_many_events_in_view_become_hexagons_coarser_when_zoomed_out(alice, acled, monkeypatch):
    monkeypatch.setattr(events_page, "POINT_LIMIT", 4)
    close = map_data(alice, CLOSE_VIEW)
    far = map_data(alice, {"bbox": "-75,17,-70,20", "zoom": "6"})
    assert (close["mode"], far["mode"]) == ("hexagons", "hexagons")
    assert far["resolution"] == 3 < close["resolution"]
    assert len(far["features"]) < len(close["features"])
    assert sum(f["properties"]["events"] for f in far["features"]) == 5


def test_points_asked_for_beyond_the_cap_fall_back_to_hexagons_and_say_so(alice, acled, monkeypatch):
    monkeypatch.setattr(events_page, "MAX_POINTS", 2)
    body = map_data(alice, {"show": "points", **CLOSE_VIEW})
    assert body["mode"] == "hexagons"
    assert "Too many events in view" in body["note"]


def test_a_hexagon_cut_by_the_edge_of_the_view_counts_all_its_events(alice):
    cell = h3.latlng_to_cell(18.52, -72.385, 8)
    lat, lon = h3.cell_to_latlng(cell)
    west, east = make_event(latitude=lat, longitude=lon - 0.001), make_event(latitude=lat, longitude=lon + 0.001)
    assert west.h3_cell == east.h3_cell == cell
    view = {"bbox": f"{lon - 0.05},{lat - 0.05},{lon},{lat + 0.05}", "zoom": "12", "show": "hexagons"}
    body = map_data(alice, view)
    assert body["in_view"] == 1
    assert [(f["properties"]["h3"], f["properties"]["events"]) for f in body["features"]] == [(h3.int_to_str(cell), 2)]


def test_events_without_a_stored_cell_are_still_counted(alice):
    make_event(h3_cell=None, fatalities=1, fatalities_high=1)
    body = map_data(alice, {"show": "hexagons", **CLOSE_VIEW})
    assert [f["properties"]["events"] for f in body["features"]] == [1]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"bbox": "1,2,3"}, "bbox must be four numbers"),
        ({"bbox": "a,b,c,d"}, "bbox must be four numbers"),
        ({"bbox": "nan,0,1,1"}, "bbox must be four finite numbers"),
        ({"bbox": "10,0,5,1"}, "west < east"),
        ({"zoom": "99"}, "zoom must be a whole number from 0 to 22"),
        ({"zoom": "near"}, "zoom must be a whole number from 0 to 22"),
        ({"show": "heatmap"}, "show must be auto, points or hexagons"),
        ({"since": "2024-13-01"}, "Since: Enter a valid date."),
    ],
)
def test_bad_map_requests_get_a_400_that_says_why(alice, acled, query, message):
    response = session_client(alice).get(MAP, query)
    assert response.status_code == 400
    assert message in response.json()["detail"]


# One event


def test_the_detail_shows_every_acled_field_its_pcodes_cell_sources_and_history(alice, acled):
    event = Event.objects.get(natural_key="acled:TST0001")
    batch = ImportBatch.objects.get(kind="acled")
    text = html.unescape(session_client(alice).get(f"/events/{event.pk}/").content.decode())
    for shown in (
        "Armed clash, 2 March 2024",
        "Political violence",
        "State forces-Political militias",
        "Political militias",
        "Alpha - Marche Neuf",
        "Made-up test event: exchange of fire near the market.",
        "Outlet One; Outlet Two",
        "1: the day is known",
        "1: the place itself",
        "acled:TST0001",
        "18.52000",
        "-72.38500",
        "P2 confidential",
    ):
        assert shown in text, shown
    assert '<a href="/events/?pcode=XX0101">XX0101</a></td><td>Alpha</td>' in text
    assert f'<code data-testid="h3">{h3.int_to_str(event.h3_cell)}</code>' in text
    assert 'data-testid="fatalities">3<' in text
    sources = re.search(r'<table class="records" id="event-sources".*?</table>', text, re.DOTALL)
    assert sources is not None
    assert sources.group(0).count("<tr>") == 3  # the header and two sources
    assert "Outlet One" in sources.group(0) and "Outlet Two" in sources.group(0)
    assert "F reliability cannot be judged" in sources.group(0)
    assert f"Imported from acled_sample.csv (acled import, batch {batch.pk}: 5 rows read, 5 created)." in text
    assert f'href="/api/events/{event.pk}"' in text


def test_the_detail_gives_the_fatality_range_and_who_verified_when(alice):
    when = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
    event = make_event(
        fatalities_low=2,
        fatalities=3,
        fatalities_high=7,
        verification=Verification.VERIFIED,
        verified_by=alice,
        verified_at=when,
        batch=ImportBatch.objects.create(kind="acled", file_name="march.csv", sha256="0" * 64, user=alice),
    )
    text = session_client(alice).get(f"/events/{event.pk}/").content.decode()
    assert 'data-testid="fatalities">2–3–7<' in text
    assert 'data-testid="verification">verified, by alice, 2024-03-04 09:30 UTC<' in text
    listed = re.search(r'id="event-history">(.*?)</ol>', text, re.DOTALL)
    assert listed is not None
    history = re.findall(r"<li>(.*?)</li>", listed.group(1))
    assert "Imported by alice from march.csv" in history[0]
    assert history[1].endswith("Marked verified by alice.")


def test_an_event_entered_without_an_import_says_so(alice):
    event = make_event()
    text = session_client(alice).get(f"/events/{event.pk}/").content.decode()
    assert "Entered directly, not by an import" in text
    assert "No sources linked to this event." in text


def test_source_links_open_safely_and_their_text_is_escaped(alice):
    event = make_event()
    event.sources.add(
        Source.objects.create(reference="https://example.org/a?b=1&c=2", publisher="<b>Outlet</b>", credibility=2)
    )
    text = session_client(alice).get(f"/events/{event.pk}/").content.decode()
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="noreferrer noopener" target="_blank">' in text
    assert "<b>Outlet</b>" not in text and "&lt;b&gt;Outlet&lt;/b&gt;" in text


def test_text_from_records_is_escaped_in_the_table_and_the_detail(alice):
    hostile = "<script>alert(1)</script>"
    event = make_event(actor1=Actor.objects.create(name=hostile), location="<img src=x onerror=alert(1)>")
    for path in (PAGE, f"/events/{event.pk}/"):
        text = session_client(alice).get(path).content.decode()
        assert hostile not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_no_script_of_ours_writes_markup():
    scripts = sorted(STATIC.parents[2].glob("*/static/*/*.js"))
    assert {"events.js", "mapkit.js", "dashboard.js"} <= {script.name for script in scripts}
    for script in scripts:
        source = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{script.name} uses {sink}: data must reach the page as text"


def test_the_pages_have_no_inline_script_or_style_and_load_leaflet_from_the_app(alice, acled):
    for path in (PAGE, f"/events/{key('TST0001')}/"):
        text = session_client(alice).get(path).content.decode()
        assert "style=" not in text
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.DOTALL):
            assert "src=" in attributes and not body.strip()
    text = session_client(alice).get(PAGE).content.decode()
    assert '<script src="/static/leaflet/leaflet.js"></script>' in text
    assert '<script src="/static/web/events.js"></script>' in text
    assert 'data-areas-url="/api/geo/areas?level=2&amp;zoom=10"' in text


def test_the_navigation_links_to_the_events_page(alice):
    text = session_client(alice).get("/").content.decode()
    assert '<a href="/events/">Events</a>' in text
    assert '<a href="/events/" aria-current="page">Events</a>' in session_client(alice).get(PAGE).content.decode()


def test_the_page_module_examples_hold():
    result = doctest.testmod(events_page, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# Who may see what


@pytest.mark.refused("web:events", "web:events-map", "web:event-detail")
def test_the_events_pages_refuse_anonymous_visitors_and_accounts_without_a_role(anonymous, roleless, acled):
    client = session_client(roleless)
    for path in (PAGE, MAP, f"/events/{key('TST0004')}/"):
        response = anonymous.get(path)
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")
        assert client.get(path).status_code == 403


def above_masking() -> None:
    """Raise the P2 events to P3: a partner sees P2 events masked (tests/geo/test_masking.py)."""
    Event.objects.filter(sensitivity=int(Sensitivity.CONFIDENTIAL)).update(
        sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL)
    )


@pytest.mark.refused("web:events")
def test_a_partner_sees_no_event_above_their_clearance_in_the_table(charlie, acled):
    above_masking()
    make_event(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    assert page_ids(charlie) == [key("TST0004")] == api_ids(charlie)
    assert page_ids(charlie, {"actor": "Gang A (Haiti)"}) == []
    assert "1 event matches." in session_client(charlie).get(PAGE).content.decode()


@pytest.mark.refused("web:events-map")
def test_a_partner_map_holds_no_event_above_their_clearance(charlie, acled):
    above_masking()
    points = map_data(charlie, CLOSE_VIEW)
    assert [f["properties"]["id"] for f in points["features"]] == [key("TST0004")]
    cells = map_data(charlie, {"show": "hexagons", **CLOSE_VIEW})
    assert [(f["properties"]["events"], f["properties"]["fatalities"]) for f in cells["features"]] == [(1, 0)]


@pytest.mark.refused("web:event-detail")
def test_a_hidden_event_is_a_404_like_a_missing_one(charlie, cora, acled):
    above_masking()
    hidden = key("TST0001")
    partner = session_client(charlie)
    assert session_client(cora).get(f"/events/{hidden}/").status_code == 200
    assert partner.get(f"/events/{key('TST0004')}/").status_code == 200
    refused, missing = partner.get(f"/events/{hidden}/"), partner.get("/events/999999/")
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert partner.get("/events/99999999999999999999999/").status_code == 404


def test_who_verified_or_imported_is_named_only_to_cleared_readers(charlie, alice):
    event = make_event(
        sensitivity=int(Sensitivity.PUBLIC),
        verification=Verification.CORROBORATED,
        verified_by=alice,
        verified_at=datetime(2024, 3, 4, tzinfo=UTC),
        batch=ImportBatch.objects.create(kind="acled", file_name="march.csv", sha256="0" * 64, user=alice),
    )
    text = session_client(charlie).get(f"/events/{event.pk}/").content.decode()
    assert "alice" not in text
    assert "the name needs confidential clearance" in text
    assert "march.csv" in text  # import batches are internal (P1), which partners may read
