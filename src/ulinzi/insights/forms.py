"""The before/after page's form: the query string read and checked, each error beside its field."""

from __future__ import annotations

import datetime as dt

from django import forms

from ulinzi.incidents import taxonomy
from ulinzi.insights import services
from ulinzi.insights.before_after import MAX_WEEKS

DEFAULT_WEEKS = 12


class BeforeAfterForm(forms.Form):
    area = forms.CharField(
        max_length=20,
        label="Area (P-code)",
        help_text="a department, commune or section",
        widget=forms.TextInput(attrs={"list": "insight-areas", "size": 12}),
    )
    date = forms.DateField(
        label="Date",
        help_text="its week counts as after",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weeks = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_WEEKS, label="Weeks each side", help_text=f"1 to {MAX_WEEKS}"
    )
    event_type = forms.ChoiceField(
        required=False, label="Event type", choices=[("", "any"), *((kind, kind) for kind in taxonomy.EVENT_TYPES)]
    )

    def clean_area(self) -> str:
        code = str(self.cleaned_data["area"]).strip()
        try:
            return services.area(code).pcode
        except services.BadRequest as refused:
            raise forms.ValidationError(refused.reason) from None

    def clean_weeks(self) -> int:
        weeks = self.cleaned_data.get("weeks")
        return DEFAULT_WEEKS if weeks is None else int(weeks)

    @property
    def pivot(self) -> dt.date:
        day = self.cleaned_data["date"]
        assert isinstance(day, dt.date)
        return day

    def extras(self) -> services.EventExtras:
        return services.EventExtras(event_type=self.cleaned_data["event_type"] or None)
