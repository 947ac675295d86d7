"""Claims: headline figures from sources ("over 5,000 killed since February 2024"), kept with their
scope and their evidence once an analyst accepts them (issue #5)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ulinzi.accounts.fields import owner_field, sensitivity_field
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.claims import ledger


class DatePrecision(models.TextChoices):
    """How precisely a source dated the figure; the forces app's idea without "approx", which a
    period's two ends already express."""

    DAY = "day", "exact day"
    MONTH = "month", "month only"
    YEAR = "year", "year only"


class Claim(models.Model):
    """A figure a source stated about a metric, an area and a period, with what it said it in.

    Labelled confidential by default, as every record is: a claim may quote a field report or a
    partner's briefing, not only a newspaper. A claim from a published source is labelled P0 when it
    is entered (``ulinzi claims add --sensitivity P0``); a label too high can be lowered later, one
    too low has already been read.
    """

    # Checked against extraction's list in ``clean`` rather than as choices, so a metric added there
    # needs no migration here.
    metric = models.CharField(max_length=40, help_text="one of the extraction's metrics: killed, kidnapped, ...")
    value = models.FloatField(help_text="the figure as written: 80 per cent is 80")
    qualifier = models.CharField(
        max_length=10,
        blank=True,
        help_text="the words before the number as a bound (gt: over, gte: at least, ...); empty for a plain figure",
    )
    unit = models.CharField(max_length=40, blank=True, help_text="percent, USD, ...; empty for people")
    area = models.ForeignKey(
        "geo.AdminArea", null=True, blank=True, on_delete=models.PROTECT, to_field="pcode", related_name="+"
    )
    area_name = models.CharField(max_length=200, blank=True, help_text="the place as the source wrote it")
    period_start = models.DateField(help_text="the first day of the start's unit (a month's first day, say)")
    start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    period_end = models.DateField(help_text="the first day of the end's unit; equal to the start for one date")
    end_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    actor = models.ForeignKey("incidents.Actor", null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    actor_name = models.CharField(max_length=200, blank=True, help_text="the actor as the source named it")
    speaker = models.CharField(max_length=200, blank=True, help_text="who is quoted stating the figure")
    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField(blank=True, help_text="the sentence that states the figure")
    evidence = models.JSONField(default=list, blank=True, help_text="spans into the document: start, end, text")
    # Protected: the evidence offsets index into this text, so the document outlives the claim.
    document = models.ForeignKey(
        "intake.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="the document the evidence spans index into",
    )
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    sensitivity = sensitivity_field(Sensitivity.CONFIDENTIAL)
    owner = owner_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["metric", "period_start", "pk"]
        indexes = [models.Index(fields=["metric", "area"])]
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=0), name="claim_value_not_negative")]

    def __str__(self) -> str:
        return self.figure().statement

    @property
    def start(self) -> ledger.When:
        return ledger.When(self.period_start, _precision(self.start_precision))

    @property
    def end(self) -> ledger.When:
        return ledger.When(self.period_end, _precision(self.end_precision))

    def figure(self) -> ledger.Figure:
        """The claim as the ledger compares it."""
        return ledger.Figure(
            id=self.pk or 0,
            metric=self.metric,
            value=self.value,
            qualifier=ledger.qualifier_of(self.qualifier),
            period=ledger.Period(self.start, self.end),
            unit=self.unit,
            area=self.area_id or "",
            area_name=self.area_name,
            source=self.source.reference if self.source_id else "",
        )

    def clean(self) -> None:
        try:
            self.figure()
        except ledger.InvalidFigure as invalid:
            raise ValidationError({invalid.field: invalid.reason}) from None


def _precision(stored: str) -> ledger.Precision:
    for precision in ledger.PRECISIONS:
        if precision == stored:
            return precision
    raise ValueError(f"{stored!r} is not a date precision")
