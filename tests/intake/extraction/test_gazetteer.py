"""Names found the way writers spell them, and not where a word only looks like one."""

from __future__ import annotations

import pytest

from ulinzi.intake.extraction.gazetteer import CountryFact, Gazetteer, PlaceFact, admin_place, build

PLACES = [
    admin_place("HT01", 1, ["Ouest", "West"], ["HT01"], lat=18.6, lon=-72.4),
    admin_place("HT0111", 2, ["Port-au-Prince"], ["HT0111", "HT01"], lat=18.53, lon=-72.33),
    admin_place("HT0114", 2, ["Pétion-Ville"], ["HT0114", "HT01"], lat=18.48, lon=-72.24),
    admin_place("HT0131", 2, ["Croix-Des-Bouquets"], ["HT0131", "HT01"], lat=18.57, lon=-72.19),
    admin_place("HT0142", 2, ["Cabaret"], ["HT0142", "HT01"], lat=18.73, lon=-72.42),
    admin_place("HT0111-01", 3, ["1re Section Turgeau"], ["HT0111-01", "HT0111", "HT01"], lat=18.53, lon=-72.33),
    admin_place("HT06", 1, ["Centre"], ["HT06"], lat=19.0, lon=-72.0),
    PlaceFact("Martissant", None, ("HT0111", "HT01"), None, 18.528, -72.365, 2, ("Martissant", "Matisan")),
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return build(PLACES)


def names(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind, m.fact.name) for m in gazetteer.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clashes in Petion Ville.", [("Petion Ville", "place", "Pétion-Ville")]),
        (
            "PETION-VILLE and Croix-des-Bouquets",
            [("PETION-VILLE", "place", "Pétion-Ville"), ("Croix-des-Bouquets", "place", "Croix-Des-Bouquets")],
        ),
        ("a reign of terror in the capital", [("the capital", "place", "Port-au-Prince")]),
        ("gunfire in Turgeau", [("Turgeau", "place", "1re Section Turgeau")]),
        ("residents of Matisan fled", [("Matisan", "place", "Martissant")]),
        ("led by ‘Viv Ansam,’ a coalition", [("Viv Ansam", "actor", "Viv Ansanm")]),
        ("the 400 Mawozo gang", [("400 Mawozo gang", "actor", "400 Mawozo")]),
        ("G9 and G-Pep fighters", [("G9", "actor", "G9 an Fanmi e Alye"), ("G-Pep", "actor", "G-Pèp")]),
        ("200 Kenyan soldiers", [("Kenyan", "country", "Kenya")]),
        ("the police said", [("police", "actor", "Police Forces of Haiti (2017-)")]),
        ("officers from the Bahamas", [("Bahamas", "country", "Bahamas")]),
        ("the PNH said", [("PNH", "actor", "Police Forces of Haiti (2017-)")]),
    ],
)
def test_names_as_written_resolve_to_one_fact(gazetteer: Gazetteer, text: str, expected: list[object]) -> None:
    assert names(gazetteer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a cabaret singer",  # a common noun is not the commune of Cabaret
        "the Centre for Human Rights",  # a department's name alone, without "department"
        "grand griffon",
    ],
)
def test_ordinary_words_are_not_names(gazetteer: Gazetteer, text: str) -> None:
    assert [m for m in gazetteer.find(text) if m.kind == "place"] == []


def test_a_department_named_as_such_is_found(gazetteer: Gazetteer) -> None:
    assert names(gazetteer, "in the Centre department") == [("Centre", "place", "Centre")]


def test_spans_point_into_the_text(gazetteer: Gazetteer) -> None:
    text = "On Tuesday, Viv Ansanm attacked Port-au-Prince; Kenyan officers responded."
    for mention in gazetteer.find(text):
        assert text[mention.start : mention.end] == mention.text


def test_an_alias_needs_its_place(gazetteer: Gazetteer) -> None:
    bare = build([], place_aliases=[("the capital", "Port-au-Prince", True)])
    assert [m.kind for m in bare.find("the capital")] == []
    assert isinstance(gazetteer.find("Haiti")[0].fact, CountryFact)
