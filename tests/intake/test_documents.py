"""Reading documents: plain text, web pages, feeds, datelines, and the inputs that must be refused."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from ulinzi.intake.documents import (
    DEFAULT_MAX_BYTES,
    DocumentRefused,
    DocumentText,
    Hints,
    content_hash,
    dateline_date,
    detect,
    read_bytes,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "ulinzi" / "intake"

ARTICLE = "NAIROBI, Kenya, Jan 26 – An additional 200 Kenyan police officers arrived in Port-au-Prince.\n"

SCRIPTED_PAGE = """<!doctype html><html lang="fr"><head><title>Renforts kényans | Le Courrier des Îles</title>
<meta property="og:site_name" content="Le Courrier des Îles">
<meta property="article:published_time" content="2025-03-04T08:00:00Z">
<script>var leak = "SCRIPT-CANARY-1";</script><style>body::after { content: "STYLE-CANARY" }</style>
<script src="/tracker.js"></script></head><body><script>document.write("SCRIPT-CANARY-2")</script>
<nav><a href="/">Accueil</a></nav><article><h1>Renforts kényans</h1>
<p>Port-au-Prince, 3 mars 2025 - Quelque 150 policiers kényans sont arrivés mardi à l'aéroport.</p>
<script>window.SCRIPT_CANARY_3 = 1</script>
<p>Ils rejoignent les 400 agents déjà déployés depuis juin dans la capitale haïtienne.</p>
<noscript>NOSCRIPT-CANARY</noscript></article><script>console.log("SCRIPT-CANARY-4")</script></body></html>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Island Wire</title><language>en</language>
<item><title>Police arrive</title><link>https://wire.example/1</link>
<pubDate>Sun, 26 Jan 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;NAIROBI, Kenya, Jan 26 &#8211; Police arrived.&lt;/p&gt;
&lt;script&gt;steal()&lt;/script&gt;</description></item>
<item><title>Roads reopen</title><link>https://wire.example/2</link>
<description>The road to Kenscoff reopened on Monday.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Mission statements</title>
<entry><title>Statement on Cité Soleil</title><link href="https://mission.example/s/7"/>
<id>urn:s7</id><updated>2025-02-10T12:00:00Z</updated>
<content type="html">&lt;p&gt;The mission condemns the attack.&lt;/p&gt;</content></entry></feed>
"""


def test_plain_text_loses_its_byte_order_mark_and_takes_its_first_line_as_title():
    (document,) = read_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    assert document.text.startswith("NAIROBI")
    assert document.title == ARTICLE.strip()


def test_the_same_text_with_other_line_breaks_and_accents_has_one_hash():
    composed = DocumentText(text="Cité Soleil,\nle 3 mars.")
    decomposed = DocumentText(text="Cite\u0301   Soleil, le 3\r\n mars.  ")
    assert composed.content_sha256 == decomposed.content_sha256 == content_hash("Cité Soleil, le 3 mars.")


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"], ids=["empty", "blank"])
def test_an_empty_document_is_refused(data):
    with pytest.raises(DocumentRefused, match="empty"):
        read_bytes(data)


def test_a_document_over_the_size_limit_is_refused_with_the_setting_named():
    with pytest.raises(DocumentRefused, match=r"20\.0 MB limit \(ULINZI_INTAKE_MAX_MB\)"):
        read_bytes(b"a" * (DEFAULT_MAX_BYTES + 1))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04\x00\x00binary archive", "NUL bytes"),
        (bytes(range(1, 256)) * 40, "not UTF-8 text"),
        (("text " + "\x07\x1b" * 50).encode(), "control characters"),
    ],
    ids=["nul-bytes", "undecodable", "control-characters"],
)
def test_binary_junk_is_refused_with_a_reason(data, reason):
    with pytest.raises(DocumentRefused, match=reason):
        read_bytes(data)


def test_a_stray_bad_byte_in_a_long_text_is_replaced_not_refused():
    (document,) = read_bytes(ARTICLE.encode() * 5 + b"\xff")
    assert document.text.endswith("\ufffd")


def test_a_page_full_of_scripts_gives_its_article_text_and_nothing_of_the_scripts():
    (document,) = read_bytes(SCRIPTED_PAGE.encode())
    assert "Quelque 150 policiers kényans" in document.text
    assert "400 agents" in document.text
    assert "CANARY" not in document.text
    assert "Accueil" not in document.text
    assert document.title == "Renforts kényans"
    assert document.publisher == "Le Courrier des Îles"
    assert document.language == "fr"
    assert (document.published, document.published_from) == (date(2025, 3, 4), "metadata")
    assert document.dateline == date(2025, 3, 3)


def test_a_page_of_scripts_only_is_refused():
    page = "<html><head><script>a()</script></head><body><script>b()</script><style>p{}</style></body></html>"
    with pytest.raises(DocumentRefused, match="no readable text"):
        read_bytes(page.encode())


def test_markup_is_recognised_by_content_whatever_the_file_is_called():
    assert detect(SCRIPTED_PAGE.encode()) == "html"
    assert detect(RSS.encode()) == "feed"
    assert detect(ATOM.encode()) == "feed"
    assert detect(ARTICLE.encode()) == "text"
    assert detect(b"<b>not a tag soup page</b>", "text/html") == "html"


def test_an_rss_feed_gives_one_document_per_entry_with_its_link_and_date():
    first, second = read_bytes(RSS.encode())
    assert first.text == "NAIROBI, Kenya, Jan 26 – Police arrived."
    assert (first.title, first.url, first.publisher, first.language) == (
        "Police arrive",
        "https://wire.example/1",
        "Island Wire",
        "en",
    )
    assert (first.published, first.published_from) == (date(2025, 1, 26), "metadata")
    assert second.published is None and second.published_from is None


def test_an_atom_feed_is_read_like_rss():
    (entry,) = read_bytes(ATOM.encode())
    assert entry.text == "The mission condemns the attack."
    assert (entry.url, entry.published) == ("https://mission.example/s/7", date(2025, 2, 10))


@pytest.mark.parametrize(
    ("feed", "reason"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut off', "malformed feed"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>', "no entries"),
    ],
    ids=["truncated", "no-entries"],
)
def test_a_broken_feed_is_refused_whole(feed, reason):
    with pytest.raises(DocumentRefused, match=reason):
        read_bytes(feed)


@pytest.mark.parametrize(
    ("line", "reference", "expected"),
    [
        ("NAIROBI, Kenya, Jan 26 – An additional", date(2025, 1, 27), date(2025, 1, 26)),
        ("NAIROBI, Kenya, Jan 26 – An additional", None, None),
        ("PORT-AU-PRINCE, Haiti (AP) — Gangs attacked", date(2025, 1, 27), None),
        ("Port-au-Prince, 3 mars 2025 - La police", None, date(2025, 3, 3)),
        ("UNITED NATIONS, Dec. 30 -- The council", date(2025, 1, 2), date(2024, 12, 30)),
        ("Cap-Haïtien, Haiti, February 29, 2024 — Rain", None, date(2024, 2, 29)),
        ("The mission said - nothing more", date(2025, 1, 2), None),
        ("Gangs attacked on Jan 26 in the capital.", date(2025, 1, 27), None),
    ],
)
def test_a_dateline_gives_its_date_and_takes_a_missing_year_from_the_reference(line, reference, expected):
    assert dateline_date(line, reference) == expected


def test_a_given_date_wins_over_metadata_which_wins_over_the_dateline():
    given = Hints(published=date(2025, 3, 5))
    (page,) = read_bytes(SCRIPTED_PAGE.encode(), hints=given)
    assert (page.published, page.published_from) == (date(2025, 3, 5), "given")
    (text,) = read_bytes(b"Port-au-Prince, 3 mars 2025 - La police.")
    assert (text.published, text.published_from) == (date(2025, 3, 3), "dateline")
    (no_year,) = read_bytes(ARTICLE.encode(), hints=Hints(published=date(2025, 1, 27)))
    assert (no_year.published, no_year.dateline) == (date(2025, 1, 27), date(2025, 1, 26))


def test_the_operators_publisher_and_language_win_over_the_page():
    (page,) = read_bytes(SCRIPTED_PAGE.encode(), hints=Hints(publisher="Wire", language="ht"))
    assert (page.publisher, page.language) == ("Wire", "ht")


@pytest.mark.parametrize("module", ["documents.py", "fetch.py"])
def test_reading_and_fetching_never_import_django(module):
    tree = ast.parse((SRC / module).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0] == "django" or name.endswith((".models", ".services"))]


ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE bomb [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&h;</title><description>a</description></item></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><title>x</title>
<item><title>T&secret;</title><description>a</description></item></channel></rss>
"""


@pytest.mark.parametrize("feed", [ENTITY_BOMB, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
def test_a_feed_declaring_entities_is_refused_not_expanded(feed):
    with pytest.raises(DocumentRefused, match="malformed feed"):
        read_bytes(feed.encode())
