"""The extraction pipeline as the intake service runs it: over the database's places."""

from __future__ import annotations

from collections.abc import Sequence

from ulinzi.intake.documents import DocumentText
from ulinzi.intake.extraction.gazetteer import build
from ulinzi.intake.extraction.pipeline import LANGUAGES, Extractor
from ulinzi.intake.extraction.records import Record
from ulinzi.intake.place_facts import places_from_database
from ulinzi.intake.services import Extract


def database_extractor() -> Extract:
    """Extract candidates with every place and alias the gazetteer holds now."""
    extractor = Extractor(build(places_from_database()))

    def extract(document: DocumentText, doc_id: str) -> Sequence[Record]:
        language = document.language if document.language in LANGUAGES else "en"
        return extractor.extract(doc_id, document.text, document.published, language)

    return extract
