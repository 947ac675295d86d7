"""Dates and periods against a publication date (issue #5); no database."""

from __future__ import annotations

import ast
import itertools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ulinzi.intake.extraction import dates
from ulinzi.intake.extraction.dates import DateMention, find_dates

PUBLISHED = date(2025, 1, 26)  # a Sunday, as in the seed article
SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_29b30a9c8175da14.txt"


def only(text: str, published: date | None = PUBLISHED, lang: str = "en") -> DateMention:
    found = find_dates(text, published, lang)
    assert len(found) == 1, found
    mention = found[0]
    assert text[mention.start : mention.end] == mention.text
    return mention


@pytest.mark.parametrize(
    ("text", "span", "value", "precision"),
    [
        ("January 19", "January 19", "2025-01-19", "day"),
        ("On January 19, an additional 200 officers", "January 19", "2025-01-19", "day"),
        ("19 January", "19 January", "2025-01-19", "day"),
        ("the 19th of January", "19th of January", "2025-01-19", "day"),
        ("NAIROBI, Kenya, Jan. 26 – President", "Jan. 26", "2025-01-26", "day"),
        ("NAIROBI, Kenya, Jan 26 – President", "Jan 26", "2025-01-26", "day"),
        ("on December 30 gangs attacked", "December 30", "2024-12-30", "day"),
        ("October 3, 2024", "October 3, 2024", "2024-10-03", "day"),
        ("patrolling the capital in June as part", "June", "2024-06", "month"),
        ("officers sent in January", "January", "2025-01", "month"),
        ("elections in May", "May", "2024-05", "month"),
        ("In February 2024, a surge", "February 2024", "2024-02", "month"),
        ("killed in July 2021 at his residence", "July 2021", "2021-07", "month"),
        ("the mission was approved in 2021.", "2021", "2021", "year"),
        ("report of 2025-01-19 says", "2025-01-19", "2025-01-19", "day"),
        ("le rapport du 19/01/2025", "19/01/2025", "2025-01-19", "day"),
        ("filed 03.02.2024 in court", "03.02.2024", "2024-02-03", "day"),
        ("Gangs attacked yesterday.", "yesterday", "2025-01-25", "day"),
        ("Gangs attacked today.", "today", "2025-01-26", "day"),
        ("It happened two days ago.", "two days ago", "2025-01-24", "day"),
        ("It happened 3 days ago.", "3 days ago", "2025-01-23", "day"),
        ("It happened on Tuesday.", "Tuesday", "2025-01-21", "day"),
        ("Ruto revealed on Sunday that", "Sunday", "2025-01-26", "day"),
        ("It happened last Sunday.", "last Sunday", "2025-01-19", "day"),
        ("It happened last month.", "last month", "2024-12", "month"),
        ("finalized last year under", "last year", "2024", "year"),
        ("in early March", "early March", "2024-03", "month"),
        ("by mid-March", "mid-March", "2024-03", "month"),
        ("in late March", "late March", "2024-03", "month"),
        ("in mid-2023", "mid-2023", "2023", "year"),
        ("since late 2024 the gangs", "late 2024", "2024", "year"),
        ("at the end of June", "the end of June", "2024-06", "month"),
        ("on the 19th, police said", "the 19th", "2025-01-19", "day"),
    ],
)
def test_it_resolves_a_single_date(text, span, value, precision):
    mention = only(text)
    assert (mention.text, mention.value, mention.precision) == (span, value, precision)
    assert mention.period is None
    assert not mention.after_publication


