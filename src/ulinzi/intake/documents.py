"""Reading documents (plain text, web pages, RSS and Atom feeds) into plain text with provenance.

Framework-free: the command line, a future upload page and the tests call the same readers, and
nothing here touches the database. Every refusal is a :class:`DocumentRefused` whose message
names the problem in words an operator can act on; a reader either returns whole documents or
refuses, so a bad file never leaves half a document behind.

Which date a document carries (``published_from``): a date the operator gives wins over the
page's or feed's metadata, which wins over the dateline on the document's first line. A dateline
without a year ("NAIROBI, Kenya, Jan 26 –") takes the year of the given or metadata date, or
the year before when that would put it more than a month after that date (a piece filed on
26 December and published on 2 January); with neither, it gives no date, since a guessed year
is worse than none.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Literal

PublishedFrom = Literal["metadata", "dateline", "given"]
Kind = Literal["text", "html", "feed"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Above these shares of a text's characters, it is not text a person wrote.
MAX_UNDECODABLE_SHARE = 0.01
MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


class DocumentRefused(ValueError):
    """The input cannot become a document; the message says why, for the operator."""


@dataclass(frozen=True)
class DocumentText:
    """One document's text and what is known of where and when it was published.

    ``content_sha256`` is derived from the text (see :func:`content_hash`), never given, so two
    readings of the same article always agree on it. ``dateline`` keeps the dateline's own date
    even when a given or metadata date wins ``published``: extraction resolves "on Saturday"
    against it.
    """

    text: str
    title: str = ""
    publisher: str = ""
    language: str = ""
    published: date | None = None
    published_from: PublishedFrom | None = None
    url: str = ""
    dateline: date | None = None
    content_sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_sha256", content_hash(self.text))


@dataclass(frozen=True)
class Hints:
    """What the operator says about the inputs: it wins over what the documents say."""

    published: date | None = None
    publisher: str = ""
    language: str = ""


def content_hash(text: str) -> str:
    """SHA-256 of the text in NFC with every run of whitespace made one space, so the same
    article saved twice, with other line breaks or composed accents, is one document."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def read_bytes(
    data: bytes,
    *,
    hints: Hints = Hints(),
    url: str = "",
    content_type: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[DocumentText]:
    """The documents in ``data``: one for a text or a page, one per entry for a feed."""
    if len(data) > max_bytes:
        raise DocumentRefused(f"{_size(len(data))}, above the {_size(max_bytes)} limit (ULINZI_INTAKE_MAX_MB)")
    if not data.strip():
        raise DocumentRefused("empty: there is no text in it")
    if b"\x00" in data:
        raise DocumentRefused("binary data (it holds NUL bytes): only UTF-8 text, HTML, RSS and Atom are read")
    kind = detect(data, content_type)
    if kind == "feed":
        found = read_feed(data, hints=hints)
    elif kind == "html":
        found = [read_html(data, hints=hints, url=url)]
    else:
        found = [read_text(data, hints=hints, url=url)]
    return found


def detect(data: bytes, content_type: str = "") -> Kind:
    """Decide by content what the bytes are; the server's content type only breaks a tie, since a
    file's name or a server's header is often wrong."""
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf)[\s>]", head):
            return "feed"
        if re.search(r"<(!doctype html|html|head|body|article|div|p|h[1-6])[\s>/]", head):
            return "html"
    lowered_type = content_type.lower()
    if head.startswith("<") and ("rss" in lowered_type or "atom" in lowered_type):
        return "feed"
    if head.startswith("<") and "html" in lowered_type:
        return "html"
    return "text"


