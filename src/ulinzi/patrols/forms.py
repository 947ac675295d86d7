"""The patrol pages' forms. Each parses what was posted and leaves every rule the API also applies
to a service: the planning form to ``patrols.planning``, whose refusals it shows beside the field
they name; the link form on a patrol's page to ``patrols.links``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.patrols import planning
from ulinzi.patrols.models import DEFAULT_LABEL, Patrol, PatrolEvent, PatrolKind

MINUTES = "%Y-%m-%dT%H:%M"


def _limit(name: str) -> int:
    """The column's own length, so the page and the model cannot drift apart."""
    column = Patrol._meta.get_field(name)
    assert isinstance(column, models.CharField)
    assert column.max_length is not None
    return int(column.max_length)


class TimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=MINUTES)


class PlanForm(forms.Form):
    reference = forms.CharField(max_length=_limit("reference"), help_text="the unit's own reference, e.g. KE-0716-A")
    kind = forms.ChoiceField(choices=PatrolKind.choices)
    objective = forms.CharField(max_length=planning.OBJECTIVE_MAX, required=False, widget=forms.Textarea({"rows": 3}))
    planned_area = forms.CharField(
        max_length=_limit("planned_area"), required=False, label="Planned area", help_text="P-code, e.g. HT0111"
    )
    planned_start = forms.DateTimeField(required=False, widget=TimeInput(), help_text="UTC")
    planned_end = forms.DateTimeField(required=False, widget=TimeInput(), help_text="UTC")
    leader = forms.CharField(max_length=_limit("leader"), required=False)
    size = forms.IntegerField(
        min_value=planning.SIZE_MIN, max_value=planning.SIZE_MAX, required=False, help_text="how many people"
    )
    devices = forms.CharField(
        max_length=_limit("devices"), required=False, help_text="tracker or TAK device ids, comma-separated"
    )
    sensitivity = forms.ChoiceField(label="Label")

    def __init__(self, viewer: Viewer, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        labels = planning.labels_for(viewer)
        field = self.fields["sensitivity"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(label.code, f"{label.code} {label.title}") for label in labels]
        field.initial = DEFAULT_LABEL.code if DEFAULT_LABEL in labels else (labels[-1].code if labels else "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                planning.check(self.viewer, self.plan())
            except planning.PlanRefused as refused:
                self.add_error(refused.field, refused.reason)
        return cleaned

    def plan(self) -> planning.Plan:
        data = self.cleaned_data
        return planning.Plan(
            reference=data["reference"],
            kind=PatrolKind(data["kind"]),
            label=Sensitivity.parse(data["sensitivity"]),
            objective=data["objective"],
            planned_area=data["planned_area"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            leader=data["leader"],
            size=data["size"],
            devices=data["devices"],
        )


class LinkForm(forms.Form):
    """A suggestion's button on the patrol page: which event, and whether the patrol observed it
    or had it reported. Rules beyond the shape (who, which patrol, which event) are
    ``patrols.links``'s."""

    CHOOSE_RELATION = "choose observed or reported"

    event_id = forms.IntegerField(
        min_value=1, error_messages={"required": "choose the event to link", "invalid": "choose the event to link"}
    )
    relation = forms.ChoiceField(
        choices=PatrolEvent.Relation.choices,
        error_messages={"required": CHOOSE_RELATION, "invalid_choice": CHOOSE_RELATION},
    )

    def refusal(self) -> str:
        """The first refused field and why, as the page shows it."""
        field, messages = next(iter(self.errors.items()))
        return f"{field}: {messages[0]}"
