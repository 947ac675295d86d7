"""Actors: who does what. The incident store (events, their sources and verification) builds on it.

Only what territorial control needs exists yet: an actor's canonical name and kind. Aliases and
coalition membership come with the incident store.
"""

from __future__ import annotations

from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity


class ActorKind(models.TextChoices):
    GANG = "gang", "armed gang"
    COALITION = "coalition", "coalition of gangs"
    STATE_FORCE = "state_force", "state force"
    MISSION = "mission", "mission contingent"
    SELF_DEFENCE = "self_defence", "self-defence group"
    CIVILIANS = "civilians", "civilians"
    OTHER = "other", "other"


class Actor(models.Model):
    SENSITIVITY = Sensitivity.PUBLIC

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=15, choices=ActorKind.choices, default=ActorKind.OTHER)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
