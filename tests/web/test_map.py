"""The Map page's control layer and share panel, and the share chart at /map/control-share.svg."""

import doctest
import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import session_client
from ulinzi.geo import share_chart
from ulinzi.geo.control import ActorShare, Share
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.importers.population.importer import import_population
from ulinzi.web import services

CHART = "/map/control-share.svg"
STATIC = Path(services.__file__).parent / "static" / "web"
TWO_AREAS = "XX0101,XX0102"


@pytest.fixture
def boundaries(db, fixtures_dir) -> None:
    import_boundaries(fixtures_dir / "three_areas.geojson")


@pytest.fixture
def control(boundaries, fixtures_dir) -> None:
    """Group North (P2, from 2024-01-01) and Group South (P1, February to March 2024)."""
    import_control(fixtures_dir / "control_two_groups.geojson")


@pytest.fixture
def small_metro(monkeypatch) -> None:
    """Two fixture communes stand in for the Port-au-Prince metropolitan area."""
    monkeypatch.setattr(services, "PAP_METRO_PCODES", ("XX0101", "XX0102"))


def control_file(fixtures_dir: Path, tmp_path: Path, **changes: object) -> Path:
    """control_two_groups.geojson with ``changes`` applied to every feature's properties."""
    document = json.loads((fixtures_dir / "control_two_groups.geojson").read_text())
    for feature in document["features"]:
        feature["properties"].update(changes)
    path = tmp_path / "control.geojson"
    path.write_text(json.dumps(document))
    return path


def page(user) -> str:
    response = session_client(user).get("/map/")
    assert response.status_code == 200
    return response.content.decode()


def colours_in(html: str) -> dict[str, str]:
    found = re.search(r'<script id="actor-colours" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert found, "no actor colours in the page"
    return dict(json.loads(found.group(1)))


# The page


def test_the_date_control_runs_from_2024_to_today(alice):
    html = page(alice)
    today = timezone.now().date()
    days = (today - date(2024, 1, 1)).days
    assert f'type="range" id="control-day" min="0" max="{days}" step="1" value="{days}"' in html
    assert f'min="2024-01-01" max="{today:%Y-%m-%d}" value="{today:%Y-%m-%d}"' in html
    assert 'id="illustrative-banner" role="status" hidden>Illustrative data — not an assessment<' in html
    assert "/static/web/control.js" in html
    assert 'data-control-url="/api/geo/control"' in html


def test_the_page_has_no_inline_script_or_style(alice, control, small_metro):
    html = page(alice)
    assert "style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" not in attributes or not body.strip()


def test_the_share_panel_takes_its_communes_from_one_constant(alice, control, small_metro):
    html = page(alice)
    assert 'data-area="XX0101,XX0102"' in html
    assert 'data-share-url="/api/geo/control/share"' in html
    assert f'src="{CHART}?area=XX0101%2CXX0102&amp;date=' in html


def test_the_metro_area_is_the_nine_communes_of_port_au_prince():
    metro = "HT0111,HT0112,HT0113,HT0114,HT0115,HT0116,HT0117,HT0118,HT0131"
    assert ",".join(services.PAP_METRO_PCODES) == metro


def test_the_share_panel_says_how_to_load_the_communes_when_they_are_missing(alice, control):
    html = page(alice)
    assert "are not loaded yet" in html
    assert 'id="control-share"' not in html and CHART not in html


def test_the_route_planner_asks_the_route_and_roads_apis(alice):
    html = page(alice)
    assert 'id="route-form" data-route-url="/api/geo/route" data-roads-url="/api/geo/roads"' in html
    assert '<label for="route-from">From</label>' in html and '<label for="route-to">To</label>' in html
    assert "<legend>Avoid the control areas of</legend>" in html
    assert 'data-closed-statuses="barricade blocked flooded illegal_checkpoint"' in html
    # route.js lists the actors control.js has shown, so it comes after it.
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts[-2:] == ["/static/web/control.js", "/static/web/route.js"]


@pytest.mark.parametrize("script", ["map.js", "control.js", "route.js"])
def test_the_map_scripts_never_write_markup(script):
    source = (STATIC / script).read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, f"{script} uses {sink}: data must reach the page as text"


def test_actor_names_reach_the_page_only_as_escaped_json(alice, boundaries, fixtures_dir, tmp_path):
    import_control(control_file(fixtures_dir, tmp_path, actor="<img src=x onerror=alert(1)>"))
    html = page(alice)
    assert "<img src=x" not in html
    assert colours_in(html) == {"<img src=x onerror=alert(1)>": share_chart.PALETTE[0]}


@pytest.mark.refused("web:map")
def test_the_map_names_no_actor_a_partner_may_not_see(charlie, control):
    assert colours_in(page(charlie)) == {"Group South": share_chart.PALETTE[0]}


# The chart


def test_the_chart_draws_every_actor_and_all_together_by_population(alice, control, fixtures_dir):
    import_population(fixtures_dir / "population_three_areas.csv")
    response = session_client(alice).get(CHART, {"area": TWO_AREAS})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml")
    for text in ("Group North", "Group South", "all actors together", "share of population (%)", "Alpha, Bêta"):
        assert text in svg
    assert "Illustrative data" not in svg


def test_without_population_the_chart_shows_shares_of_area(alice, control):
    assert "share of area (%)" in session_client(alice).get(CHART, {"area": TWO_AREAS}).content.decode()


def test_the_chart_marks_the_date_shown_on_the_map(alice, control):
    svg = session_client(alice).get(CHART, {"area": TWO_AREAS, "date": "2024-02-15"}).content.decode()
    assert "shown on the map (15 Feb 2024)" in svg


def test_the_chart_says_when_no_control_is_recorded(alice, boundaries):
    assert "No control areas recorded" in session_client(alice).get(CHART, {"area": "XX0101"}).content.decode()


def test_the_chart_flags_made_up_claims(alice, boundaries, fixtures_dir, tmp_path):
    import_control(control_file(fixtures_dir, tmp_path, illustrative=True))
    svg = session_client(alice).get(CHART, {"area": TWO_AREAS}).content.decode()
    assert "Illustrative data —" in svg and "not an assessment" in svg


def test_the_chart_names_the_metro_area(alice, control, small_metro):
    svg = session_client(alice).get(CHART, {"area": "XX0102,XX0101"}).content.decode()
    assert "Port-au-Prince metropolitan area" in svg


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "area must be 1 to 50 P-codes"),
        ({"area": " , ,"}, "area must be 1 to 50 P-codes"),
        ({"area": ",".join(f"XX{n:04}" for n in range(51))}, "area must be 1 to 50 P-codes"),
        ({"area": "X" * 21}, "area must be 1 to 50 P-codes"),
        ({"area": "XX0101," * 2000}, "area must be 1 to 50 P-codes"),
        ({"area": "XX0101,XX9999"}, "not a loaded area: XX9999"),
        ({"area": "XX0101", "date": "2024-13-01"}, "date must be a date (YYYY-MM-DD)"),
    ],
)
def test_a_bad_chart_request_is_a_plain_422(alice, boundaries, query, message):
    response = session_client(alice).get(CHART, query)
    assert response.status_code == 422
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_the_chart_is_read_only(alice, boundaries):
    assert session_client(alice).post(CHART, {"area": "XX0101"}).status_code == 405


