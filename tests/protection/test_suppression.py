"""The suppression core on small tables whose answers can be worked out by hand."""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

from ulinzi.protection import tables
from ulinzi.protection.suppression import (
    AreaUnit,
    Count,
    Figure,
    PeriodUnit,
    Qualifier,
    Query,
    QueryRefused,
    Release,
    iter_queries,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "ulinzi" / "protection"
PURE_MODULES = ["suppression.py", "gbvims.py", "tables.py", "importers/sgbv/rows.py"]
COMMUNES = {"XX0101": "XX01", "XX0102": "XX01", "XX0201": "XX02"}


def exact(value: int) -> Figure:
    return Figure(Qualifier.EXACT, value)


def at_least(value: int) -> Figure:
    return Figure(Qualifier.AT_LEAST, value)


SUPPRESSED = Figure(Qualifier.SUPPRESSED, None)


def figures(release: Release, query: Query) -> dict[tuple[str, str | None, tuple[str, ...]], Figure]:
    return {
        (row.period, row.area, tuple(code for _, code in row.bands)): row.figure for row in release.answer(query).rows
    }


@pytest.fixture
def alpha_january() -> Release:
    """Alpha, January: 7 rapes of adult women and 2 sexual assaults of girls, all by armed groups."""
    return Release(
        [
            Count("2025-01", "XX0101", "rape", "18-59", "female", "armed_group", 7),
            Count("2025-01", "XX0101", "sexual_assault", "12-17", "female", "armed_group", 2),
        ],
        COMMUNES,
    )


def test_a_cell_below_k_is_suppressed_and_zeros_are_shown(alpha_january):
    by_type = figures(alpha_january, Query(by=("violence_type",)))
    assert by_type[("2025-01", "XX0101", ("rape",))] == exact(7)
    assert by_type[("2025-01", "XX0101", ("sexual_assault",))] == SUPPRESSED
    assert by_type[("2025-01", "XX0101", ("forced_marriage",))] == exact(0)
    assert by_type[("2025-01", "XX0102", ("rape",))] == exact(0)


def test_a_view_without_a_small_cell_hides_one_where_another_view_does(alpha_january):
    """The perpetrator view's only cell holds all 9 incidents: shown, it would give the total, and
    the total minus the 7 rapes would give the 2 assaults."""
    by_perpetrator = figures(alpha_january, Query(by=("perpetrator_type",)))
    assert by_perpetrator[("2025-01", "XX0101", ("armed_group",))] == SUPPRESSED
    assert figures(alpha_january, Query())[("2025-01", "XX0101", ())] == at_least(7)


def test_totals_over_a_suppressed_cell_are_lower_bounds_or_suppressed(alpha_january):
    yearly = figures(alpha_january, Query(period=PeriodUnit.YEAR, area=AreaUnit.ALL, by=("violence_type",)))
    assert yearly[("2025", None, ("rape",))] == exact(7)
    assert yearly[("2025", None, ("sexual_assault",))] == SUPPRESSED
    by_sex = figures(alpha_january, Query(period=PeriodUnit.QUARTER, area=AreaUnit.DEPARTMENT, by=("sex_band",)))
    assert by_sex[("2025-Q1", "XX01", ("female",))] == at_least(7)
    assert by_sex[("2025-Q1", "XX02", ("female",))] == exact(0)


def test_large_cells_add_up_to_exact_totals():
    release = Release(
        [
            Count("2025-01", "XX0101", "rape", "18-59", "female", "armed_group", 6),
            Count("2025-02", "XX0102", "rape", "18-59", "female", "armed_group", 8),
        ],
        COMMUNES,
    )
    assert figures(release, Query(period=PeriodUnit.QUARTER, area=AreaUnit.DEPARTMENT)) == {
        ("2025-Q1", "XX01", ()): exact(14),
        ("2025-Q1", "XX02", ()): exact(0),
    }


def test_months_without_counts_between_two_that_have_some_are_zeros():
    release = Release(
        [
            Count("2024-12", "XX0101", "rape", "18-59", "female", "armed_group", 6),
            Count("2025-02", "XX0101", "rape", "18-59", "female", "armed_group", 6),
        ],
        COMMUNES,
    )
    totals = figures(release, Query(area=AreaUnit.ALL))
    assert totals == {("2024-12", None, ()): exact(6), ("2025-01", None, ()): exact(0), ("2025-02", None, ()): exact(6)}


def test_the_threshold_is_a_parameter():
    counts = [Count("2025-01", "XX0101", "rape", "18-59", "female", "armed_group", 7)]
    assert figures(Release(counts, COMMUNES, min_cell=5), Query(area=AreaUnit.ALL))[("2025-01", None, ())] == exact(7)
    assert figures(Release(counts, COMMUNES, min_cell=8), Query(area=AreaUnit.ALL))[("2025-01", None, ())] == SUPPRESSED


def test_filters_pick_rows_of_the_unfiltered_table(alpha_january):
    whole = figures(alpha_january, Query(by=("age_band", "sex_band")))
    girls = Query(by=("age_band",), within="2025-Q1", pcode="XX01", bands=(("sex_band", "female"),))
    for key, figure in figures(alpha_january, girls).items():
        assert whole[key] == figure
    assert len(figures(alpha_january, girls)) == 2 * 5  # two communes of XX01, five age bands


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        (Query(by=("violence_type", "sex_band")), "by", "sex_band and violence_type are never crossed"),
        (Query(by=("age_band",), bands=(("perpetrator_type", "unknown"),)), "by", "never crossed"),
        (Query(by=("survivor",)), "by", "'survivor' is not a band dimension"),
        (Query(bands=(("sex_band", "other"),)), "sex_band", "'other' is not a band"),
        (Query(period=PeriodUnit.YEAR, within="2025-01"), "within", "a month does not hold whole years"),
        (Query(within="Jan 2025"), "within", "is not a year (2024), quarter (2024-Q1) or month (2024-03)"),
        (Query(area=AreaUnit.ALL, pcode="XX01"), "pcode", "choose area=commune or area=department"),
        (Query(area=AreaUnit.DEPARTMENT, pcode="XX0101"), "pcode", "XX0101 is a commune"),
        (Query(pcode="XX99"), "pcode", "'XX99' is not a commune or department"),
    ],
)
def test_a_query_no_published_table_answers_is_refused(alpha_january, query, field, reason):
    with pytest.raises(QueryRefused) as refused:
        alpha_january.answer(query)
    assert refused.value.field == field
    assert reason in refused.value.reason


