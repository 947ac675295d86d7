"""Figures with their qualifier words (issue #5); no database."""

from __future__ import annotations

import ast
import itertools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ulinzi.intake.extraction import numbers
from ulinzi.intake.extraction.dates import find_dates
from ulinzi.intake.extraction.numbers import Quantity, find_quantities

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_29b30a9c8175da14.txt"


def only(text: str, lang: str = "en", skip: tuple[tuple[int, int], ...] = ()) -> Quantity:
    found = find_quantities(text, lang, skip)
    assert len(found) == 1, found
    quantity = found[0]
    assert text[quantity.start : quantity.end] == quantity.text
    return quantity


def figure(text: str, quantity: Quantity) -> str:
    return text[quantity.number_start : quantity.number_end]


@pytest.mark.parametrize(
    ("text", "span", "number", "value", "unit"),
    [
        ("400 officers arrived", "400", "400", 400, "count"),
        ("5,000 people", "5,000", "5,000", 5000, "count"),
        ("a total of 2,024 people", "2,024", "2,024", 2024, "count"),
        ("1.3 million people", "1.3 million", "1.3 million", 1_300_000, "count"),
        ("2 billion", "2 billion", "2 billion", 2_000_000_000, "count"),
        ("0.5 tonnes", "0.5", "0.5", 0.5, "count"),
        ("5\u00a0000 people", "5\u00a0000", "5\u00a0000", 5000, "count"),
        ("a 2,500-strong force", "2,500", "2,500", 2500, "count"),
        ("$15 million", "$15 million", "15 million", 15_000_000, "usd"),
        ("US$15 million", "US$15 million", "15 million", 15_000_000, "usd"),
        ("USD 15 million", "USD 15 million", "15 million", 15_000_000, "usd"),
        ("$15m in aid", "$15m", "15m", 15_000_000, "usd"),
        ("15 million dollars", "15 million dollars", "15 million", 15_000_000, "usd"),
        ("80 per cent of the capital", "80 per cent", "80", 80, "percent"),
        ("80 percent", "80 percent", "80", 80, "percent"),
        ("80%", "80%", "80", 80, "percent"),
        ("five thousand people", "five thousand", "five thousand", 5000, "count"),
        ("twenty-five officers", "twenty-five", "twenty-five", 25, "count"),
        (
            "one million three hundred thousand",
            "one million three hundred thousand",
            "one million three hundred thousand",
            1_300_000,
            "count",
        ),
        ("a hundred and fifty", "a hundred and fifty", "a hundred and fifty", 150, "count"),
        ("a dozen police", "a dozen", "a dozen", 12, "count"),
        ("two dozen police", "two dozen", "two dozen", 24, "count"),
        ("a hundred police", "a hundred", "a hundred", 100, "count"),
        ("one person was killed", "one", "one", 1, "count"),
        ("Eighty per cent", "Eighty per cent", "Eighty", 80, "percent"),
    ],
)
def test_it_reads_a_plain_figure(text, span, number, value, unit):
    quantity = only(text)
    assert (quantity.text, figure(text, quantity), quantity.value, quantity.unit) == (span, number, value, unit)
    assert (quantity.low, quantity.high, quantity.qualifier) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "span", "number", "qualifier"),
    [
        ("over 5,000 people", "over 5,000", "5,000", "gt"),
        ("more than 2,000 women", "more than 2,000", "2,000", "gt"),
        ("in excess of 2,000", "in excess of 2,000", "2,000", "gt"),
        ("upwards of 300", "upwards of 300", "300", "gt"),
        ("at least 12 people", "at least 12", "12", "gte"),
        ("no fewer than 12", "no fewer than 12", "12", "gte"),
        ("a minimum of 12", "a minimum of 12", "12", "gte"),
        ("up to 300", "up to 300", "300", "lte"),
        ("as many as 40", "as many as 40", "40", "lte"),
        ("no more than 40", "no more than 40", "40", "lte"),
        ("nearly 80 per cent", "nearly 80 per cent", "80", "lt"),
        ("almost 1,000", "almost 1,000", "1,000", "lt"),
        ("just under 1,000", "just under 1,000", "1,000", "lt"),
        ("close to 1,000", "close to 1,000", "1,000", "lt"),
        ("about 1,000", "about 1,000", "1,000", "approx"),
        ("some 200 officers", "some 200", "200", "approx"),
        ("around 200", "around 200", "200", "approx"),
        ("roughly 200", "roughly 200", "200", "approx"),
        ("approximately 200", "approximately 200", "200", "approx"),
        ("an estimated 300,000 displaced", "an estimated 300,000", "300,000", "approx"),
        ("estimated 300,000 displaced", "estimated 300,000", "300,000", "approx"),
        ("an additional 200 Kenyan police", "an additional 200", "200", "increment"),
        ("another 150 officers", "another 150", "150", "increment"),
        ("a further 20 officers", "a further 20", "20", "increment"),
        ("More than five thousand", "More than five thousand", "five thousand", "gt"),
    ],
)
def test_qualifier_words_become_a_bound(text, span, number, qualifier):
    quantity = only(text)
    assert (quantity.text, figure(text, quantity), quantity.qualifier) == (span, number, qualifier)


