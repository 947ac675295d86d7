"""Documents taken in (articles, statements, field reports) and the candidates extracted from them.

Labels. A document carries its own label, confidential (P2) unless the operator says otherwise:
the same table holds public press articles and field reports, and a field report labelled public
by a forgotten option would be a leak, while a press article labelled confidential only costs an
option (``--label P0``). A candidate carries its document's label and owner, since it quotes it.

Encryption. A document's text, and a candidate's record (whose evidence quotes the text), are
sealed at rest (``ulinzi.encryption``): one column cannot be encrypted for some rows only, and a
field report may name informants. The title, publisher and URL stay clear so lists and the admin
can show and search them: do not put names in a field report's title. The content hash stays
clear and unique, so the same text is recognised without opening anything; it confirms a text
only to someone who already holds that text.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ulinzi.accounts.fields import owner_field, sensitivity_field
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.encryption import EncryptedJSONField, EncryptedTextField
from ulinzi.sources.models import ImportBatch, Source


class PublishedFrom(models.TextChoices):
    GIVEN = "given", "given by the operator"
    METADATA = "metadata", "the page's or feed's metadata"
    DATELINE = "dateline", "the dateline"


class Document(models.Model):
    """One text as taken in, never edited afterwards: candidates' spans index into it."""

    title = models.CharField(max_length=300, blank=True)
    text = EncryptedTextField()
    publisher = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    language = models.CharField(max_length=16, blank=True)
    published = models.DateField(null=True, blank=True)
    published_from = models.CharField(max_length=8, choices=PublishedFrom.choices, blank=True)
    content_sha256 = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the text in NFC with whitespace collapsed"
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="the public source accepted records cite; only public (P0) documents have one",
    )
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    ingested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    ingested_at = models.DateTimeField(auto_now_add=True)
    sensitivity = sensitivity_field(Sensitivity.CONFIDENTIAL)
    owner = owner_field()

    class Meta:
        ordering = ["-ingested_at", "-id"]
        indexes = [models.Index(fields=["sensitivity", "owner"], name="intake_document_label")]

    def __str__(self) -> str:
        return self.title or f"document {self.pk}"


class CandidateKind(models.TextChoices):
    EVENT = "event"
    DEPLOYMENT = "deployment"
    CLAIM = "claim"


class CandidateStatus(models.TextChoices):
    PENDING = "pending"
    ACCEPTED = "accepted", "accepted: a new record was made from it"
    REJECTED = "rejected"
    MERGED = "merged", "merged into a record that already existed"


class Candidate(models.Model):
    """An extracted event, deployment or claim awaiting review.

    ``record`` is exactly ``Record.as_json()`` (``intake.extraction.records``), evidence included:
    kind, status and confidence are the only parts queried, so they alone are columns.
    ``outcome`` is what review made of it (an event, a movement report, a claim), whatever app
    that record lives in; it is set exactly when the candidate is accepted or merged.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="candidates")
    kind = models.CharField(max_length=10, choices=CandidateKind.choices)
    record = EncryptedJSONField()
    confidence = models.FloatField()
    status = models.CharField(max_length=8, choices=CandidateStatus.choices, default=CandidateStatus.PENDING)
    reason = models.TextField(blank=True, help_text="why it was rejected (required then) or merged")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome_id = models.PositiveBigIntegerField(null=True, blank=True)
    outcome = GenericForeignKey("outcome_type", "outcome_id")
    created_at = models.DateTimeField(auto_now_add=True)
    sensitivity = sensitivity_field(Sensitivity.CONFIDENTIAL)
    owner = owner_field()

    class Meta:
        ordering = ["document_id", "id"]
        indexes = [models.Index(fields=["status", "kind"], name="intake_candidate_queue")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0, confidence__lte=1), name="intake_candidate_confidence_0_to_1"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CandidateStatus.REJECTED, reason=""),
                name="intake_candidate_rejection_has_a_reason",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=[CandidateStatus.ACCEPTED, CandidateStatus.MERGED],
                        outcome_type__isnull=False,
                        outcome_id__isnull=False,
                    )
                    | models.Q(
                        status__in=[CandidateStatus.PENDING, CandidateStatus.REJECTED],
                        outcome_type__isnull=True,
                        outcome_id__isnull=True,
                    )
                ),
                name="intake_candidate_outcome_when_accepted_or_merged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} candidate {self.pk} ({self.status})"
