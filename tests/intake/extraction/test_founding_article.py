"""The founding article, extracted as issue #5's acceptance lists it, with the spans that say so."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.conftest import SHARED_DATA
from ulinzi.intake.extraction.gazetteer import Gazetteer, build
from ulinzi.intake.extraction.pipeline import Extractor
from ulinzi.intake.extraction.places import places_from_files

PUBLISHED = date(2025, 1, 26)


@pytest.fixture(scope="module")
def haiti() -> Gazetteer:
    return build(places_from_files([SHARED_DATA / "haiti" / "gazetteer" / "hti_admin_gazetteer_codab.csv"]))


@pytest.fixture(scope="module")
def records(haiti: Gazetteer) -> list[dict[str, Any]]:
    text = (SHARED_DATA.parent / "seed" / "000_29b30a9c8175da14.txt").read_text(encoding="utf-8")
    found = [record.as_json() for record in Extractor(haiti).extract("seed", text, PUBLISHED)]
    for record in found:
        for span in record["evidence"]:
            assert text[span["start"] : span["end"]] == span["text"]
    return found


def quoted(record: dict[str, Any]) -> str:
    return " | ".join(span["text"] for span in record["evidence"])


def one(records: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    found = [r for r in records if all(r.get(key) == value for key, value in fields.items())]
    assert len(found) == 1, f"{fields}: {len(found)} records among {[quoted(r) for r in records]}"
    return found[0]


def test_the_first_contingent_of_400_arrived_in_june_2024(records: list[dict[str, Any]]) -> None:
    record = one(records, kind="deployment", personnel=400)
    assert (record["country"], record["movement"], record["date"], record["date_precision"]) == (
        "Kenya",
        "arrival",
        "2024-06",
        "month",
    )
    assert {"400", "Kenya", "June"} <= {span["text"] for span in record["evidence"]}


def test_an_additional_200_arrived_on_19_january_2025(records: list[dict[str, Any]]) -> None:
    record = one(records, kind="deployment", personnel=200)
    assert (record["country"], record["movement"], record["qualifier"]) == ("Kenya", "arrival", "increment")
    assert (record["date"], record["date_precision"]) == ("2025-01-19", "day")
    assert record["location"]["name"] == "Haiti"
    texts = quoted(record)
    assert "an additional 200" in texts and "Kenyan" in texts and "arrived" in texts and "January 19" in texts


def test_patrols_of_port_au_prince_began_in_june_2024(records: list[dict[str, Any]]) -> None:
    record = one(records, kind="deployment", movement="patrol_start")
    assert (record["country"], record["date"], record["date_precision"]) == ("Kenya", "2024-06", "month")
    assert (record["location"]["name"], record["location"]["pcode"]) == ("Port-au-Prince", "HT0111")
    assert "began patrolling" in quoted(record)


def test_gangs_control_80_per_cent_of_the_capital(records: list[dict[str, Any]]) -> None:
    record = one(records, kind="claim", metric="territory_controlled_pct")
    assert (record["value"], record["unit"], record["area"]) == (80, "percent", "Port-au-Prince")
    assert record["actors"] == ["gangs"]
    assert "80 per cent" in quoted(record) and "the capital" in quoted(record)


def test_over_5000_killed_since_february_2024_by_viv_ansanm(records: list[dict[str, Any]]) -> None:
    record = one(records, kind="claim", metric="killed")
    assert (record["value"], record["qualifier"]) == (5000, "gt")
    assert record["period"] == {"start": "2024-02", "end": "2025-01-26"}
    assert record["actors"] == ["Viv Ansanm"]
    assert {"Since February 2024", "Viv Ansam", "over 5,000"} <= {span["text"] for span in record["evidence"]}


def test_over_2000_women_and_girls_suffered_sexual_violence_in_the_same_period(records: list[dict[str, Any]]) -> None:
    record = one(records, kind="claim", metric="sexual_violence_victims")
    assert (record["value"], record["qualifier"], record["unit"]) == (2000, "gt", "women and girls")
    assert record["period"] == {"start": "2024-02", "end": "2025-01-26"}
    assert "more than 2,000" in quoted(record)


def test_the_assassination_of_president_moise_in_july_2021_at_his_residence(records: list[dict[str, Any]]) -> None:
    record = one(records, kind="event")
    assert (record["event_type"], record["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert (record["date"], record["date_precision"]) == ("2021-07", "month")
    assert record["location"]["pcode"] == "HT0111"
    assert record["actors"] == ["Jovenel Moïse"]
    assert "assassination" in quoted(record)


def test_nothing_else_and_nothing_from_the_political_statements(records: list[dict[str, Any]]) -> None:
    assert len(records) == 7, [quoted(r) for r in records]