@pytest.mark.parametrize(
    ("text", "span", "number", "bounds", "unit"),
    [
        ("between 10 and 15 people", "between 10 and 15", "10 and 15", (10, 15), "count"),
        ("10 to 15 people", "10 to 15", "10 to 15", (10, 15), "count"),
        ("from 10 to 15 people", "from 10 to 15", "10 to 15", (10, 15), "count"),
        ("10-15 people", "10-15", "10-15", (10, 15), "count"),
        ("10–15 per cent", "10–15 per cent", "10–15", (10, 15), "percent"),
        ("between 1 and 2 million", "between 1 and 2 million", "1 and 2 million", (1_000_000, 2_000_000), "count"),
        ("hundreds of people", "hundreds", "hundreds", (200, 999), "count"),
        ("several hundred people", "several hundred", "several hundred", (200, 999), "count"),
        ("dozens of people", "dozens", "dozens", (24, 99), "count"),
        ("thousands fled", "thousands", "thousands", (2000, 9999), "count"),
        ("tens of thousands fled", "tens of thousands", "tens of thousands", (20_000, 99_999), "count"),
    ],
)
def test_ranges_and_vague_amounts_have_bounds(text, span, number, bounds, unit):
    quantity = only(text)
    assert (quantity.text, figure(text, quantity), quantity.unit) == (span, number, unit)
    assert (quantity.value, quantity.low, quantity.high) == (bounds[0], *bounds)


@pytest.mark.parametrize(
    ("text", "span", "number", "value", "bound"),
    [
        ("cinq mille personnes", "cinq mille", "cinq mille", 5000, (None, "count")),
        ("plus de 200 policiers", "plus de 200", "200", 200, ("gt", "count")),
        ("au moins 12 morts", "au moins 12", "12", 12, ("gte", "count")),
        ("environ 300 familles", "environ 300", "300", 300, ("approx", "count")),
        ("près de 80 %", "près de 80 %", "80", 80, ("lt", "percent")),
        ("80 pour cent", "80 pour cent", "80", 80, (None, "percent")),
        ("1,3 million de personnes", "1,3 million", "1,3 million", 1_300_000, (None, "count")),
        ("5 000 personnes", "5 000", "5 000", 5000, (None, "count")),
        ("vingt et un morts", "vingt et un", "vingt et un", 21, (None, "count")),
        ("plus d’un million", "plus d’un million", "un million", 1_000_000, ("gt", "count")),
        ("une centaine de personnes", "une centaine", "une centaine", 100, ("approx", "count")),
    ],
)
def test_it_reads_french(text, span, number, value, bound):
    quantity = only(text, "fr")
    assert (quantity.text, figure(text, quantity), quantity.value) == (span, number, value)
    assert (quantity.qualifier, quantity.unit) == bound


def test_french_vague_amounts_have_bounds():
    quantity = only("des centaines de personnes", "fr")
    assert (quantity.text, quantity.value, quantity.low, quantity.high) == ("des centaines", 200, 200, 999)


