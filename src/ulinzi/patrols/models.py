"""Patrols and the positions their devices reported (issue #8).

Patrol positions are among the most dangerous data the mission holds: a published fitness-app
heatmap once revealed military patrol routes. So a patrol and every track point are read only
by the mission's own command and analysis roles, whatever their label
(``accounts.policy.READERS``), and nobody else ever receives a point: partners and monitors get
effort per commune and week, delayed (``patrols.services.effort``). The default label is P2,
the one analysts are cleared for; a sensitive operation's patrol is labelled P3 or P4 and
reaches commanders and administrators only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ulinzi.accounts.fields import owner_field, sensitivity_field
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces.models import Contingent
from ulinzi.incidents.models import Event
from ulinzi.sources.models import ImportBatch

DEFAULT_LABEL = Sensitivity.CONFIDENTIAL


class PatrolKind(models.TextChoices):
    FOOT = "foot", "foot patrol"
    VEHICLE = "vehicle", "vehicle patrol"
    JOINT = "joint", "joint patrol with the national police"
    CHECKPOINT = "checkpoint", "checkpoint"


class PatrolStatus(models.TextChoices):
    PLANNED = "planned", "planned"
    UNDER_WAY = "under_way", "under way"
    COMPLETED = "completed", "completed"
    ABORTED = "aborted", "aborted"


class Patrol(models.Model):
    """One patrol: its plan, what happened, and the devices whose positions are its track."""

    reference = models.CharField(max_length=64, unique=True, help_text="the unit's own reference, e.g. KE-0716-A")
    contingent = models.ForeignKey(Contingent, null=True, blank=True, on_delete=models.PROTECT, related_name="patrols")
    kind = models.CharField(max_length=10, choices=PatrolKind.choices)
    objective = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=PatrolStatus.choices, default=PatrolStatus.PLANNED)
    planned_area = models.CharField(max_length=20, blank=True, help_text="P-code of the area to patrol")
    planned_route = models.TextField(blank=True, help_text="GeoJSON LineString of the planned route")
    planned_start = models.DateTimeField(null=True, blank=True)
    planned_end = models.DateTimeField(null=True, blank=True)
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    leader = models.CharField(max_length=200, blank=True)
    size = models.PositiveSmallIntegerField(null=True, blank=True, help_text="how many people")
    devices = models.CharField(
        max_length=500,
        blank=True,
        help_text="tracker or TAK device ids, comma-separated, whose positions are this patrol's",
    )
    events: models.ManyToManyField[Event, PatrolEvent] = models.ManyToManyField(
        Event, through="PatrolEvent", related_name="patrols", blank=True
    )
    sensitivity = sensitivity_field(DEFAULT_LABEL)
    owner = owner_field()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_start", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="patrol_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="patrol_actual_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def label_code(self) -> str:
        return Sensitivity(self.sensitivity).code

    @property
    def device_list(self) -> list[str]:
        return [device.strip() for device in self.devices.split(",") if device.strip()]


class PatrolEvent(models.Model):
    """An event the patrol observed or reported, or one that happened on its way."""

    class Relation(models.TextChoices):
        OBSERVED = "observed", "observed by the patrol"
        REPORTED = "reported", "reported to the patrol"

    SENSITIVITY_FROM = "patrol"

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE)
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.OBSERVED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patrol", "event"], name="patrol_event_once")]

    def __str__(self) -> str:
        return f"{self.patrol} {self.relation} event {self.event_id}"


class TrackPoint(models.Model):
    """One position a device reported, with the areas and H3 cell it fell in, kept at import so
    effort sums stored codes instead of testing geometry."""

    # No index of its own: (patrol, time) below serves every lookup by patrol, and each index
    # costs bulk imports about a fifth of their insert time (bench/patrol_tracks.py).
    patrol = models.ForeignKey(
        Patrol, null=True, blank=True, on_delete=models.SET_NULL, related_name="points", db_index=False
    )
    device = models.CharField(max_length=100)
    time = models.DateTimeField()
    lat = models.FloatField()
    lon = models.FloatField()
    accuracy_m = models.FloatField(null=True, blank=True)
    adm1_pcode = models.CharField(max_length=20, blank=True)
    adm2_pcode = models.CharField(max_length=20, blank=True)
    adm3_pcode = models.CharField(max_length=20, blank=True)
    h3_cell = models.BigIntegerField(null=True, blank=True)
    sensitivity = sensitivity_field(DEFAULT_LABEL)
    owner = owner_field()
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["device", "time"]
        indexes = [
            models.Index(fields=["patrol", "time"], name="trackpoint_patrol_time"),
            models.Index(fields=["time", "adm2_pcode"], name="trackpoint_time_commune"),
            models.Index(fields=["device", "time"], name="trackpoint_device_time"),
        ]

    def __str__(self) -> str:
        # No coordinates: a string form ends up in logs and error pages.
        return f"{self.device} at {self.time:%Y-%m-%d %H:%M}"
