"""The report's maps drawn from plain values: no database, no network."""

import io
from datetime import date

import numpy as np
from PIL import Image

from h3.api import basic_int as h3
from shapely.geometry import box as rectangle

from ulinzi.reports.maps import (
    Box,
    ControlMap,
    ControlShape,
    EventPoint,
    EventsMap,
    Hexagon,
    Outline,
    draw_control,
    draw_events,
    fitted,
)

FRAME = Box(-72.42, 18.48, -72.3, 18.56)
COMMUNES = (
    Outline("Alpha", rectangle(-72.4, 18.5, -72.36, 18.54), 2),
    Outline("Beta", rectangle(-72.36, 18.5, -72.3, 18.54), 2),
)


def coloured_share(png: bytes) -> float:
    """The share of strongly coloured pixels (not white, grey or the pale land and sea)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return float(((abs(red - green) > 40) | (abs(green - blue) > 40)).mean())


def test_a_frame_grows_to_the_page_keeping_the_map_true_to_shape():
    wide = fitted(Box(0, -1, 1, 1), 1.0)
    assert (wide.west, wide.east, wide.south, wide.north) == (-0.5, 1.5, -1, 1)
    tall = fitted(Box(0, -1, 4, 1), 1.0)
    assert (tall.west, tall.east) == (0, 4) and tall.north - tall.south > 3.9


def test_events_are_drawn_as_coloured_points_over_the_boundaries():
    points = tuple(EventPoint(-72.38 + i * 0.01, 18.52, "Battles", i) for i in range(5))
    png = draw_events(EventsMap("Events", FRAME, COMMUNES, points=points))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] > 1000
    assert coloured_share(png) > 0.001


def test_many_events_are_drawn_as_hexagons():
    cell = h3.latlng_to_cell(18.52, -72.38, 7)
    ring = tuple((lon, lat) for lat, lon in h3.cell_to_boundary(cell))
    png = draw_events(EventsMap("Events", FRAME, COMMUNES, hexagons=(Hexagon(ring, 2500, 40),), resolution=7))
    assert coloured_share(png) > 0.01


def test_control_areas_are_filled_and_illustrative_ones_said_to_be():
    shapes = (ControlShape("Group A", rectangle(-72.39, 18.51, -72.37, 18.53), "#b8405e", illustrative=True),)
    drawn = draw_control(ControlMap("Control", FRAME, COMMUNES, shapes, date(2024, 3, 31)))
    empty = draw_control(ControlMap("Control", FRAME, COMMUNES, (), date(2024, 3, 31)))
    assert coloured_share(drawn) > coloured_share(empty)
