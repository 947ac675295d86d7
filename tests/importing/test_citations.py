from ulinzi.importing.citations import parse_citations


def test_urls_keep_their_notes_and_publishers():
    (first, second) = parse_citations("https://www.example.org/x (IG Koome: 200); https://news.example.com/y")
    assert first.reference == "https://www.example.org/x"
    assert first.publisher == "example.org"
    assert first.note == "IG Koome: 200"
    assert second.publisher == "news.example.com"


def test_plain_text_is_a_reference_of_its_own():
    (citation,) = parse_citations("whitehouse statement 2024-06-25 (texts/whitehouse)")
    assert citation.reference == "whitehouse statement 2024-06-25 (texts/whitehouse)"
    assert citation.publisher == ""


def test_empty_pieces_are_dropped():
    assert parse_citations(" ; ;") == []
