from ulinzi.geo.geocoding import Entry, Gazetteer, fold, normalise


def entry(place_id: int, name: str, chain: tuple[str, ...], kind: str = "admin", language: str = "fr") -> Entry:
    return Entry(place_id, name, language, name, kind, chain, -72.3, 18.5, 3)


GAZETTEER = Gazetteer(
    [
        entry(1, "Port-au-Prince", ("HT0111", "HT01")),
        entry(2, "Pétion-Ville", ("HT0114", "HT01")),
        entry(3, "Cité Soleil", ("HT0117", "HT01")),
        entry(4, "Solino", ("HT0111", "HT01"), kind="neighbourhood"),
        entry(5, "Bel Air", ("HT0111", "HT01"), kind="neighbourhood"),
        entry(6, "Bel Air", ("HT0931", "HT09"), kind="settlement"),
        entry(7, "Matisan", ("HT0111", "HT01"), kind="neighbourhood", language="ht"),
    ]
)


def best(query: str, within: str | None = None) -> str:
    return GAZETTEER.geocode(query, within=within).candidates[0].entry.name


def test_accents_case_and_punctuation_do_not_matter():
    assert normalise("CITÉ-SOLEIL!") == "cite soleil"
    assert best("cite soleil") == "Cité Soleil"


def test_spacing_and_creole_spellings_find_the_same_place():
    assert best("Petionville") == "Pétion-Ville"
    assert best("Petyonvil") == "Pétion-Ville"
    assert fold("Pétion-Ville") == "petionvil"


def test_a_typo_is_found_with_a_lower_score():
    result = GAZETTEER.geocode("Port-au-Prinse")
    (top,) = result.candidates[:1]
    assert (top.entry.name, top.match) == ("Port-au-Prince", "fuzzy")
    assert 0.6 <= top.score < 0.9


def test_acled_area_dash_place_looks_inside_the_area():
    result = GAZETTEER.geocode("Port-au-Prince - Solino")
    assert result.candidates[0].entry.name == "Solino"
    assert result.candidates[0].entry.admin_chain[0] == "HT0111"


def test_an_ambiguous_name_returns_every_place_and_says_so():
    result = GAZETTEER.geocode("Bel Air")
    assert {c.entry.place_id for c in result.candidates} == {5, 6}
    assert result.ambiguous
    assert best("Port-au-Prince - Bel Air") == "Bel Air"
    assert GAZETTEER.geocode("Port-au-Prince - Bel Air").candidates[0].entry.place_id == 5


def test_within_keeps_only_places_inside_the_area():
    result = GAZETTEER.geocode("Bel Air", within="HT09")
    assert [c.entry.place_id for c in result.candidates] == [6]
    assert not result.ambiguous


def test_the_matched_alias_is_reported():
    candidate = GAZETTEER.geocode("Matisan").candidates[0]
    assert (candidate.matched_name, candidate.entry.language, candidate.match) == ("Matisan", "ht", "exact")


def test_nonsense_finds_nothing():
    assert GAZETTEER.geocode("zzzz qqqq").candidates == ()
    assert GAZETTEER.geocode("---").candidates == ()
