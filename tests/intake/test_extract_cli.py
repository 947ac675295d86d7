"""``ulinzi extract`` and ``ulinzi eval extraction`` as other tools call them: JSON Lines on stdout,
every problem named on stderr, the other documents still processed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED_DATA
from ulinzi.cli import main
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer

GAZETTEER = SHARED_DATA / "haiti" / "gazetteer" / "hti_admin_gazetteer_codab.csv"
GOLD = Path(__file__).resolve().parent / "gold"
GOOD = "On Tuesday, gunmen from Viv Ansanm attacked residents of Cabaret, killing four people."
SCRIPTED = (
    "<html><head><title>Arrivals</title><script>var canary = 'SCRIPT-CANARY in Delmas';</script></head><body>"
    + "<script>track('killed 900 people in Delmas')</script>" * 300
    + "<article><p>A further 150 Jamaican soldiers arrived in Port-au-Prince on Monday, the mission said, "
    "joining the Kenyan police officers already deployed.</p></article></body></html>"
)


def extract(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["extract", "--boundaries", str(GAZETTEER), *arguments])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_hostile_inputs_are_named_and_the_good_documents_still_come_out(capsys, tmp_path):
    lines = [
        json.dumps({"id": "good-1", "text": GOOD, "published": "2024-11-02"}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "empty", "text": "   \n "}),
        json.dumps({"id": "huge", "text": "Gangs attacked Delmas. " * 1_000_000}),
        json.dumps({"id": "junk", "text": "\x00\x01\x02binary\x00" * 100}),
        json.dumps({"id": "no-text", "body": GOOD}),
        json.dumps({"id": "bad-date", "text": GOOD, "published": "02/11/2024"}),
        json.dumps({"id": "good-2", "text": GOOD, "published": "2024-11-02"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    assert source.stat().st_size > 20_000_000

    code, records, errors = extract(capsys, "--jsonl", str(source))

    assert code == 1
    assert [record["doc_id"] for record in records] == ["good-1", "good-2"]
    assert records[0]["kind"] == "event" and records[0]["location"]["pcode"] == "HT0142"
    assert records[0]["fatalities"] == {"low": 4, "best": 4, "high": 4}
    assert f"{source}:2: not JSON" in errors
    assert "empty: the document is empty" in errors
    assert "huge: the document has 23,000,000 characters, over the limit of 2,000,000" in errors
    assert "junk: the document holds NUL characters" in errors
    assert f"{source}:6: text: a string is required" in errors
    assert f"{source}:7: published: '02/11/2024' is not a YYYY-MM-DD date" in errors


def test_an_html_page_full_of_scripts_gives_its_article_only(capsys, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(SCRIPTED)
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 40)

    code, records, errors = extract(capsys, str(page), str(binary), "--published", "2025-03-04")

    assert code == 1
    assert f"{binary}: binary data" in errors
    assert len(records) == 1
    record = records[0]
    assert (record["kind"], record["country"], record["personnel"], record["qualifier"]) == (
        "deployment",
        "Jamaica",
        150,
        "increment",
    )
    assert record["date"] == "2025-03-03"
    assert all("CANARY" not in span["text"] and "900" not in span["text"] for span in record["evidence"])


def test_files_without_a_database_need_boundaries_or_say_so(capsys, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(GOOD)
    code = main(["extract", str(article), "--boundaries", str(tmp_path / "missing.csv")])
    assert code == 2
    assert "places: missing.csv: cannot be read" in capsys.readouterr().err


def test_the_output_is_the_same_on_every_run(capsys, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "one", "text": GOOD, "published": "2024-11-02"}) + "\n")
    first = extract(capsys, "--jsonl", str(source))
    second = extract(capsys, "--jsonl", str(source))
    assert first == second


def test_the_harness_prints_scores_per_kind_and_field_with_speed_and_memory(capsys):
    code = main(
        [
            "eval",
            "extraction",
            str(GOLD / "shared.jsonl"),
            *("--shared", str(SHARED_DATA.parent), "--boundaries", str(GAZETTEER), "--json"),
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["records"]) == {"event", "deployment", "claim"}
    assert report["run"]["documents_per_second"] > 0
    assert report["run"]["peak_memory_mb"] > 0
    assert not report["run"]["determinism"].startswith("DIFFERS")


@pytest.mark.django_db
def test_without_boundaries_the_places_come_from_the_database(capsys, tmp_path, fixtures_dir, areas):
    import_gazetteer(fixtures_dir / "gazetteer_three_areas.csv")
    import_gazetteer(fixtures_dir / "places_three_areas.csv")
    report = tmp_path / "report.txt"
    report.write_text("Gunmen attacked the market in Beta Town on Tuesday, killing two vendors, residents said.")

    code = main(["extract", str(report), "--published", "2025-03-06"])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    (record,) = [json.loads(line) for line in captured.out.splitlines()]
    assert (record["location"]["name"], record["location"]["pcode"]) == ("Bêta", "XX0102")
    assert (record["date"], record["fatalities"]["best"]) == ("2025-03-04", 2)


def test_a_feed_gives_one_document_per_entry_dated_by_the_feed(capsys, tmp_path):
    feed = tmp_path / "wire.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Island Wire</title>'
        "<item><title>Clash</title><pubDate>Thu, 06 Mar 2025 09:00:00 GMT</pubDate>"
        "<description>Gunmen attacked residents of Cabaret on Tuesday, killing four people.</description></item>"
        "<item><title>Arrival</title><pubDate>Fri, 07 Mar 2025 09:00:00 GMT</pubDate>"
        "<description>About 150 Jamaican soldiers arrived in Port-au-Prince on Thursday.</description></item>"
        "</channel></rss>"
    )
    code, records, errors = extract(capsys, str(feed))
    assert code == 0, errors
    assert [(r["doc_id"], r["kind"], r["date"]) for r in records] == [
        (f"{feed}#1", "event", "2025-03-04"),
        (f"{feed}#2", "deployment", "2025-03-06"),
    ]
