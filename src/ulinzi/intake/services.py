"""Storing documents and their candidates, and reading them back under the policy.

The command line, the API and the tests call these; extraction is passed in (``extract``) rather
than imported, so this app stores whatever a pipeline produces and the pipeline can change
without touching it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from ulinzi.accounts.access import readable
from ulinzi.accounts.models import Organisation
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import UnknownOrganisation
from ulinzi.intake.documents import DocumentText
from ulinzi.intake.extraction.records import KINDS, Record
from ulinzi.intake.models import Candidate, Document
from ulinzi.sources.models import ImportBatch, Source

Extract = Callable[[DocumentText, str], Sequence[Record]]
Status = Literal["stored", "already held", "refused"]


class ExtractionRefused(ValueError):
    """The extraction gave a record the review queue cannot hold; the document is not stored."""


@dataclass(frozen=True)
class Outcome:
    """What became of one document: ``name`` is how the operator knows it (file, URL, entry)."""

    name: str
    status: Status
    title: str = ""
    document_id: int | None = None
    candidates: int = 0
    reason: str = ""


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


def ingest(
    texts: Sequence[DocumentText],
    *,
    user: User | None = None,
    extract: Extract | None = None,
    label: Sensitivity = Sensitivity.CONFIDENTIAL,
    owner: str | None = None,
    names: Sequence[str] = (),
    batch_name: str = "",
) -> IngestReport:
    """Store each new document with its candidates, each document in its own transaction.

    A document whose text is already held is reported as such and not extracted again. Extraction
    runs before anything is written, so the database is not locked while it works; a document
    whose extraction fails or gives an impossible record is refused whole.
    """
    if owner is not None and not Organisation.objects.filter(code=owner).exists():
        raise UnknownOrganisation(owner)
    report = IngestReport()
    batch = _open_batch(texts, user, batch_name)
    for number, document in enumerate(texts):
        name = names[number] if number < len(names) else document.url or document.title or f"document {number + 1}"
        report.outcomes.append(
            _ingest_one(document, name, batch=batch, user=user, extract=extract, label=label, owner=owner)
        )
    batch.rows_read = len(texts)
    batch.rows_created = report.count("stored")
    batch.rows_unchanged = report.count("already held")
    batch.rows_rejected = report.count("refused")
    batch.save(update_fields=["rows_read", "rows_created", "rows_unchanged", "rows_rejected"])
    return report


def _open_batch(texts: Sequence[DocumentText], user: User | None, batch_name: str) -> ImportBatch:
    digest = hashlib.sha256("".join(text.content_sha256 for text in texts).encode()).hexdigest()
    return ImportBatch.objects.create(
        kind="intake", file_name=(batch_name or f"{len(texts)} documents")[:500], sha256=digest, user=user
    )


def _ingest_one(
    document: DocumentText,
    name: str,
    *,
    batch: ImportBatch,
    user: User | None,
    extract: Extract | None,
    label: Sensitivity,
    owner: str | None,
) -> Outcome:
    held = Document.objects.filter(content_sha256=document.content_sha256).values_list("pk", flat=True).first()
    if held is not None:
        return Outcome(name, "already held", document.title, held)
    try:
        records = _checked(document, extract(document, document.content_sha256) if extract else ())
    except Exception as error:  # any failure of a plugged-in extractor refuses this document only
        return Outcome(name, "refused", document.title, reason=f"extraction failed: {error}")
    try:
        with transaction.atomic():
            stored = _store(document, records, batch=batch, user=user, label=label, owner=owner)
    except IntegrityError:
        # Stored by someone else between our look-up and our write: the same text, held once.
        held = Document.objects.filter(content_sha256=document.content_sha256).values_list("pk", flat=True).first()
        return Outcome(name, "already held", document.title, held)
    return Outcome(name, "stored", document.title, stored.pk, len(records))


def _checked(document: DocumentText, records: Sequence[Record]) -> Sequence[Record]:
    """Every record must be of a known kind, with a confidence in [0, 1] and evidence that quotes
    the text exactly: a reviewer trusts the highlighted span, so a wrong one is never stored."""
    for record in records:
        if record.kind not in KINDS:
            raise ExtractionRefused(f"unknown candidate kind {record.kind!r}")
        if not 0 <= record.confidence <= 1:
            raise ExtractionRefused(f"confidence {record.confidence} is outside 0 to 1")
        for span in record.evidence:
            if (
                not (0 <= span.start < span.end <= len(document.text))
                or document.text[span.start : span.end] != span.text
            ):
                raise ExtractionRefused(f"evidence {span.start}-{span.end} {span.text!r} does not quote the text")
    return records


def _store(
    document: DocumentText,
    records: Sequence[Record],
    *,
    batch: ImportBatch,
    user: User | None,
    label: Sensitivity,
    owner: str | None,
) -> Document:
    stored = Document.objects.create(
        title=document.title[:300],
        text=document.text,
        publisher=document.publisher[:200],
        url=document.url[:1000],
        language=document.language[:16],
        published=document.published,
        published_from=document.published_from or "",
        content_sha256=document.content_sha256,
        source=_public_source(document) if label is Sensitivity.PUBLIC else None,
        batch=batch,
        ingested_by=user,
        sensitivity=int(label),
        owner_id=owner,
    )
    Candidate.objects.bulk_create(
        Candidate(
            document=stored,
            kind=record.kind,
            record=record.as_json(),
            confidence=record.confidence,
            sensitivity=int(label),
            owner_id=owner,
        )
        for record in records
    )
    return stored


def _public_source(document: DocumentText) -> Source:
    """The Source accepted records will cite. Sources are public, so only a public document gets
    one: a field report's title and publisher would otherwise show to every reader of sources."""
    citation = document.url or ", ".join(
        part for part in (document.publisher, document.title, str(document.published or "")) if part
    )
    source, _ = Source.objects.get_or_create(
        reference=(citation or f"document sha256:{document.content_sha256}")[:1000],
        defaults={"publisher": document.publisher[:200], "published_on": document.published},
    )
    return source


def documents(viewer: Viewer, *, language: str | None = None) -> QuerySet[Document]:
    """The documents the viewer may read, newest first."""
    found = readable(Document.objects.annotate(candidate_count=Count("candidates")), viewer, RecordType.DOCUMENT)
    if language:
        found = found.filter(language=language)
    return found.order_by("-ingested_at", "-id")


def document(viewer: Viewer, document_id: int) -> Document | None:
    """One readable document, or None alike for a hidden and a missing one."""
    return documents(viewer).filter(pk=document_id).first()


def candidates(
    viewer: Viewer, *, status: str | None = None, kind: str | None = None, document_id: int | None = None
) -> QuerySet[Candidate]:
    """The candidates the viewer may read, in document order."""
    found = readable(Candidate.objects.all(), viewer, RecordType.CANDIDATE)
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    if document_id is not None:
        found = found.filter(document_id=document_id)
    return found.order_by("document_id", "id")
