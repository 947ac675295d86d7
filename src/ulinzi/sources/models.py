"""Where every figure comes from: sources, and the import batches that brought records in.

Shared by every capability (force registry now; incidents, claims and intake later), which is
why it is its own app rather than part of one of them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity


class Reliability(models.TextChoices):
    """Admiralty scale, source reliability."""

    A = "A", "A completely reliable"
    B = "B", "B usually reliable"
    C = "C", "C fairly reliable"
    D = "D", "D not usually reliable"
    E = "E", "E unreliable"
    F = "F", "F reliability cannot be judged"


class Source(models.Model):
    """A publication, statement or report that a record cites."""

    SENSITIVITY = Sensitivity.PUBLIC

    reference = models.CharField(max_length=1000, unique=True, help_text="URL or citation")
    publisher = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True, help_text="what this source says, in brief")
    published_on = models.DateField(null=True, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    credibility = models.PositiveSmallIntegerField(
        default=6, help_text="Admiralty scale, 1 confirmed to 6 cannot be judged"
    )

    class Meta:
        ordering = ["publisher", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credibility__gte=1, credibility__lte=6), name="source_credibility_1_to_6"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.reference}" if self.publisher else self.reference

    @property
    def is_link(self) -> bool:
        return self.reference.startswith(("https://", "http://"))


class ImportBatch(models.Model):
    """One run of one importer over one file, so every record can say which file it came from."""

    SENSITIVITY = Sensitivity.INTERNAL

    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"
