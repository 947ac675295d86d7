"""The scoring core on small hand-made pairs, and the gold files checked against the contract."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ulinzi.incidents.taxonomy import EVENT_TYPES
from ulinzi.intake.extraction.evaluation import (
    GoldDocument,
    GoldError,
    format_report,
    load_gold,
    overlap,
    score,
)
from ulinzi.intake.extraction.records import KINDS, METRICS, MOVEMENTS, QUALIFIERS, Record

GOLD = Path(__file__).resolve().parents[1] / "gold"
TEXT = (
    "On January 19, an additional 200 Kenyan police officers arrived in Haiti. "
    "Kenyan and Jamaican officers began patrolling Cabaret on Saturday."
)


def spans(*quotes: str, text: str = TEXT) -> list[dict[str, Any]]:
    found = []
    for quote in quotes:
        start = text.index(quote)
        found.append({"start": start, "end": start + len(quote), "text": quote})
    return sorted(found, key=lambda span: span["start"])


def arrival(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "deployment",
        "country": "Kenya",
        "personnel": 200,
        "qualifier": "increment",
        "unit": "police officers",
        "movement": "arrival",
        "date": "2025-01-19",
        "date_precision": "day",
        "period": None,
        "location": {"name": "Haiti", "pcode": None},
        "actors": [],
        "evidence": spans("January 19", "an additional 200", "Kenyan", "arrived", "Haiti"),
    }
    return record | overrides


def patrol(country: str, demonym: str) -> dict[str, Any]:
    return {
        "kind": "deployment",
        "country": country,
        "movement": "patrol_start",
        "date": "2025-01-18",
        "date_precision": "day",
        "location": {"name": "Cabaret", "pcode": "HT0142"},
        "evidence": spans(f"{demonym} ", "patrolling", "Cabaret", "on Saturday"),
    }


def gold(*records: dict[str, Any]) -> list[GoldDocument]:
    return [GoldDocument(id="d1", text=TEXT, published=date(2025, 1, 26), lang="en", records=list(records))]


def predicted(*records: dict[str, Any], doc_id: str = "d1") -> list[dict[str, Any]]:
    return [{"doc_id": doc_id, "confidence": 0.9} | record for record in records]


# --- scoring ----------------------------------------------------------------------------------


def test_a_perfect_prediction_scores_one_everywhere() -> None:
    scores = score(gold(arrival()), predicted(arrival()))

    assert scores.records["deployment"].as_json() == {
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
    }
    assert {name: counts.tp for name, counts in scores.fields["deployment"].items()} == {
        "country": 1,
        "personnel": 1,
        "movement": 1,
        "date": 1,
        "location": 1,
    }


def test_a_missing_record_is_a_false_negative() -> None:
    scores = score(gold(arrival()), [])

    counts = scores.records["deployment"]
    assert (counts.tp, counts.fp, counts.fn, counts.recall) == (0, 0, 1, 0.0)


def test_a_spurious_record_is_a_false_positive_and_fields_are_not_scored() -> None:
    scores = score(gold(), predicted(arrival()))

    assert (scores.records["deployment"].fp, scores.records["deployment"].fn) == (1, 0)
    assert all(counts.tp + counts.fp + counts.fn == 0 for counts in scores.fields["deployment"].values())


def test_a_prediction_for_an_unknown_document_is_a_false_positive() -> None:
    scores = score(gold(arrival()), predicted(arrival()) + predicted(arrival(), doc_id="nowhere"))

    assert (scores.records["deployment"].tp, scores.records["deployment"].fp) == (1, 1)


def test_a_wrong_field_is_a_field_error_not_a_missed_record() -> None:
    scores = score(gold(arrival()), predicted(arrival(country="Jamaica", qualifier=None)))

    fields = scores.fields["deployment"]
    assert scores.records["deployment"].tp == 1
    assert (fields["country"].fp, fields["country"].fn) == (1, 1)
    # 200 without "an additional" is a total, not an increment: a different number.
    assert (fields["personnel"].tp, fields["personnel"].fp, fields["personnel"].fn) == (0, 1, 1)
    assert fields["movement"].tp == 1


def test_a_field_only_one_side_has_counts_against_that_side() -> None:
    scores = score(gold(arrival()), predicted(arrival(personnel=None, location=None, unit=None)))

    fields = scores.fields["deployment"]
    assert (fields["personnel"].fp, fields["personnel"].fn) == (0, 1)
    assert (fields["location"].fp, fields["location"].fn) == (0, 1)


def test_dates_are_compared_at_the_gold_precision() -> None:
    month = arrival(date="2025-01", date_precision="month")

    assert score(gold(month), predicted(arrival())).fields["deployment"]["date"].tp == 1
    assert score(gold(arrival()), predicted(month)).fields["deployment"]["date"].fp == 1
    period = arrival(date=None, date_precision="range", period={"start": "2025-01", "end": "2025-01-26"})
    assert score(gold(period), predicted(arrival())).fields["deployment"]["date"].fn == 1


def test_a_place_without_pcode_is_compared_by_name() -> None:
    assert score(gold(arrival()), predicted(arrival(location={"name": "haiti"}))).fields["deployment"]["location"].tp
    wrong = predicted(arrival(location={"name": "Port-au-Prince", "pcode": "HT0111"}))
    assert score(gold(arrival()), wrong).fields["deployment"]["location"].fp == 1


def test_overlap_below_the_threshold_does_not_match() -> None:
    thin = arrival(evidence=spans("arrived"))

    assert overlap(arrival(), thin) < 0.5
    low = score(gold(arrival()), predicted(thin))
    assert (low.records["deployment"].tp, low.records["deployment"].fp, low.records["deployment"].fn) == (0, 1, 1)
    assert score(gold(arrival()), predicted(thin), min_overlap=0.1).records["deployment"].tp == 1


def test_two_records_in_one_sentence_pair_with_their_own_prediction() -> None:
    kenya, jamaica = patrol("Kenya", "Kenyan"), patrol("Jamaica", "Jamaican")

    scores = score(gold(kenya, jamaica), predicted(jamaica, kenya))

    assert scores.records["deployment"].tp == 2
    assert scores.fields["deployment"]["country"].tp == 2


def test_a_kind_mismatch_never_matches() -> None:
    as_claim = arrival(kind="claim", metric="personnel_deployed", value=200)

    scores = score(gold(arrival()), predicted(as_claim))

    assert (scores.records["deployment"].fn, scores.records["claim"].fp) == (1, 1)


def test_event_fields_use_the_best_fatality_estimate_and_actors_as_a_set() -> None:
    event: dict[str, Any] = {
        "kind": "event",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "fatalities": {"low": 12, "best": 12, "high": None},
        "actors": ["Viv Ansanm", "Police Forces of Haiti (2017-)"],
        "evidence": spans("Cabaret", "on Saturday"),
    }
    guess = event | {"fatalities": {"low": None, "best": 12, "high": 15}, "actors": list(reversed(event["actors"]))}

    fields = score(gold(event), predicted(guess)).fields["event"]

    assert (fields["fatalities"].tp, fields["actors"].tp, fields["event_type"].tp) == (1, 1, 1)


def test_the_report_lists_kinds_fields_and_run_figures() -> None:
    scores = score(gold(arrival()), predicted(arrival()))

    report = format_report(scores, seconds=0.5, peak_memory_mb=12.25, determinism_hash="abc123")

    assert "deployment" in report and "deployment.country" in report
    assert "2.0 documents/s" in report
    assert "peak memory: 12.2 MB" in report or "peak memory: 12.3 MB" in report
    assert "determinism hash: abc123" in report
    assert json.loads(json.dumps(scores.as_json()))["records"]["deployment"]["f1"] == 1.0


def test_an_unknown_predicted_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        score(gold(), predicted({"kind": "rumour", "evidence": []}))


# --- loading ----------------------------------------------------------------------------------


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_reads_inline_and_shared_texts(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "texts").mkdir(parents=True)
    (shared / "texts" / "a.txt").write_text(TEXT, encoding="utf-8")
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    record = json.dumps(arrival())
    path = write_lines(
        tmp_path / "gold.jsonl",
        json.dumps({"id": "x", "text": TEXT, "published": "2025-01-26", "lang": "en", "records": []}),
        "",
        f'{{"id": "y", "path": "texts/a.txt", "sha256": "{digest}", "lang": "en", "records": [{record}]}}',
    )

    documents = load_gold(path, shared)

    assert [(d.id, d.published, len(d.records)) for d in documents] == [("x", date(2025, 1, 26), 0), ("y", None, 1)]
    assert documents[1].text == TEXT


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "gold.jsonl:1: malformed JSON"),
        ('{"id": "x", "path": "texts/a.txt", "sha256": "00", "records": []}', "gold.jsonl:1: texts/a.txt has changed"),
        ('{"id": "x", "path": "texts/gone.txt", "sha256": "00", "records": []}', "gold.jsonl:1: cannot read"),
        ('{"id": "x", "records": []}', "gold.jsonl:1: needs either text or path"),
        (
            '{"id": "x", "text": "Kenyan officers", "records": [{"kind": "deployment", '
            '"evidence": [{"start": 0, "end": 6, "text": "Kenya"}]}]}',
            "gold.jsonl:1: record 0: evidence 'Kenya' does not equal text",
        ),
    ],
)
def test_load_gold_names_the_line_of_a_bad_entry(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(TEXT, encoding="utf-8")

    with pytest.raises(GoldError, match=re.escape(message)):
        load_gold(write_lines(tmp_path / "gold.jsonl", line), tmp_path)


def test_load_gold_refuses_duplicate_ids(tmp_path: Path) -> None:
    line = json.dumps({"id": "x", "text": "t", "records": []})

    with pytest.raises(GoldError, match=re.escape("gold.jsonl:2: duplicate id 'x'")):
        load_gold(write_lines(tmp_path / "gold.jsonl", line, line))


# --- the gold files ---------------------------------------------------------------------------


def fields_of(kind: str) -> set[str]:
    """The keys ``Record.as_json()`` writes for a kind, less what only a producer fills in."""
    blank = Record(doc_id="-", kind=kind, evidence=(), confidence=0.0)  # type: ignore[arg-type]  # kind from KINDS
    return set(blank.as_json()) - {"doc_id", "notes", "confidence"}


def valid_date(value: str, precision: str) -> date:
    length = {"day": 10, "month": 7, "year": 4}[precision]
    assert len(value) == length, f"{value!r} is not at {precision} precision"
    return date.fromisoformat((value + "-01-01")[:10])


def precision_of(value: str) -> str:
    return {10: "day", 7: "month", 4: "year"}[len(value)]


@pytest.fixture
def gazetteer(shared_data: Path) -> dict[str, dict[str, str]]:
    with (shared_data / "haiti" / "gazetteer" / "hti_admin_gazetteer_codab.csv").open(encoding="utf-8") as rows:
        return {row["pcode"]: row for row in csv.DictReader(rows)}


@pytest.fixture
def gold_documents(shared_data: Path) -> dict[str, list[GoldDocument]]:
    shared_dir = shared_data.parent
    return {name: load_gold(GOLD / name, shared_dir) for name in ("own.jsonl", "shared.jsonl", "heldout.jsonl")}


def test_the_gold_sets_cover_what_the_brief_asks(gold_documents: dict[str, list[GoldDocument]]) -> None:
    own = gold_documents["own.jsonl"]

    assert len(own) >= 45
    assert 3 <= sum(document.lang == "fr" for document in own) <= 5
    assert sum(not document.records for document in own) >= 6
    kinds = {record["kind"] for document in own for record in document.records}
    assert kinds == set(KINDS)
    assert len(gold_documents["shared.jsonl"]) == 17


def test_every_gold_record_follows_the_contract(
    gold_documents: dict[str, list[GoldDocument]], gazetteer: dict[str, dict[str, str]]
) -> None:
    problems = [
        f"{name}: {document.id}: record {index}: {problem}"
        for name, documents in gold_documents.items()
        for document in documents
        for index, record in enumerate(document.records)
        for problem in record_problems(record, document, gazetteer)
    ]

    assert not problems, "\n".join(problems)


def record_problems(record: dict[str, Any], document: GoldDocument, gazetteer: dict[str, dict[str, str]]) -> list[str]:
    kind = record.get("kind")
    if kind not in KINDS:
        return [f"unknown kind {kind!r}"]
    problems = []
    if set(record) != fields_of(kind):
        problems.append(f"fields {sorted(set(record) ^ fields_of(kind))} differ from the {kind} contract")
    problems += evidence_problems(record, document.text)
    problems += date_problems(record, document.published)
    problems += location_problems(record.get("location"), gazetteer)
    problems += value_problems(record)
    return problems


def evidence_problems(record: dict[str, Any], text: str) -> list[str]:
    evidence = record.get("evidence") or []
    problems = [
        f"evidence {span} is not its slice" for span in evidence if text[span["start"] : span["end"]] != span["text"]
    ]
    starts = [span["start"] for span in evidence]
    if not evidence or starts != sorted(starts):
        problems.append("evidence is empty or not in text order")
    return problems


def date_problems(record: dict[str, Any], published: date | None) -> list[str]:
    precision, when, period = record.get("date_precision"), record.get("date"), record.get("period")
    try:
        if period is not None:
            assert precision == "range" and when is None, "a period needs precision range and no date"
            start = valid_date(period["start"], precision_of(period["start"]))
            end = valid_date(period["end"], precision_of(period["end"]))
            assert start <= end, "period ends before it starts"
            latest = end
        elif when is not None:
            latest = valid_date(when, str(precision))
        else:
            assert precision is None, "a precision without a date"
            return []
        assert published is None or latest <= published, "a date after publication"
    except (AssertionError, KeyError, ValueError) as error:
        return [f"date: {error}"]
    return []


def location_problems(location: dict[str, Any] | None, gazetteer: dict[str, dict[str, str]]) -> list[str]:
    if location is None:
        return []
    names = {row["pcode"]: row["name_fr"] for row in gazetteer.values()}
    pcode = location.get("pcode")
    if pcode is None:
        communes = {row["name_fr"] for row in gazetteer.values() if row["level"] == "2"}
        ok = location.get("admin2") is None or location["admin2"] in communes
        return [] if ok else [f"admin2 {location['admin2']!r} is not a commune"]
    row = gazetteer.get(pcode)
    if row is None:
        return [f"pcode {pcode} is not in the COD-AB gazetteer"]
    expected = (names[row["adm1_pcode"]], names.get(row["adm2_pcode"]))
    if (location.get("admin1"), location.get("admin2")) != expected:
        return [f"admin names {location.get('admin1')}/{location.get('admin2')} do not match {pcode}"]
    return []


def value_problems(record: dict[str, Any]) -> list[str]:
    problems = []
    if record["kind"] == "event":
        subs = EVENT_TYPES.get(record.get("event_type") or "", ())
        if record.get("sub_event_type") not in subs:
            problems.append(f"{record.get('event_type')}/{record.get('sub_event_type')} is not in the taxonomy")
        fatalities = record.get("fatalities")
        if fatalities:
            bounds = [fatalities[key] for key in ("low", "best", "high") if fatalities[key] is not None]
            if bounds != sorted(bounds) or fatalities["best"] is None:
                problems.append(f"fatalities {fatalities} are not low <= best <= high")
    if record.get("qualifier") not in (None, *QUALIFIERS):
        problems.append(f"qualifier {record['qualifier']!r}")
    if record["kind"] == "deployment" and (record.get("movement") not in MOVEMENTS or not record.get("country")):
        problems.append("a deployment needs a country and a known movement")
    if record["kind"] == "claim" and (record.get("metric") not in METRICS or record.get("value") is None):
        problems.append(f"a claim needs a known metric and a value, not {record.get('metric')!r}")
    return problems
