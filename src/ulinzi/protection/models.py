"""Protection data: sexual and gender-based violence held only as de-identified counts (issue #7)."""

from __future__ import annotations

from django.db import models

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.protection.gbvims import AGE_BANDS, PERPETRATOR_TYPES, SEX_BANDS, VIOLENCE_TYPES
from ulinzi.sources.models import ImportBatch


class SgbvCount(models.Model):
    """How many incidents of one GBVIMS type of violence, against survivors of one age and sex
    band, by one type of perpetrator, were recorded in one commune in one month.

    Nothing here can name or locate a survivor: no free text, no exact date or place (a commune is
    the finest area), no case number. There is no contributing-organisation field either: GBVIMS
    information-sharing protocols never let the identity of the organisation that recorded an
    incident leave it, so it is not kept at all. Survivor-level files are refused at import.

    The stored cells are labelled P3 and no path shows them: the admin does not list them, and the
    API, pages and exports answer only through ``protection.suppression``, which hides every cell
    below the minimum size (docs/protection.md).
    """

    SENSITIVITY = Sensitivity.STRICTLY_CONFIDENTIAL

    month = models.DateField(help_text="the first day of the month the incidents were recorded in")
    commune_pcode = models.CharField(max_length=20, help_text="P-code of the commune (admin level 2)")
    violence_type = models.CharField(max_length=24, choices=VIOLENCE_TYPES.choices())
    age_band = models.CharField(max_length=8, choices=AGE_BANDS.choices())
    sex_band = models.CharField(max_length=8, choices=SEX_BANDS.choices())
    perpetrator_type = models.CharField(max_length=20, choices=PERPETRATOR_TYPES.choices())
    count = models.PositiveIntegerField()
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["month", "commune_pcode"]
        verbose_name = "SGBV count"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "commune_pcode", "violence_type", "age_band", "sex_band", "perpetrator_type"],
                name="sgbv_count_one_row_per_cell",
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="sgbv_count_at_least_one"),
        ]
        indexes = [models.Index(fields=["month", "commune_pcode"])]

    def __str__(self) -> str:
        # No count: a string form ends up in logs and error pages, where a small number must not.
        return f"SGBV cell {self.month:%Y-%m} {self.commune_pcode}"