@pytest.mark.parametrize(
    "text",
    [
        "at 10:30 the convoy left",
        "at 10 a.m. the convoy left",
        "at 5 pm",
        "the 19th",
        "the second contingent",
        "the G9 coalition",
        "route A1",
        "under resolution 2699",
        "Resolution 2793 renewed",
        "Resolution 2699 (2023) authorised",
        "code HT0111",
        "one of the officers",
        "no one was hurt",
        "each one of them",
        "they helped one another",
        "including the one in Haiti",
        "On January 19 police arrived",
        "on 19 January 2025",
        "in June 2024",
        "in February 2024",
        "in 2021",
        "since 2021",
        "from 2019 to 2023",
        "between 10 and 15 January",
        "the 2019-2023 plan",
        "on 2025-01-19",
        "on 19/01/2025",
        "call +509 3456 7890",
        "call 3456-7890",
        "COVID-19 cases",
        "a five-year mandate",
        "a 12-month plan",
        "€5 million",
        "500 gourdes",
        "version 1.2.3",
        "the 1990s",
        "5 000 in English is ambiguous",
    ],
)
def test_it_finds_no_quantity_in(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(("text", "lang"), [("un homme", "fr"), ("le 19 janvier 2025", "fr"), ("en 2021", "fr")])
def test_it_finds_no_french_quantity_in(text, lang):
    assert find_quantities(text, lang) == []


@pytest.mark.parametrize(
    ("text", "claimed", "left"),
    [
        ("the 5 Segonn gang and 30 others", "5 Segonn", ["30"]),
        ("400 Mawozo members attacked", "400 Mawozo", []),
        ("over 200 since 2024", "2024", ["over 200"]),
        ("over 200 people", "over", ["200"]),
    ],
)
def test_skipped_spans_are_never_overlapped(text, claimed, left):
    start = text.index(claimed)
    found = find_quantities(text, skip=[(start, start + len(claimed))])
    assert [q.text for q in found] == left


SEED_QUANTITIES = [
    (10, "80 per cent", 80, None, "percent", (129, 140)),
    (11, "an additional 200", 200, "increment", "count", (15, 32)),
    (14, "400", 400, None, "count", (56, 59)),
    (16, "over 5,000", 5000, "gt", "count", (104, 114)),
    (17, "more than 2,000", 2000, "gt", "count", (14, 29)),
]


def test_the_seed_article_gives_the_expected_quantities():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        skip = [(m.start, m.end) for m in find_dates(line, date(2025, 1, 26))]
        found += [
            (number, q.text, q.value, q.qualifier, q.unit, (q.start, q.end)) for q in find_quantities(line, skip=skip)
        ]
    assert found == SEED_QUANTITIES


def test_the_seed_figure_spans_match_the_regression_fixture():
    line = SEED.read_text(encoding="utf-8").splitlines()[11]
    quantity = find_quantities(line)[0]
    assert (quantity.number_start, quantity.number_end) == (29, 32)


def test_the_module_never_imports_django():
    tree = ast.parse(Path(numbers.__file__).read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in names if name.split(".")[0] == "django"]


FRAGMENTS = st.sampled_from(
    [
        "over ",
        "an additional ",
        "between ",
        " and ",
        " to ",
        "-",
        "5,000",
        "1.3",
        " million",
        "$",
        "US$",
        "€",
        " per cent",
        "%",
        "five",
        " thousand",
        "a dozen",
        "hundreds",
        "one",
        " of ",
        "no ",
        "G",
        "9",
        "19",
        "th",
        ":",
        "January ",
        "2024",
        "resolution ",
        "plus de ",
        "cinq mille",
        "\u00a0",
        " ",
    ]
)
TEXTS = st.one_of(st.text(max_size=80), st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=12).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, lang=st.sampled_from(["en", "fr"]), data=st.data())
def test_any_text_gives_valid_spans(text, lang, data):
    bound = len(text)
    start = data.draw(st.integers(0, bound))
    skip = [(start, data.draw(st.integers(start, bound)))]
    found = find_quantities(text, lang, skip)
    for quantity in found:
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.start <= quantity.number_start < quantity.number_end <= quantity.end
        assert quantity.end <= skip[0][0] or quantity.start >= skip[0][1] or skip[0][0] == skip[0][1]
        assert quantity.low is None or quantity.high is None or quantity.low < quantity.high
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("Over half a million people", 500_000, "Over half a million"),
        ("a half million", 500_000, "a half million"),
        ("a million people", 1_000_000, "a million"),
    ],
)
def test_half_a_million_is_half(text: str, value: float, span: str) -> None:
    (found,) = find_quantities(text)
    assert (found.value, found.text) == (value, span)
