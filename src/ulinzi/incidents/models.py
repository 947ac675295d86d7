"""Actors and events: who did what, where and when, from which sources, and how sure we are.

An actor has one canonical name and any number of aliases (the EN/FR/HT spellings sources
use); gangs belong to coalitions for a period (G9 and G-Pèp in Viv Ansanm from 2023).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from ulinzi.accounts.fields import owner_field, sensitivity_field
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.encryption import EncryptedJSONField, EncryptedTextField
from ulinzi.incidents.actors import actor_key


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


class AliasLanguage(models.TextChoices):
    EN = "en", "English"
    FR = "fr", "French"
    HT = "ht", "Haitian Creole"
    OTHER = "", "other or unknown"


class ActorAlias(models.Model):
    """A spelling of an actor's name; ``key`` (see ``actors.actor_key``) is what imports match on."""

    SENSITIVITY_FROM = "actor"

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)
    language = models.CharField(max_length=2, choices=AliasLanguage.choices, blank=True)

    class Meta:
        ordering = ["actor", "name"]
        verbose_name_plural = "actor aliases"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = actor_key(self.name)
        super().save(*args, **kwargs)


class CoalitionMembership(models.Model):
    """An actor's membership of a coalition between two dates (open-ended when ``valid_to`` is empty)."""

    SENSITIVITY = Sensitivity.PUBLIC

    member = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    coalition = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="members")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source = models.ForeignKey("sources.Source", null=True, blank=True, on_delete=models.SET_NULL)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["coalition", "member", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "coalition", "valid_from"], name="membership_once_per_start"),
            models.CheckConstraint(condition=~models.Q(member=models.F("coalition")), name="membership_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.coalition} from {self.valid_from or 'unknown'}"


class Verification(models.TextChoices):
    REPORTED = "reported", "reported"
    CORROBORATED = "corroborated", "corroborated"
    VERIFIED = "verified", "verified"
    REJECTED = "rejected", "rejected"


class Event(models.Model):
    """An incident with ACLED's fields, UCDP's fatality range, P-codes and an H3 cell."""

    natural_key = models.CharField(max_length=80, unique=True, help_text="source dataset and its row id")
    event_date = models.DateField()
    time_precision = models.PositiveSmallIntegerField(default=1, help_text="1 day, 2 week, 3 month")
    disorder_type = models.CharField(max_length=60, blank=True)
    event_type = models.CharField(max_length=40)
    sub_event_type = models.CharField(max_length=60)
    actor1 = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="events_as_actor1")
    assoc_actor_1 = models.CharField(max_length=500, blank=True)
    inter1 = models.CharField(max_length=40, blank=True)
    actor2 = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="events_as_actor2")
    assoc_actor_2 = models.CharField(max_length=500, blank=True)
    inter2 = models.CharField(max_length=40, blank=True)
    interaction = models.CharField(max_length=100, blank=True)
    civilian_targeting = models.BooleanField(default=False)
    country = models.CharField(max_length=100, blank=True)
    admin1 = models.CharField(max_length=200, blank=True)
    admin2 = models.CharField(max_length=200, blank=True)
    admin3 = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    geo_precision = models.PositiveSmallIntegerField(default=1, help_text="1 exact, 2 near, 3 admin area")
    # Where readers cleared below the event's label see it (geo.masking); set when the event is
    # written, so every such reader is always shown the same point.
    masked_latitude = models.FloatField(null=True, blank=True, editable=False)
    masked_longitude = models.FloatField(null=True, blank=True, editable=False)
    adm1_pcode = models.CharField(max_length=20, blank=True)
    adm2_pcode = models.CharField(max_length=20, blank=True)
    adm3_pcode = models.CharField(max_length=20, blank=True)
    h3_cell = models.BigIntegerField(null=True, blank=True, help_text="H3 cell at resolution 8")
    source = models.TextField(blank=True)
    source_scale = models.CharField(max_length=100, blank=True)
    notes = EncryptedTextField(blank=True, help_text="encrypted at rest; not searchable")
    tags = models.CharField(max_length=500, blank=True)
    fatalities = models.PositiveIntegerField(default=0, help_text="best estimate")
    fatalities_low = models.PositiveIntegerField(default=0)
    fatalities_high = models.PositiveIntegerField(default=0)
    sensitivity = sensitivity_field()
    owner = owner_field()
    verification = models.CharField(max_length=12, choices=Verification.choices, default=Verification.REPORTED)
    verified_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="verified_events"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    sources = models.ManyToManyField("sources.Source", related_name="events", blank=True)
    batch = models.ForeignKey("sources.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-event_date", "pk"]
        indexes = [
            models.Index(fields=["event_date"]),
            models.Index(fields=["adm2_pcode", "event_date"]),
            models.Index(fields=["longitude", "latitude"]),
            models.Index(fields=["h3_cell"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fatalities_low__lte=models.F("fatalities"))
                & models.Q(fatalities__lte=models.F("fatalities_high")),
                name="event_fatalities_low_best_high",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_date} {self.sub_event_type} ({self.location})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Give a new or moved event its masked point, as imports do; a masked copy is never saved."""
        if getattr(self, "_released", False):
            raise ValueError("this event was masked for a reader; load it again to change it")
        from ulinzi.incidents.release import masked_point  # noqa: PLC0415  release imports geo, which imports this

        fields = kwargs.get("update_fields")
        if fields is None or {"latitude", "longitude"} & set(fields):
            self.masked_longitude, self.masked_latitude = masked_point(self.natural_key, self.longitude, self.latitude)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "masked_longitude", "masked_latitude"}
        super().save(*args, **kwargs)


class EventReport(models.Model):
    """A row of another dataset found to describe a stored event (see ``dedup``).

    The row is kept whole (``record``) so an analyst can split a wrong merge back into its own
    event exactly as it was imported; its sources are linked to the event meanwhile.
    """

    SENSITIVITY_FROM = "event"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reports")
    natural_key = models.CharField(max_length=80, unique=True)
    dataset = models.CharField(max_length=20)
    record = EncryptedJSONField(help_text="the row as imported, to rebuild it as its own event (encrypted)")
    match_reason = models.CharField(max_length=300)
    fatalities = models.PositiveIntegerField(default=0, help_text="this report's best estimate")
    batch = models.ForeignKey("sources.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL)
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "merged_at", "pk"]

    def __str__(self) -> str:
        return f"{self.natural_key} → event {self.event_id}"


class EventChange(models.Model):
    """The history of an event beyond its import: merges, splits, verification."""

    SENSITIVITY_FROM = "event"

    class Action(models.TextChoices):
        MERGED = "merged", "report merged in"
        SPLIT = "split", "report split out"
        SPLIT_FROM = "split_from", "created by a split"
        VERIFICATION = "verification", "verification changed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=15, choices=Action.choices)
    detail = models.CharField(max_length=500)

    class Meta:
        ordering = ["event", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.detail}"


class EventDayTotal(models.Model):
    """Events and deaths per day, commune, event type and label: what statistics and dashboards
    group by, kept by database triggers on every write to events (so no write path can forget it)
    and filled per batch on import. ``dbcompat`` owns the triggers."""

    SENSITIVITY_FROM = "event"

    day = models.DateField()
    adm1_pcode = models.CharField(max_length=20, blank=True)
    adm2_pcode = models.CharField(max_length=20, blank=True)
    event_type = models.CharField(max_length=40)
    sensitivity = sensitivity_field()
    events = models.IntegerField(default=0)
    fatalities = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "adm1_pcode", "adm2_pcode", "event_type", "sensitivity"], name="event_day_total_once"
            )
        ]
        indexes = [models.Index(fields=["adm2_pcode", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.adm2_pcode or self.adm1_pcode} {self.event_type}: {self.events}"
