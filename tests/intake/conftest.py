"""Documents for the review-queue tests: real text through the real extractor, over the three
made-up communes of ``tests/fixtures/three_areas.geojson`` (Alpha, Beta, Gamma)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.intake.documents import DocumentText
from ulinzi.intake.extraction.gazetteer import build
from ulinzi.intake.extraction.pipeline import Extractor
from ulinzi.intake.extraction.places import places_from_files
from ulinzi.intake.extraction.records import Record
from ulinzi.intake.models import Candidate, Document
from ulinzi.intake.services import ingest

FIXTURES = Path(__file__).parents[1] / "fixtures"
PUBLISHED = date(2025, 1, 26)
ARTICLE = """Gangs attack Alpha

PORT-AU-PRINCE, Haiti (AP) — Gang members attacked a police station in Alpha on January 19, killing three officers.

A contingent of 200 Kenyan police officers arrived in Alpha on January 20.

Jamaica pledged 150 soldiers to the mission on January 21.

Over 5,000 people were killed in Alpha since February 2024, the UN said.
"""
# Another outlet's account of the same attack, for merging.
SECOND_ACCOUNT = """Police station attacked

Alpha, Jan 20 — Gang members attacked a police station in Alpha on January 19, killing four officers.
"""

Ingest = Callable[..., Document]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(build(places_from_files([FIXTURES / "three_areas.geojson"])))


@pytest.fixture
def take_in(extractor: Extractor) -> Ingest:
    """Store a text as a document with the candidates the extractor finds in it."""

    def extract(document: DocumentText, doc_id: str) -> Sequence[Record]:
        return extractor.extract(doc_id, document.text, document.published)

    def store(
        text: str = ARTICLE, *, label: Sensitivity = Sensitivity.PUBLIC, owner: str | None = None, url: str = ""
    ) -> Document:
        document = DocumentText(text=text, title=text.splitlines()[0], published=PUBLISHED, url=url, language="en")
        outcome = ingest([document], extract=extract, label=label, owner=owner).outcomes[0]
        assert outcome.status == "stored", outcome.reason
        assert outcome.document_id is not None
        return Document.objects.get(pk=outcome.document_id)

    return store


def candidate(document: Document, kind: str, **wanted: object) -> Candidate:
    """The document's one candidate of that kind whose record has the wanted values."""
    found = [
        one
        for one in document.candidates.filter(kind=kind)
        if all(one.record.get(name) == value for name, value in wanted.items())
    ]
    assert len(found) == 1, [one.record for one in document.candidates.all()]
    return found[0]