def test_parameters_are_read_with_defaults_and_named_when_wrong():
    assert Query.parse() == Query()
    parsed = Query.parse(period="year", area="all", by="violence_type", within="2025-q1", bands={"age_band": ""})
    assert parsed == Query(period=PeriodUnit.YEAR, area=AreaUnit.ALL, by=("violence_type",), within="2025-Q1")
    with pytest.raises(QueryRefused, match="period: 'week' is not one of: month, quarter, year"):
        Query.parse(period="week")


def test_no_figure_from_any_query_shape_lies_below_k():
    counts = [
        Count(month, commune, kind, "18-59", "female", "armed_group", n)
        for n, (month, commune, kind) in enumerate(
            [("2025-01", "XX0101", "rape"), ("2025-01", "XX0102", "rape"), ("2025-02", "XX0201", "sexual_assault"),
             ("2025-02", "XX0101", "physical_assault"), ("2025-03", "XX0102", "rape")],
            start=2,
        )
    ]  # fmt: skip
    release = Release(counts, COMMUNES)
    shown = [row.figure.value for query in iter_queries() for row in release.answer(query).rows]
    assert shown and not [value for value in shown if value is not None and 0 < value < 5]


def test_the_caption_states_the_threshold(alpha_january):
    caption = tables.caption(alpha_january.answer(Query()))
    assert "Cells with 1 to 4 incidents (fewer than 5)" in caption
    assert '"suppressed"' in caption


def test_the_csv_leaves_suppressed_counts_empty(alpha_january):
    text = tables.csv_text(alpha_january.answer(Query(by=("violence_type",), pcode="XX0101")), {"XX0101": "=Alpha"})
    lines = text.splitlines()
    assert lines[0] == "period,pcode,area,violence_type,count,qualifier,min_cell"
    assert "2025-01,XX0101,'=Alpha,rape,7,exact,5" in lines
    assert "2025-01,XX0101,'=Alpha,sexual_assault,,suppressed,5" in lines


@pytest.mark.parametrize("relative", PURE_MODULES)
def test_the_core_does_not_import_django(relative):
    tree = ast.parse((SRC / relative).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name == "django" or name.startswith("django.")]
    assert not [name for name in imported if name.endswith((".models", ".services"))]


@pytest.mark.parametrize(
    "name",
    ["ulinzi.protection.suppression", "ulinzi.protection.gbvims", "ulinzi.protection.importers.sgbv.rows"],
)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
