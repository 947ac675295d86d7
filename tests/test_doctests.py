"""Run the examples in the docstrings of the pure modules."""

import doctest
import importlib

import pytest

PURE_MODULES_WITH_EXAMPLES = [
    "ulinzi.env",
    "ulinzi.forces.strength",
    "ulinzi.patrols.points",
    "ulinzi.patrols.nearby",
    "ulinzi.importing.citations",
    "ulinzi.importing.rejects",
    "ulinzi.importing.fields",
    "ulinzi.incidents.taxonomy",
    "ulinzi.incidents.importers.fields",
    "ulinzi.incidents.importers.actors.rows",
    "ulinzi.incidents.actors",
    "ulinzi.incidents.dedup",
    "ulinzi.geo.geocoding",
    "ulinzi.geo.share_chart",
    "ulinzi.insights.before_after",
    "ulinzi.insights.chart",
    "ulinzi.intake.review_fields",
    "ulinzi.reports.period",
    "ulinzi.reports.maps",
]


@pytest.mark.parametrize("name", PURE_MODULES_WITH_EXAMPLES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
