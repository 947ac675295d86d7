"""The audit log: one row per read of a confidential record, export or change (issue #7)."""

from __future__ import annotations

from datetime import UTC

from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.chain import Entry

MAX_REASON = 500


class Action(models.TextChoices):
    READ = "read"
    EXPORT = "export"
    CHANGE = "change"


class AuditEntry(models.Model):
    """Who did what to which records, when, from where and why; append-only and hash-chained.

    Database triggers refuse every UPDATE and DELETE (``dbcompat.create_audit_append_only``).
    The model is unmanaged so that Django's ``flush`` (run between transactional tests, or by an
    operator) leaves the log alone instead of failing on those triggers; its migration creates the
    table from these fields all the same. The actor is a name and a plain number, not a foreign
    key, so deleting a user neither rewrites nor loses who they were.
    """

    # Who read what is itself confidential; P4 access records are P3 (shared security notes, §3.1).
    SENSITIVITY = Sensitivity.STRICTLY_CONFIDENTIAL

    sequence = models.PositiveBigIntegerField(unique=True, help_text="position in the chain, from 1, without gaps")
    at = models.DateTimeField(help_text="UTC")
    actor = models.CharField(max_length=160, help_text="username, or operator:NAME for the command line")
    actor_user_id = models.PositiveIntegerField(null=True, blank=True, help_text="the account's id, if any")
    role = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=64, blank=True, help_text="client address, as the server saw it")
    action = models.CharField(max_length=12, choices=Action.choices)
    object_type = models.CharField(max_length=40, help_text="app.model of what was touched")
    object_ids = models.TextField(blank=True, help_text="comma-separated ids; empty for an export")
    label = models.PositiveSmallIntegerField(
        choices=Sensitivity.choices(), help_text="the highest sensitivity label of what was touched"
    )
    detail = models.TextField(default="{}", help_text="filters, format, operation: canonical JSON, no record content")
    reason = models.CharField(max_length=MAX_REASON, blank=True, help_text="why, for break-glass access")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        managed = False
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.sequence} {self.at:%Y-%m-%dT%H:%M:%SZ} {self.actor} {self.action} {self.object_type}"

    def chained(self) -> Entry:
        """The fields as the chain hashes them."""
        return Entry(
            sequence=self.sequence,
            at=self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor=self.actor,
            actor_user_id=self.actor_user_id,
            role=self.role,
            address=self.address,
            action=self.action,
            object_type=self.object_type,
            object_ids=self.object_ids,
            label=self.label,
            detail=self.detail,
            reason=self.reason,
        )
