"""The extractor against the gold sets, with the figures printed (issue #5: precision ≥ 0.9 and
recall ≥ 0.8 on each record kind of our own gold set).

The held-out set was written by someone who had not seen the rules and is never used to tune
them; its figures are printed, not gated, because they are the honest measure of how the rules
generalise (docs/extraction.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from ulinzi.intake.extraction import evaluation
from ulinzi.intake.extraction.gazetteer import Gazetteer, build
from ulinzi.intake.extraction.pipeline import Extractor
from ulinzi.intake.extraction.places import places_from_files

GOLD = Path(__file__).resolve().parents[1] / "gold"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    haiti: Gazetteer = build(places_from_files([SHARED_DATA / "haiti" / "gazetteer" / "hti_admin_gazetteer_codab.csv"]))
    return Extractor(haiti)


def scores(extractor: Extractor, name: str, capsys: pytest.CaptureFixture[str]) -> evaluation.Scores:
    gold = evaluation.load_gold(GOLD / name, SHARED_DATA.parent)
    predicted = [
        record.as_json()
        for document in gold
        for record in extractor.extract(document.id, document.text, document.published, document.lang)
    ]
    found = evaluation.score(gold, predicted)
    with capsys.disabled():
        print(f"\nextraction, {name}:\n{evaluation.format_report(found)}")  # noqa: T201
    return found


def test_our_own_gold_set_meets_the_issue_figures_on_every_kind(
    extractor: Extractor, capsys: pytest.CaptureFixture[str]
) -> None:
    found = scores(extractor, "own.jsonl", capsys)
    for kind, counts in found.records.items():
        assert counts.precision >= 0.9, f"{kind}: precision {counts.precision:.3f}"
        assert counts.recall >= 0.8, f"{kind}: recall {counts.recall:.3f}"


@pytest.mark.parametrize("name", ["shared.jsonl", "heldout.jsonl"])
def test_the_other_gold_sets_are_scored_and_printed(
    extractor: Extractor, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = scores(extractor, name, capsys)
    assert found.documents > 0
    assert found.overall.tp > 0
