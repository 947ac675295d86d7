"""Administrative areas (COD-AB or any boundary file), stored as GeoJSON with an indexed box.

The geography issue extends this with the gazetteer, control areas and routing; the map and
the demo need the boundaries from day one.
"""

from __future__ import annotations

from django.db import models

from ulinzi.accounts.fields import owner_field, sensitivity_field
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.encryption import EncryptedTextField
from ulinzi.sources.models import ImportBatch, Source


class AdminArea(models.Model):
    """One administrative unit: level 1 (department) to 3 (section communale) in Haiti."""

    SENSITIVITY = Sensitivity.PUBLIC

    pcode = models.CharField(max_length=20, unique=True)
    level = models.PositiveSmallIntegerField()
    parent_pcode = models.CharField(max_length=20, blank=True)
    country_code = models.CharField(max_length=3, blank=True)
    name_fr = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    name_ht = models.CharField(max_length=200, blank=True)
    geometry = models.TextField(help_text="GeoJSON geometry, WGS84, as imported (repaired if invalid)")
    display_geometry = models.TextField(help_text="simplified GeoJSON geometry for maps")
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    area_km2 = models.FloatField(help_text="geodesic area on the WGS84 ellipsoid")
    valid_on = models.DateField(null=True, blank=True)
    population = models.PositiveBigIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=500, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["level", "pcode"]
        indexes = [
            models.Index(fields=["level", "pcode"]),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"]),
        ]

    def __str__(self) -> str:
        return f"{self.pcode} {self.name}"

    @property
    def name(self) -> str:
        return self.name_fr or self.name_en or self.name_ht or self.pcode


class PlaceKind(models.TextChoices):
    ADMIN = "admin", "administrative unit"
    SETTLEMENT = "settlement", "town or village"
    NEIGHBOURHOOD = "neighbourhood", "neighbourhood"
    LANDMARK = "landmark", "landmark"
    ROAD = "road", "road or crossing"


class Place(models.Model):
    """A named place the geocoder can find: an admin unit, or a place users add."""

    SENSITIVITY = Sensitivity.PUBLIC

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=15, choices=PlaceKind.choices)
    pcode = models.CharField(max_length=20, blank=True, help_text="for an admin unit, its own P-code")
    admin_chain = models.CharField(
        max_length=100, blank=True, help_text="P-codes of the units holding the place, deepest first, comma-separated"
    )
    lon = models.FloatField()
    lat = models.FloatField()
    precision = models.PositiveSmallIntegerField(
        default=2, help_text="1 the point is the place, 2 near it, 3 the centre of an area"
    )
    source = models.CharField(max_length=500, blank=True)
    natural_key = models.CharField(max_length=64, unique=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class PlaceName(models.Model):
    """One name of a place, in a language, official or an alias (a spelling users write)."""

    SENSITIVITY_FROM = "place"

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=2, blank=True, help_text="fr, en, ht, or empty")
    official = models.BooleanField(default=False)

    class Meta:
        ordering = ["place", "-official", "name"]
        constraints = [models.UniqueConstraint(fields=["place", "name", "language"], name="place_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} [{self.language or '-'}]"


class Confidence(models.TextChoices):
    HIGH = "high", "high"
    MEDIUM = "medium", "medium"
    LOW = "low", "low"


class ControlArea(models.Model):
    """Territory an actor is assessed to control from ``valid_from`` until ``valid_to`` (open if empty).

    Claims by different actors may overlap; they are kept side by side, never merged away.
    """

    actor = models.ForeignKey("incidents.Actor", on_delete=models.PROTECT, related_name="control_areas")
    geometry = models.TextField(help_text="GeoJSON geometry, WGS84")
    display_geometry = models.TextField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    area_km2 = models.FloatField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="last day in force; empty while it still holds")
    confidence = models.CharField(max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM)
    illustrative = models.BooleanField(default=False, help_text="made up for demonstration, not an assessment")
    description = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="control_areas", blank=True)
    evidence = models.ManyToManyField(
        "incidents.Event",
        related_name="control_evidence",
        blank=True,
        help_text="events showing the change of control, e.g. ACLED's 'Non-state actor overtakes territory'",
    )
    sensitivity = sensitivity_field()
    owner = owner_field()
    natural_key = models.CharField(max_length=64, unique=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["valid_from", "actor__name"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="control_area_valid_range",
            )
        ]

    def __str__(self) -> str:
        until = self.valid_to or "now"
        return f"{self.actor} {self.valid_from}–{until}"


class RoadStatusKind(models.TextChoices):
    OPEN = "open", "open"
    BLOCKED = "blocked", "blocked"
    BARRICADE = "barricade", "barricade"
    ILLEGAL_CHECKPOINT = "illegal_checkpoint", "illegal checkpoint"
    FLOODED = "flooded", "flooded"
    UNKNOWN = "unknown", "unknown"


class RoadSegment(models.Model):
    """A stretch of road between two junctions, or a straight link of the coarse network."""

    SENSITIVITY = Sensitivity.PUBLIC

    name = models.CharField(max_length=200)
    ref = models.CharField(max_length=50, blank=True, help_text="road number, e.g. RN1")
    coarse = models.BooleanField(default=False, help_text="a straight link between commune points, not a road")
    geometry = models.TextField(help_text="GeoJSON LineString, WGS84")
    length_km = models.FloatField()
    natural_key = models.CharField(max_length=64, unique=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.length_km:.1f} km)"


class RoadStatus(models.Model):
    """An observation of a segment's state, in force from ``observed_at`` until ``expires_at``.

    After expiry the segment reverts to unknown; the latest observation in force wins.
    """

    segment = models.ForeignKey(RoadSegment, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=20, choices=RoadStatusKind.choices)
    observed_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    note = EncryptedTextField(blank=True, help_text="encrypted at rest; not searchable")
    sources = models.ManyToManyField(Source, related_name="road_statuses", blank=True)
    sensitivity = sensitivity_field()
    owner = owner_field()

    class Meta:
        ordering = ["-observed_at"]
        indexes = [models.Index(fields=["segment", "observed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("observed_at")), name="road_status_expiry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.segment}: {self.status} at {self.observed_at:%Y-%m-%d %H:%M}"
