"""Find or create the sources importers cite, a batch at a time."""

from __future__ import annotations

from collections.abc import Iterable

from ulinzi.importing.citations import Citation
from ulinzi.sources.models import Source


class SourceCache:
    """Sources by reference for one import: each batch costs one look-up and one bulk insert."""

    def __init__(self) -> None:
        self._known: dict[str, Source] = {}

    def load(self, citations: Iterable[Citation]) -> None:
        wanted = {c.reference: c for c in citations if c.reference not in self._known}
        if not wanted:
            return
        self._known.update(Source.objects.in_bulk(list(wanted), field_name="reference"))
        missing = [
            Source(reference=c.reference, publisher=c.publisher, note=c.note, published_on=c.published_on)
            for reference, c in wanted.items()
            if reference not in self._known
        ]
        self._known.update({source.reference: source for source in Source.objects.bulk_create(missing)})

    def sources(self, citations: Iterable[Citation]) -> list[Source]:
        """The cited sources in citation order, each once."""
        cited = list(citations)
        self.load(cited)
        return list({c.reference: self._known[c.reference] for c in cited}.values())
