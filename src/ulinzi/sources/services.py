"""Find or create sources from the parsed citations importers hand over."""

from __future__ import annotations

from collections.abc import Iterable

from ulinzi.importing.citations import Citation
from ulinzi.sources.models import Source


def sources_for(citations: Iterable[Citation]) -> list[Source]:
    found = []
    for citation in citations:
        source, _ = Source.objects.get_or_create(
            reference=citation.reference,
            defaults={"publisher": citation.publisher, "note": citation.note, "published_on": citation.published_on},
        )
        found.append(source)
    return found