@pytest.mark.parametrize(
    ("text", "span", "period", "first", "last"),
    [
        (
            "Since February 2024, a surge",
            "Since February 2024",
            ("2024-02", "2025-01-26"),
            date(2024, 2, 1),
            date(2025, 1, 26),
        ),
        ("violence since June has", "since June", ("2024-06", "2025-01-26"), date(2024, 6, 1), date(2025, 1, 26)),
        (
            "from March to May 2024",
            "from March to May 2024",
            ("2024-03", "2024-05"),
            date(2024, 3, 1),
            date(2024, 5, 31),
        ),
        (
            "from March 2023 to May 2024",
            "from March 2023 to May 2024",
            ("2023-03", "2024-05"),
            date(2023, 3, 1),
            date(2024, 5, 31),
        ),
        (
            "from November to February 2024",
            "from November to February 2024",
            ("2023-11", "2024-02"),
            date(2023, 11, 1),
            date(2024, 2, 29),
        ),
        (
            "between 10 and 15 January",
            "between 10 and 15 January",
            ("2025-01-10", "2025-01-15"),
            date(2025, 1, 10),
            date(2025, 1, 15),
        ),
        ("on 10-15 January", "10-15 January", ("2025-01-10", "2025-01-15"), date(2025, 1, 10), date(2025, 1, 15)),
        ("on January 10-15", "January 10-15", ("2025-01-10", "2025-01-15"), date(2025, 1, 10), date(2025, 1, 15)),
        ("between 2019 and 2023", "between 2019 and 2023", ("2019", "2023"), date(2019, 1, 1), date(2023, 12, 31)),
        ("It happened last week.", "last week", ("2025-01-13", "2025-01-19"), date(2025, 1, 13), date(2025, 1, 19)),
        (
            "Earlier this year, gangs",
            "Earlier this year",
            ("2025", "2025-01-26"),
            date(2025, 1, 1),
            date(2025, 1, 26),
        ),
        (
            "clashes earlier this month",
            "earlier this month",
            ("2025-01", "2025-01-26"),
            date(2025, 1, 1),
            date(2025, 1, 26),
        ),
    ],
)
def test_it_resolves_a_period(text, span, period, first, last):
    mention = only(text)
    assert (mention.text, mention.precision, mention.period) == (span, "range", period)
    assert mention.value == period[0]
    assert (mention.first_day, mention.last_day) == (first, last)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("in June", date(2024, 6, 1), date(2024, 6, 30)),
        ("in February 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("in 2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("in early March", date(2024, 3, 1), date(2024, 3, 10)),
        ("in mid-March", date(2024, 3, 11), date(2024, 3, 20)),
        ("in late February", date(2024, 2, 21), date(2024, 2, 29)),
        ("in early 2024", date(2024, 1, 1), date(2024, 4, 30)),
        ("in mid-2023", date(2023, 5, 1), date(2023, 8, 31)),
        ("in late 2024", date(2024, 9, 1), date(2024, 12, 31)),
    ],
)
def test_a_mention_covers_its_days(text, first, last):
    mention = only(text)
    assert (mention.first_day, mention.last_day) == (first, last)


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        ("They will arrive on the 28th.", PUBLISHED, "2025-01-28"),
        ("The 19th, police said.", date(2024, 7, 10), "2024-06-19"),
        ("Officers will arrive on the 19th.", date(2024, 7, 10), "2024-07-19"),
        ("More officers are expected to arrive in June.", PUBLISHED, "2025-06"),
        ("The contingent is due to land on January 30.", PUBLISHED, "2025-01-30"),
        ("A vote is scheduled for February 3.", PUBLISHED, "2025-02-03"),
        ("The council meets next Tuesday.", PUBLISHED, "2025-01-28"),
        ("The mandate ends next month.", PUBLISHED, "2025-02"),
        ("The mission will deploy on Tuesday.", PUBLISHED, "2025-01-28"),
    ],
)
def test_future_tense_picks_the_next_occurrence_without_a_flag(text, published, value):
    mention = only(text, published)
    assert mention.value == value
    assert not mention.after_publication


def test_the_nth_is_never_after_publication_in_past_tense():
    mention = only("Gangs attacked on the 19th.", date(2024, 7, 10))
    assert mention.value == "2024-06-19"
    assert mention.last_day <= date(2024, 7, 10)


@pytest.mark.parametrize(
    ("text", "value"),
    [("Gangs attacked in March 2026.", "2026-03"), ("Gangs attacked on 3 February 2025.", "2025-02-03")],
)
def test_a_past_date_after_publication_is_flagged_for_review(text, value):
    mention = only(text)
    assert mention.value == value
    assert mention.after_publication


@pytest.mark.parametrize(
    ("text", "span", "value", "precision"),
    [
        ("Attaque le 19 janvier 2025 à Port-au-Prince", "19 janvier 2025", "2025-01-19", "day"),
        ("le 1er février 2024", "1er février 2024", "2024-02-01", "day"),
        ("le 3 janv. 2025", "3 janv. 2025", "2025-01-03", "day"),
        ("déployés en juin", "juin", "2024-06", "month"),
        ("en 2021, la mission", "2021", "2021", "year"),
        ("hier soir", "hier", "2025-01-25", "day"),
        ("il y a trois semaines", "il y a trois semaines", "2025-01-05", "day"),
        ("mardi dernier", "mardi dernier", "2025-01-21", "day"),
        ("l’année dernière", "l’année dernière", "2024", "year"),
        ("le mois dernier", "le mois dernier", "2024-12", "month"),
        ("fin mars", "fin mars", "2024-03", "month"),
        ("mi-2023", "mi-2023", "2023", "year"),
    ],
)
def test_it_reads_french(text, span, value, precision):
    mention = only(text, lang="fr")
    assert (mention.text, mention.value, mention.precision) == (span, value, precision)