@pytest.mark.refused("web:control-share-chart")
def test_the_chart_sends_anonymous_visitors_to_login_and_refuses_accounts_without_a_role(anonymous, roleless, control):
    response = anonymous.get(CHART, {"area": TWO_AREAS})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert session_client(roleless).get(CHART, {"area": TWO_AREAS}).status_code == 403


@pytest.mark.refused("web:control-share-chart")
def test_the_chart_leaves_out_claims_a_partner_may_not_see(charlie, control):
    svg = session_client(charlie).get(CHART, {"area": TWO_AREAS}).content.decode()
    assert "Group South" in svg
    assert "Group North" not in svg


# The pure parts


def share(day: date, *held: tuple[str, float]) -> Share:
    """A 10 km² area of 10 people; each actor holds ``fraction`` of both."""
    actors = tuple(ActorShare(actor, 10 * fraction, fraction, 10 * fraction, fraction) for actor, fraction in held)
    together = sum(fraction for _, fraction in held)
    return Share(day, 10.0, 10, actors, ActorShare("any", 10 * together, together, 10 * together, together), 0.0)


def test_an_actor_holding_nothing_on_a_date_draws_at_zero():
    lines = share_chart.lines(
        [share(date(2024, 1, 1), ("B", 0.1)), share(date(2024, 3, 1), ("A", 0.2), ("B", 0.1)), share(date(2024, 5, 1))]
    )
    assert [(line.label, line.values) for line in lines] == [
        ("all actors together", pytest.approx((10.0, 30.0, 0.0))),
        ("A", (0.0, 20.0, 0.0)),
        ("B", pytest.approx((10.0, 10.0, 0.0))),
    ]


def test_an_actor_holding_none_of_the_area_gets_no_line():
    lines = share_chart.lines([share(date(2024, 1, 1), ("inside", 0.1), ("elsewhere", 0.0))])
    assert [line.label for line in lines] == ["all actors together", "inside"]


def test_the_date_span_starts_in_2024_and_never_runs_backwards():
    assert services.date_span(date(2024, 10, 1)) == services.DateSpan(date(2024, 1, 1), date(2024, 10, 1))
    assert services.date_span(date(2023, 6, 1)).days == 0


def test_docstring_examples_hold():
    result = doctest.testmod(services, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
