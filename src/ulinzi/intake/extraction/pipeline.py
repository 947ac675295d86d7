"""Text in, candidate records out: the offline extraction pipeline.

A document is split into paragraphs and sentences (spaCy's blank pipeline: its tokenizer knows
"Jan." and "U.S." are not sentence ends), names are found from the gazetteers, dates resolved
against the publication date, figures read with their qualifiers, and rules per record kind
(``rules``) turn a sentence's parts into events, deployments and claims. No statistical model is
loaded: the same text gives the same records on every machine. Framework-free.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from ulinzi.intake.extraction import rules
from ulinzi.intake.extraction.dates import DateMention, find_dates
from ulinzi.intake.extraction.gazetteer import CountryFact, Gazetteer, Mention, PlaceFact
from ulinzi.intake.extraction.numbers import Quantity, find_quantities
from ulinzi.intake.extraction.records import Record

DEFAULT_MAX_CHARACTERS = 2_000_000
LANGUAGES = ("en", "fr")
# Only sentences are taken from spaCy. Its French tokenizer compiles its exceptions for about ten
# seconds on first use, so French text is split by the multi-language tokenizer, which loads in
# a tenth of a second and splits the same sentences.
SPACY_LANGUAGE = {"en": "en", "fr": "xx"}
CONTROL_SHARE_LIMIT = 0.1  # a text more than a tenth control characters is not prose
# "PORT-AU-PRINCE, July 18 —", "25 Jul 2024 —", "03/05/2023 – Cité Soleil (Brooklyn)." : where and
# when the report was filed, not where and when anything in it happened.
DATELINE = re.compile(r"^[^\n]{0,80}?\s[—–-]{1,2}\s|^[^\n]{0,80}?\s\([A-Z][\w ]*\)\s[—–-]\s")
# A line that ends like this ends its paragraph; a shorter one is a heading or a list line.
SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]$")
LIST_ITEM = re.compile(r"(?:[-*•#|]|\d+[.)])\s")
WRAP_MIN = 50
INCREMENT_AFTER = re.compile(r"\s+(?:more|additional|extra|further|supplémentaires)\b", re.IGNORECASE)
DATELINE_HINT = re.compile(r"\d|[A-Z]{4,}")


class DocumentRefused(ValueError):
    """A document the pipeline will not read, with the reason a person can act on."""


@dataclass(frozen=True)
class Sentence:
    """One sentence and everything found in it; offsets are into the whole document text."""

    start: int
    end: int
    paragraph: int
    mentions: tuple[Mention, ...]
    dates: tuple[DateMention, ...]
    quantities: tuple[Quantity, ...]


@dataclass
class Context:
    """What a rule may look up beyond its own sentence."""

    doc_id: str
    text: str
    published: date | None
    sentences: list[Sentence]
    theatre: CountryFact | None
    places_by_code: dict[str, PlaceFact]
    records: list[Record] = field(default_factory=list)
    # the sentence each record came from, so a later sentence can add to an earlier event
    origins: list[int] = field(default_factory=list)


class Extractor:
    """Reusable across documents: the gazetteer index and the tokenizers are built once."""

    def __init__(self, gazetteer: Gazetteer, *, max_characters: int = DEFAULT_MAX_CHARACTERS) -> None:
        self.gazetteer = gazetteer
        self.max_characters = max_characters
        self._nlp: dict[str, Any] = {}
        codes = {place.pcode[:2] for place in gazetteer.places if place.pcode}
        self._theatres = [country for country in gazetteer.countries if country.iso2 in codes]
        self._places_by_code = {place.pcode: place for place in gazetteer.places if place.pcode}

    def extract(self, doc_id: str, text: str, published: date | None = None, lang: str = "en") -> list[Record]:
        """The records one document supports, in text order; ``DocumentRefused`` for unreadable text."""
        self._check(text, lang)
        sentences = list(self._sentences(text, published, lang))
        context = Context(
            doc_id=doc_id,
            text=text,
            published=published,
            sentences=sentences,
            theatre=self._theatre(sentences),
            places_by_code=self._places_by_code,
        )
        for index in range(len(sentences)):
            for record in rules.records_of(context, index):
                context.records.append(record)
                context.origins.append(index)
        return context.records

    def _check(self, text: str, lang: str) -> None:
        if lang not in LANGUAGES:
            raise DocumentRefused(f"language {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
        if not text.strip():
            raise DocumentRefused("the document is empty")
        if len(text) > self.max_characters:
            raise DocumentRefused(
                f"the document has {len(text):,} characters, over the limit of {self.max_characters:,}"
            )
        if "\x00" in text:
            raise DocumentRefused("the document holds NUL characters: binary data, not text")
        sample = text[:100_000]
        controls = sum(
            1 for char in sample if unicodedata.category(char) in {"Cc", "Co", "Cs"} and char not in "\n\r\t"
        )
        if controls > CONTROL_SHARE_LIMIT * len(sample):
            raise DocumentRefused(
                f"{controls:,} control characters in the first {len(sample):,}: binary data, not text"
            )

    def nlp(self, lang: str) -> Any:
        if lang not in self._nlp:
            import spacy  # noqa: PLC0415  a second of start-up, paid only when a document is read

            pipeline = spacy.blank(SPACY_LANGUAGE[lang])
            pipeline.add_pipe("sentencizer")
            self._nlp[lang] = pipeline
        return self._nlp[lang]

    def _sentences(self, text: str, published: date | None, lang: str) -> Iterator[Sentence]:
        spans = list(_paragraphs(text))
        nlp = self.nlp(lang)
        dateline = _dateline_end(text)
        found = []
        for number, ((start, end), doc) in enumerate(zip(spans, nlp.pipe(text[s:e] for s, e in spans), strict=True)):
            paragraph_dates = [_shift_date(mention, start) for mention in find_dates(text[start:end], published, lang)]
            for sentence in doc.sents:
                begin, finish = start + sentence.start_char, start + sentence.end_char
                mentions = tuple(m for m in self.gazetteer.find(text, begin, finish) if m.start >= dateline)
                dates = tuple(
                    m for m in paragraph_dates if begin <= m.start and m.end <= finish and m.start >= dateline
                )
                skip = [(m.start - begin, m.end - begin) for m in mentions if _holds_figure(m)]
                skip += [(m.start - begin, m.end - begin) for m in dates]
                quantities = tuple(
                    _increments(text, _shift_quantity(q, begin))
                    for q in find_quantities(text[begin:finish], lang, skip=skip)
                )
                found.append(Sentence(begin, finish, number, mentions, dates, quantities))
        named_codes = {
            code
            for s in found
            for m in s.mentions
            if isinstance(m.fact, PlaceFact) and m.via != "short"
            for code in m.fact.admin_chain
        }
        for sentence in found:
            weak = [
                m
                for m in sentence.mentions
                if m.via == "short" and isinstance(m.fact, PlaceFact) and not set(m.fact.admin_chain[1:]) & named_codes
            ]
            yield replace(sentence, mentions=tuple(m for m in sentence.mentions if m not in weak)) if weak else sentence

    def _theatre(self, sentences: Sequence[Sentence]) -> CountryFact | None:
        """The country whose places are loaded and that the document names: where things happen."""
        named = {m.fact for s in sentences for m in s.mentions if isinstance(m.fact, CountryFact)}
        mentioned = next((country for country in self._theatres if country in named), None)
        if mentioned is None and len(self._theatres) == 1:
            return self._theatres[0]
        return mentioned

    @cached_property
    def description(self) -> str:
        return (
            f"{len(self.gazetteer.actors)} actors, {len(self.gazetteer.countries)} countries, "
            f"{len(self.gazetteer.places)} places; no trained model"
        )


def _increments(text: str, quantity: Quantity) -> Quantity:
    """ "eight more medics", "200 additional officers": a change, not a total."""
    if quantity.qualifier is None and INCREMENT_AFTER.match(text, quantity.end):
        return replace(quantity, qualifier="increment")
    return quantity


def _dateline_end(text: str) -> int:
    """Where the dateline ends, or 0 when the text opens with no dateline."""
    match = DATELINE.match(text)
    if match is None or not DATELINE_HINT.search(match.group()):
        return 0
    return match.end()


def _holds_figure(mention: Mention | DateMention) -> bool:
    return any(char.isdigit() for char in mention.text) or isinstance(mention, DateMention)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Paragraphs as ``[start, end)`` spans. A long line that does not end a sentence, followed
    by a line that is not a list item, is hard-wrapped (statements are often wrapped at 72
    columns), so "nearly five" and "million" on two lines stay one figure."""
    start: int | None = None
    end = 0
    previous = ""
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped:
            if start is not None:
                yield start, end
                start = None
        else:
            offset = position + line.index(stripped[0])
            wrapped = len(previous) >= WRAP_MIN and not SENTENCE_END.search(previous) and not LIST_ITEM.match(stripped)
            if start is not None and not wrapped:
                yield start, end
                start = None
            if start is None:
                start = offset
            end = offset + len(stripped)
            previous = stripped
        position += len(line)
    if start is not None:
        yield start, end


def _shift_date(mention: DateMention, offset: int) -> DateMention:
    return replace(mention, start=mention.start + offset, end=mention.end + offset)


def _shift_quantity(quantity: Quantity, offset: int) -> Quantity:
    return replace(
        quantity,
        start=quantity.start + offset,
        end=quantity.end + offset,
        number_start=quantity.number_start + offset,
        number_end=quantity.number_end + offset,
    )