def read_text(data: bytes, *, hints: Hints = Hints(), url: str = "") -> DocumentText:
    text = decode_text(data).strip()
    if not text:
        raise DocumentRefused("empty: there is no text in it")
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]
    return _dated(DocumentText(text=text, title=title, publisher=hints.publisher, language=hints.language, url=url),
                  hints, metadata=None)  # fmt: skip


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark). A stray invalid byte becomes U+FFFD; more than
    one character in a hundred undecodable, or as many control characters, is refused as not text."""
    text = data.decode("utf-8-sig", errors="replace")
    if not text:
        return text
    undecodable = text.count("\ufffd") / len(text)
    if undecodable > MAX_UNDECODABLE_SHARE:
        raise DocumentRefused(f"not UTF-8 text: {undecodable:.0%} of its characters cannot be decoded")
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS)
    if controls / len(text) > MAX_CONTROL_SHARE:
        raise DocumentRefused(f"binary data: {controls / len(text):.0%} of its characters are control characters")
    return text


def read_html(data: bytes, *, hints: Hints = Hints(), url: str = "") -> DocumentText:
    """The page's main text (no navigation, comments, scripts or styles) and its metadata."""
    import trafilatura  # noqa: PLC0415  slow to load; `ulinzi --help` imports this module

    markup = decode_text(data)
    found = trafilatura.bare_extraction(
        markup,
        url=url or None,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        prune_xpath=["//noscript", "//template"],  # text meant for browsers without scripts is page furniture
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(found, "text", None) or ""
    text = body.strip() or html_to_text(markup)
    if not text:
        raise DocumentRefused("no readable text in the page (only markup, scripts or styles)")
    title = (getattr(found, "title", None) or "").strip()
    text = _without_leading_title(text, title)
    language = hints.language or _html_language(markup)
    publisher = hints.publisher or (getattr(found, "sitename", None) or "").strip()
    metadata = _iso_date(getattr(found, "date", None))
    document = DocumentText(text=text, title=title[:300], publisher=publisher[:200], language=language, url=url)
    return _dated(document, hints, metadata=metadata)


def read_feed(data: bytes, *, hints: Hints = Hints()) -> list[DocumentText]:
    """One document per entry, each with its own link and date; a feed the parser finds broken is
    refused whole rather than read in part."""
    import feedparser  # type: ignore[import-untyped]  # noqa: PLC0415  untyped; loaded late as trafilatura

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(problem, feedparser.CharacterEncodingOverride):
        line = getattr(problem, "getLineNumber", lambda: None)()
        where = f" at line {line}" if line else ""
        raise DocumentRefused(f"malformed feed{where}: {getattr(problem, 'getMessage', lambda: problem)()}")
    if not parsed.entries:
        raise DocumentRefused("the feed holds no entries")
    feed = parsed.get("feed", {})
    publisher = hints.publisher or str(feed.get("title", "")).strip()
    language = hints.language or str(feed.get("language", "")).strip()
    documents = []
    for number, entry in enumerate(parsed.entries, start=1):
        contents = entry.get("content") or []
        markup = contents[0].get("value", "") if contents else entry.get("summary", "")
        text = html_to_text(str(markup))
        if not text:
            raise DocumentRefused(f"entry {number} ({entry.get('title', 'untitled')!r}) has no text")
        parsed_date = entry.get("published_parsed") or entry.get("updated_parsed")
        document = DocumentText(
            text=text,
            title=str(entry.get("title", "")).strip()[:300],
            publisher=publisher[:200],
            language=language,
            url=str(entry.get("link", "")),
        )
        documents.append(_dated(document, hints, metadata=_struct_date(parsed_date)))
    return documents


class _TextOfHtml(HTMLParser):
    """Visible text of a fragment: script, style and template bodies dropped, blocks on new lines."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    reader = _TextOfHtml()
    reader.feed(markup)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).splitlines())
    return "\n".join(line for line in lines if line)


_MONTHS = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "oct": 10, "nov": 11, "déc": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-zéûÉÛ]{3,9})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_DATE_FORMS = (re.compile(rf"\b{_MONTH}\s+{_DAY}{_YEAR}\b"), re.compile(rf"\b{_DAY}\s+{_MONTH}{_YEAR}\b"))
# "PLACE[, Region][, date] [(AGENCY)] –": a capitalised place, up to 80 characters, then a dash.
_DATELINE = re.compile(r"^\s*(?P<head>[A-ZÀ-Ý][^\n–—]{1,80}?)\s+(?:–|—|-{1,2})\s+\S")


def dateline_date(first_line: str, reference: date | None = None) -> date | None:
    """The date a dateline gives (see the module's docstring for the year rule), or None."""
    match = _DATELINE.match(first_line)
    if not match or "," not in match["head"]:
        return None
    head = re.sub(r"\([^)]*\)", " ", match["head"])
    for form in _DATE_FORMS:
        found = form.search(head)
        month = _MONTHS.get(found["month"].lower()) if found else None
        if found is None or month is None:
            continue
        day = int(found["day"])
        if found["year"]:
            return _safe_date(int(found["year"]), month, day)
        if reference is None:
            return None
        guess = _safe_date(reference.year, month, day)
        if guess is not None and guess > reference + timedelta(days=31):
            guess = _safe_date(reference.year - 1, month, day)
        return guess
    return None


def _dated(document: DocumentText, hints: Hints, metadata: date | None) -> DocumentText:
    first_line = next((line for line in document.text.splitlines() if line.strip()), "")
    dateline = dateline_date(first_line, hints.published or metadata)
    published: date | None = dateline
    published_from: PublishedFrom | None = "dateline" if dateline else None
    if hints.published is not None:
        published, published_from = hints.published, "given"
    elif metadata is not None:
        published, published_from = metadata, "metadata"
    return replace(document, published=published, published_from=published_from, dateline=dateline)


def _without_leading_title(text: str, title: str) -> str:
    """Trafilatura repeats the headline as the first line; the dateline is the line after it."""
    first, _, rest = text.partition("\n")
    if title and rest.strip() and " ".join(first.split()) == " ".join(title.split()):
        return rest.strip()
    return text


def _html_language(markup: str) -> str:
    found = re.search(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)", markup[:4096], re.I)
    return found.group(1) if found else ""


def _iso_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _struct_date(value: time.struct_time | None) -> date | None:
    return _safe_date(value.tm_year, value.tm_mon, value.tm_mday) if value else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"
