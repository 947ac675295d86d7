"""Force registry: contributors, contingents, movements and the reports behind them.

Strength is never stored: it is derived from the preferred report of each movement
(``forces.strength``). Conflicting reports of one movement sit side by side, one preferred.
"""

from __future__ import annotations

import uuid

from django.db import models

from ulinzi.accounts.fields import owner_field, sensitivity_field
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.sources.models import ImportBatch, Source


class DatePrecision(models.TextChoices):
    DAY = "day", "exact day"
    APPROX = "approx", "within a few days"
    MONTH = "month", "month only"
    YEAR = "year", "year only"


class Confidence(models.TextChoices):
    HIGH = "high", "high"
    MEDIUM = "medium", "medium"
    LOW = "low", "low"


class ContingentRole(models.TextChoices):
    POLICE = "police", "police"
    MILITARY = "military", "military"
    STAFF = "staff", "staff"
    CIVILIAN = "civilian", "civilian"


class MovementKind(models.TextChoices):
    ARRIVAL = "arrival", "arrival"
    DEPARTURE = "departure", "departure (leaves the mission)"
    ROTATION_IN = "rotation_in", "rotation in"
    ROTATION_OUT = "rotation_out", "rotation out"


# +1 adds personnel to the mission, -1 removes them.
MOVEMENT_SIGN: dict[str, int] = {
    MovementKind.ARRIVAL: 1,
    MovementKind.ROTATION_IN: 1,
    MovementKind.DEPARTURE: -1,
    MovementKind.ROTATION_OUT: -1,
}


def manual_key() -> str:
    """Records typed into the admin have no source row; a random key keeps the column unique."""
    return uuid.uuid4().hex


class Contributor(models.Model):
    """A contributing country, by ISO 3166-1 code."""

    SENSITIVITY = Sensitivity.PUBLIC

    iso2 = models.CharField(max_length=2, unique=True)
    iso3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contingent(models.Model):
    """A contributor's unit or contingent (police, military, staff, civilian)."""

    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="contingents")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=ContingentRole.choices, default=ContingentRole.POLICE)
    sensitivity = sensitivity_field()
    owner = owner_field()

    class Meta:
        ordering = ["contributor__name", "name"]
        constraints = [models.UniqueConstraint(fields=["contributor", "name"], name="contingent_unique_name")]

    def __str__(self) -> str:
        return f"{self.contributor} — {self.name}"


class Movement(models.Model):
    """One movement of personnel in or out of the mission; its size comes from its reports."""

    # A movement is shown only through the reports a reader may see, so their labels govern it.
    SENSITIVITY_FROM = "reports"

    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="movements")
    contingent = models.ForeignKey(Contingent, null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    date = models.DateField()
    date_precision = models.CharField(max_length=6, choices=DatePrecision.choices, default=DatePrecision.DAY)
    description = models.TextField(blank=True)
    natural_key = models.CharField(max_length=64, unique=True, editable=False, default=manual_key)

    class Meta:
        ordering = ["date", "contributor__name"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.contributor} {self.get_kind_display()}"

    @property
    def counted(self) -> int | None:
        """The signed figure strength totals use, when ``services.movements`` found a visible preferred report."""
        personnel: int | None = getattr(self, "counted_personnel", None)
        return None if personnel is None else MOVEMENT_SIGN[self.kind] * personnel


class MovementReport(models.Model):
    """What one set of sources says about a movement's size. Exactly one report is preferred."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="reports")
    personnel = models.PositiveIntegerField()
    reported_on = models.DateField(help_text="the date as this report gives it")
    reported_total = models.PositiveIntegerField(
        null=True, blank=True, help_text="a cumulative figure the report states; shown, never summed"
    )
    confidence = models.CharField(max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM)
    preferred = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="movement_reports")
    sensitivity = sensitivity_field()
    owner = owner_field()
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    natural_key = models.CharField(max_length=64, unique=True, editable=False, default=manual_key)

    class Meta:
        ordering = ["movement__date", "-preferred", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement"], condition=models.Q(preferred=True), name="one_preferred_report_per_movement"
            )
        ]

    def __str__(self) -> str:
        marker = " (preferred)" if self.preferred else ""
        return f"{self.movement}: {self.personnel}{marker}"


class Pledge(models.Model):
    """A contributor's announced commitment; ``personnel`` is empty when the size was not given."""

    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="pledges")
    date = models.DateField()
    date_precision = models.CharField(max_length=6, choices=DatePrecision.choices, default=DatePrecision.DAY)
    personnel = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    confidence = models.CharField(max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM)
    sources = models.ManyToManyField(Source, related_name="pledges")
    sensitivity = sensitivity_field()
    owner = owner_field()
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    natural_key = models.CharField(max_length=64, unique=True, editable=False, default=manual_key)

    class Meta:
        ordering = ["date", "contributor__name"]

    def __str__(self) -> str:
        size = "size not given" if self.personnel is None else str(self.personnel)
        return f"{self.date} {self.contributor} pledge: {size}"


class Authorisation(models.Model):
    """A mandate decision (e.g. a Security Council resolution), with its ceiling when it sets one."""

    date = models.DateField()
    date_precision = models.CharField(max_length=6, choices=DatePrecision.choices, default=DatePrecision.DAY)
    instrument = models.CharField(max_length=200, blank=True, help_text="e.g. UNSC resolution 2793")
    ceiling = models.PositiveIntegerField(null=True, blank=True, help_text="authorised personnel ceiling")
    description = models.TextField(blank=True)
    confidence = models.CharField(max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM)
    sources = models.ManyToManyField(Source, related_name="authorisations")
    sensitivity = sensitivity_field()
    owner = owner_field()
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    natural_key = models.CharField(max_length=64, unique=True, editable=False, default=manual_key)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.instrument or 'authorisation'}"