@pytest.mark.parametrize(
    ("text", "span", "period"),
    [
        ("depuis février 2024, la violence", "depuis février 2024", ("2024-02", "2025-01-26")),
        ("du 10 au 15 janvier", "du 10 au 15 janvier", ("2025-01-10", "2025-01-15")),
        ("de mars à mai 2024", "de mars à mai 2024", ("2024-03", "2024-05")),
    ],
)
def test_it_reads_french_periods(text, span, period):
    mention = only(text, lang="fr")
    assert (mention.text, mention.precision, mention.period) == (span, "range", period)


@pytest.mark.parametrize(
    "text",
    [
        "January 19",
        "On 19 January police arrived",
        "in June",
        "the 19th, police said",
        "yesterday",
        "two days ago",
        "on Tuesday",
        "last month",
        "last week",
        "earlier this year",
        "in early March",
    ],
)
def test_without_a_publication_date_relative_and_yearless_dates_give_nothing(text):
    assert find_dates(text, None) == []


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("October 3, 2024", "October 3, 2024", "2024-10-03"),
        ("in July 2021", "July 2021", "2021-07"),
        ("in 2021", "2021", "2021"),
        ("Since February 2024, a surge", "February 2024", "2024-02"),  # no end without publication
    ],
)
def test_without_a_publication_date_full_dates_still_resolve(text, span, value):
    mention = only(text, None)
    assert (mention.text, mention.value, mention.after_publication) == (span, value, False)


@pytest.mark.parametrize(
    "text",
    [
        "400 officers arrived",
        "5,000 people were killed",
        "under resolution 2699",
        "Resolution 2699 (2023) authorised the mission",
        "the G9 coalition",
        "80 per cent of the capital",
        "violence in the 1990s",
        "gangs may attack again",
        "protesters march on the palace",
        "March on the palace",
        "Theresa May said",
        "a total of 2,024 were counted",
        "2024 people were displaced",
        "in 2024 people were displaced",
        "the 19th century",
        "the 5th battalion",
        "a force of 2000.",
        "in 1850 and in 2150",
        "COVID-19 to 2020",
        "on 10 and 15",
        "May 45",
    ],
)
def test_it_finds_no_date_in(text):
    assert find_dates(text, PUBLISHED) == []


SEED_DATES = [
    (0, "Jan 26", "2025-01-26", "day"),
    (1, "last year", "2024", "year"),
    (2, "January 20", "2025-01-20", "day"),
    (4, "Sunday", "2025-01-26", "day"),
    (5, "last year", "2024", "year"),
    (6, "Sunday", "2025-01-26", "day"),
    (10, "June", "2024-06", "month"),
    (11, "January 19", "2025-01-19", "day"),
    (14, "June", "2024-06", "month"),
    (16, "Since February 2024", "2024-02", "range"),
    (18, "July 2021", "2021-07", "month"),
]


def test_the_seed_article_gives_the_expected_dates():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    found = [
        (number, m.text, m.value, m.precision) for number, line in enumerate(lines) for m in find_dates(line, PUBLISHED)
    ]
    assert found == SEED_DATES


def test_the_seed_sentences_have_the_spans_of_the_regression_fixture():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    spans = {number: [(m.start, m.end) for m in find_dates(lines[number], PUBLISHED)] for number in (10, 11, 16)}
    assert spans == {10: [(58, 62)], 11: [(3, 13)], 16: [(0, 19)]}
    assert find_dates(lines[16], PUBLISHED)[0].period == ("2024-02", "2025-01-26")


def test_mentions_come_in_text_order_without_overlap():
    text = "On January 19, since February 2024, and from March to May 2024, and yesterday."
    found = find_dates(text, PUBLISHED)
    assert [m.text for m in found] == ["January 19", "since February 2024", "from March to May 2024", "yesterday"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_the_module_never_imports_django():
    tree = ast.parse(Path(dates.__file__).read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in names if name.split(".")[0] == "django"]


FRAGMENTS = st.sampled_from(
    [
        "January 19",
        "Since ",
        "since ",
        "from ",
        " to ",
        " and ",
        "between ",
        "June",
        "May ",
        "2024",
        "2,024",
        "19",
        "th",
        "the ",
        "-",
        "/",
        "early ",
        "mid-",
        "late ",
        "last week",
        " ago",
        "two days",
        "Tuesday",
        "will ",
        "in ",
        "on ",
        ".",
        ", ",
        "le ",
        "janvier",
        "depuis ",
        "il y a ",
        "1er ",
        "29 February",
        "31/02/2025",
    ]
)
TEXTS = st.one_of(st.text(max_size=80), st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=12).map("".join))


@settings(max_examples=300, deadline=None)
@given(
    text=TEXTS,
    published=st.one_of(st.none(), st.dates(date(1901, 1, 1), date(2099, 12, 1))),
    lang=st.sampled_from(["en", "fr"]),
)
def test_any_text_gives_valid_spans(text, published, lang):
    found = find_dates(text, published, lang)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
        assert mention.first_day <= mention.last_day
        assert (mention.period is not None) == (mention.precision == "range")
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
