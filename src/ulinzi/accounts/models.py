"""Accounts: API tokens. Users and roles are Django's users and groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity


class ApiToken(models.Model):
    """A bearer token for scripts; only its SHA-256 digest is stored."""

    SENSITIVITY = Sensitivity.CRITICAL

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token in lists")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"
