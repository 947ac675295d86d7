"""Split a free-text sources cell into citations: URLs with notes, or plain references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

URL = re.compile(r"https?://[^\s;()]+")


@dataclass(frozen=True)
class Citation:
    reference: str
    publisher: str = ""
    note: str = ""
    published_on: date | None = None


def parse_citations(text: str) -> list[Citation]:
    """``"https://a.org/x (IG: 200); statement 2024-06-25"`` → two citations.

    >>> [c.reference for c in parse_citations("https://a.org/x (IG: 200); statement of 2024")]
    ['https://a.org/x', 'statement of 2024']
    >>> parse_citations("https://www.a.org/x (IG: 200)")[0].publisher
    'a.org'
    """
    citations = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        match = URL.search(part)
        if match is None:
            citations.append(Citation(reference=part[:1000]))
            continue
        url = match.group(0).rstrip(".,")
        host = urlsplit(url).hostname or ""
        note = (part[: match.start()] + part[match.end() :]).strip(" ()")
        publisher = host.removeprefix("www.")[:200]
        citations.append(Citation(reference=url[:1000], publisher=publisher, note=note[:500]))
    return citations
