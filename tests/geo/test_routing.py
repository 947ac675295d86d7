import pytest

from shapely.geometry import LineString, box

from ulinzi.geo.routing import (
    Danger,
    Incident,
    NoRoute,
    OffNetwork,
    RoadNetwork,
    Route,
    Segment,
    coarse_links,
    km_between,
)

# A square of roads A-B-D and A-C-D, plus a long detour A-E-D.
#   C(0,1) --- D(1,1)
#   |          |
#   A(0,0) --- B(1,0)      E(2,-1) joins A and D the long way.
POINTS = {"A": (0.0, 0.0), "B": (1.0, 0.0), "C": (0.0, 1.0), "D": (1.0, 1.0), "E": (2.0, -1.0)}
LINKS = [("A", "B"), ("B", "D"), ("A", "C"), ("C", "D"), ("A", "E"), ("E", "D")]
SEGMENTS = [
    Segment(number, f"{a}-{b}", LineString([POINTS[a], POINTS[b]]), km_between(*POINTS[a], *POINTS[b]))
    for number, (a, b) in enumerate(LINKS, start=1)
]
NETWORK = RoadNetwork(SEGMENTS)


def names(result: Route | NoRoute) -> list[str]:
    assert isinstance(result, Route)
    return [segment.name for segment in result.segments]


def test_the_shortest_way_is_taken_when_nothing_is_blocked():
    result = NETWORK.route(POINTS["A"], POINTS["D"], {})
    assert names(result) in (["A-B", "B-D"], ["A-C", "C-D"])


def test_a_blocked_segment_is_avoided_and_reported():
    result = NETWORK.route(POINTS["A"], POINTS["D"], {1: "barricade", 3: "open"})
    assert names(result) == ["A-C", "C-D"]
    assert isinstance(result, Route)
    assert [(a.segment_name, a.reason) for a in result.avoided] == [("A-B", "blocked (status barricade)")]


def test_a_controlled_area_is_avoided():
    result = NETWORK.route(POINTS["A"], POINTS["D"], {1: "blocked"}, [("Group X", box(-0.1, 0.4, 0.1, 0.6))])
    assert names(result) == ["A-E", "E-D"]


def test_no_safe_route_names_everything_that_closes_the_way():
    statuses = {1: "blocked", 3: "illegal_checkpoint", 5: "flooded"}
    result = NETWORK.route(POINTS["A"], POINTS["D"], statuses)
    assert isinstance(result, NoRoute)
    assert sorted(a.segment_name for a in result.reasons) == ["A-B", "A-C", "A-E"]


def test_unknown_and_open_statuses_do_not_block():
    assert names(NETWORK.route(POINTS["A"], POINTS["B"], {1: "unknown"})) == ["A-B"]


def test_a_point_far_from_every_road_is_refused():
    with pytest.raises(OffNetwork, match="km from every road"):
        NETWORK.route((10.0, 10.0), POINTS["D"], {})


def test_coarse_links_join_each_point_to_its_nearest_neighbours():
    points = [(name, lon, lat) for name, (lon, lat) in POINTS.items()]
    links = coarse_links(points, neighbours=1)
    assert ("A", "B", km_between(0, 0, 1, 0)) in links
    assert all(a < b for a, b, _ in links)


def test_recent_violence_makes_a_road_costlier_without_closing_it():
    # Two killings near the middle of A-B push the route onto A-C-D, which is just as long.
    near_ab = [Incident(0.5, 0.001, 1), Incident(0.5, -0.001, 1)]
    danger = NETWORK.danger_near(near_ab, radius_km=1.0)
    assert danger == {1: Danger(1, "A-B", 2, 2)}
    result = NETWORK.route(POINTS["A"], POINTS["D"], {}, danger=danger)
    assert names(result) == ["A-C", "C-D"]
    assert isinstance(result, Route)
    assert result.exposure == ()


def test_a_far_detour_is_not_worth_a_little_danger_and_the_exposure_is_reported():
    danger = {1: Danger(1, "A-B", 1, 0), 3: Danger(3, "A-C", 1, 0)}
    result = NETWORK.route(POINTS["A"], POINTS["D"], {}, danger=danger, danger_weight=0.5)
    assert isinstance(result, Route)
    assert names(result)[0] in {"A-B", "A-C"}  # both sides equally dangerous; the detour A-E-D is longer still
    assert [d.segment_name for d in result.exposure] == [names(result)[0]]


def test_events_far_from_every_road_add_no_danger():
    assert NETWORK.danger_near([Incident(5.0, 5.0, 10)]) == {}
    assert NETWORK.danger_near([]) == {}
