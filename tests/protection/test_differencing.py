"""The differencing proof (security note R-14): no query family gives a suppressed cell away.

Hypothesis draws sparse tables of mostly small counts; the attacker (``attacker.py``) issues every
query shape plus filtered ones through ``Release.answer``, stacks every published figure as a 0/1
vector over the stored cells, and checks with numpy's SVD that no suppressed cell, no hidden
total, no union of suppressed cells and no nested difference of figures is determined, and that no
figure lies in 1..k−1. A smaller band list than GBVIMS keeps the algebra fast; the design does not
depend on how many bands a view has, and one test runs the real GBVIMS bands.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.protection.attacker import Attacker, Findings, RowSpace
from ulinzi.protection.suppression import GBVIMS, Count, Qualifier, Query, Release, Schema

SMALL = Schema(
    bands={
        "violence_type": ("rape", "sexual_assault", "physical_assault"),
        "age_band": ("0-11", "18-59"),
        "sex_band": ("female", "male"),
        "perpetrator_type": ("armed_group", "unknown"),
    },
    views=GBVIMS.views,
)
MONTHS = ("2024-11", "2024-12", "2025-01", "2025-02")
COMMUNES = {"XX0101": "XX01", "XX0102": "XX01", "XX0201": "XX02"}
EXAMPLES = 200


def counts(schema: Schema) -> st.SearchStrategy[list[Count]]:
    """Up to 40 stored cells, most of them small: the cases suppression exists for."""
    small_or_large = st.one_of(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(5, 30))
    cell = st.builds(
        Count,
        month=st.sampled_from(MONTHS),
        commune=st.sampled_from(sorted(COMMUNES)),
        violence_type=st.sampled_from(schema.bands["violence_type"]),
        age_band=st.sampled_from(schema.bands["age_band"]),
        sex_band=st.sampled_from(schema.bands["sex_band"]),
        perpetrator_type=st.sampled_from(schema.bands["perpetrator_type"]),
        count=small_or_large,
    )
    return st.lists(cell, min_size=6, max_size=40)


def test_no_combination_of_queries_determines_a_suppressed_cell(capsys: pytest.CaptureFixture[str]) -> None:
    totals = Findings()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(stored=counts(SMALL), min_cell=st.sampled_from([5, 5, 5, 3, 10]))
    def attack(stored: list[Count], min_cell: int) -> None:
        release = Release(stored, COMMUNES, min_cell=min_cell, schema=SMALL)
        findings = Attacker(release, stored, seed=len(stored)).attack()
        totals.add(findings)
        assert findings.leaks == []

    attack()
    with capsys.disabled():
        sys.stdout.write(
            f"\nSGBV differencing proof: {EXAMPLES} tables, {totals.queries} queries, {totals.figures} figures, "
            f"{totals.suppressed_cells} suppressed cells and {totals.combinations} combinations checked, "
            f"{len(totals.leaks)} leaks\n"
        )
    assert totals.suppressed_cells > 1000
    assert totals.leaks == []


def test_the_real_gbvims_bands_hold_too() -> None:
    stored = [
        Count("2025-01", "XX0101", "rape", "18-59", "female", "armed_group", 9),
        Count("2025-01", "XX0101", "rape", "12-17", "female", "armed_group", 2),
        Count("2025-01", "XX0101", "sexual_assault", "0-11", "female", "family_member", 1),
        Count("2025-01", "XX0102", "physical_assault", "18-59", "male", "unknown", 6),
        Count("2025-02", "XX0101", "forced_marriage", "12-17", "female", "family_member", 3),
    ]
    release = Release(stored, {"XX0101": "XX01", "XX0102": "XX01"})
    findings = Attacker(release, stored).attack(extra_queries=4)
    assert findings.suppressed_cells >= 6
    assert findings.leaks == []


def test_the_attacker_finds_what_a_naive_total_would_give_away() -> None:
    """The check has teeth: publish one exact total over a suppressed cell and it is caught."""
    stored = [
        Count("2025-01", "XX0101", "rape", "18-59", "female", "armed_group", 9),
        Count("2025-01", "XX0101", "sexual_assault", "18-59", "female", "armed_group", 2),
    ]
    release = Release(stored, COMMUNES, schema=SMALL)
    attacker = Attacker(release, stored)
    answers = [answer for query in [Query(by=("violence_type",))] for answer in attacker.ask(query)]
    shown = [(a.cover, float(a.row.figure.value or 0)) for a in answers if a.row.figure.qualifier is Qualifier.EXACT]
    assault = next(
        a.cover for a in answers if a.row.bands == (("violence_type", "sexual_assault"),) and a.row.area == "XX0101"
    )
    naive_total = assault | next(
        a.cover for a in answers if a.row.bands == (("violence_type", "rape"),) and a.row.area == "XX0101"
    )
    assert not RowSpace(shown, attacker.pins(answers)).determines(assault)
    assert RowSpace([*shown, (naive_total, 11.0)], attacker.pins(answers)).determines(assault)


def test_without_the_balance_between_views_a_full_view_would_give_a_cell_away() -> None:
    """Why step 3 exists: only the type view has a small cell here, and the other views' totals
    would reveal it. Publishing the cells they hide for balance makes the small cell determined."""
    stored = [
        Count("2025-01", "XX0101", "rape", "18-59", "female", "armed_group", 9),
        Count("2025-01", "XX0101", "sexual_assault", "18-59", "female", "armed_group", 2),
    ]
    release = Release(stored, COMMUNES, schema=SMALL)
    attacker = Attacker(release, stored)
    canonical = [a for view in SMALL.views for a in attacker.ask(Query(by=view))]
    hidden = [a for a in canonical if a.row.figure.qualifier is Qualifier.SUPPRESSED]
    small = [a.cover for a in hidden if attacker.truth @ a.cover < release.min_cell]
    balancing = [
        (a.cover, float(attacker.truth @ a.cover)) for a in hidden if attacker.truth @ a.cover >= release.min_cell
    ]
    shown = [(a.cover, float(a.row.figure.value or 0)) for a in canonical if a.row.figure.qualifier is Qualifier.EXACT]
    pins = attacker.pins(canonical)
    assert len(small) == 1 and len(balancing) == 2
    assert not RowSpace(shown, pins).determines(small[0])
    assert RowSpace([*shown, *balancing], pins).determines(small[0])
