"""Accounts: API tokens. Users and roles are Django's users and groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity


class TokenScope(models.TextChoices):
    READ = "read", "read only"
    WRITE = "write", "read and change"


class ApiToken(models.Model):
    """A bearer token for scripts; only its SHA-256 digest is stored. Read-only unless issued to
    change records too, so a leaked reporting script's token cannot alter the store."""

    SENSITIVITY = Sensitivity.CRITICAL

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token in lists")
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"


class OrganisationKind(models.TextChoices):
    MISSION = "mission", "mission headquarters (works mission-wide)"
    CONTINGENT = "contingent", "national contingent"
    PARTNER = "partner", "partner organisation"


class Organisation(models.Model):
    """Who owns a record and who belongs where: need-to-know for the most sensitive labels.

    Records point at an organisation by its code (``to_field``), so a filter on the owner never
    needs a join.
    """

    SENSITIVITY = Sensitivity.CONFIDENTIAL  # the mission's structure is not public

    code = models.SlugField(max_length=40, unique=True, help_text="short and stable, e.g. ke-police or mss-hq")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def mission_wide(self) -> bool:
        return self.kind == OrganisationKind.MISSION


class Membership(models.Model):
    """The organisation an account belongs to; an account belongs to one at most."""

    SENSITIVITY = Sensitivity.CONFIDENTIAL  # the user directory (docs/security.md)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"
