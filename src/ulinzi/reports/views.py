"""The Reports page and the download of a situation report, built for the signed-in reader's role.

Thin adaptors: the form checks the month, area and format; ``content.build`` gathers what the
reader may see; ``render`` prints it; one audit entry records that it left, with the highest
label inside.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ulinzi.accounts.policy import Viewer
from ulinzi.geo.models import AdminArea
from ulinzi.incidents import services as incidents
from ulinzi.reports import content
from ulinzi.reports import render as rendering
from ulinzi.reports.period import BadPeriod, Month, parse_month
from ulinzi.web.access import viewer_required


class ReportForm(forms.Form):
    """The query string of /reports/situation (and of the page's form)."""

    period = forms.CharField(max_length=7, help_text="YYYY-MM")
    area = forms.ChoiceField(required=False)
    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("html", "HTML (one self-contained file)")], initial="pdf")

    def __init__(self, data: QueryDict | None = None, *, today: date, initial: dict[str, str] | None = None) -> None:
        super().__init__(data, initial=initial)
        self.today = today  # a month after it has not begun
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", "All areas"), *area_choices()]

    def clean_period(self) -> Month:
        try:
            return parse_month(self.cleaned_data["period"], self.today)
        except BadPeriod as error:
            raise forms.ValidationError(str(error).removeprefix("period: ")) from None


def area_choices() -> list[tuple[str, str]]:
    """Departments, each followed by its communes, by name and P-code; then communes whose
    department is not loaded."""
    fields = ("pcode", "level", "parent_pcode", "name_fr", "name_en", "name_ht")
    areas = sorted(AdminArea.objects.filter(level__in=content.REPORT_LEVELS).only(*fields), key=lambda a: a.name)
    departments = [area for area in areas if area.level == 1]
    communes: dict[str, list[AdminArea]] = {}
    for area in areas:
        if area.level == 2:
            communes.setdefault(area.parent_pcode, []).append(area)
    choices = []
    for department in departments:
        choices.append((department.pcode, f"{department.name} ({department.pcode})"))
        choices += [(c.pcode, f"— {c.name} ({c.pcode})") for c in communes.pop(department.pcode, [])]
    choices += [(c.pcode, f"{c.name} ({c.pcode})") for rest in communes.values() for c in rest]
    return choices


@require_GET
@viewer_required
def index(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The form, its month taken from ?period= (the dashboard's link) or the latest event the reader may see."""
    today = timezone.now().date()
    latest = incidents.released(viewer).aggregate(last=Max("event_date"))["last"]
    chosen = request.GET.get("period", "")[:7] or Month.of(latest or today).code
    form = ReportForm(
        initial={"period": chosen, "area": request.GET.get("area", "")[:20], "format": "pdf"}, today=today
    )
    context = {"form": form, "audience": content.audience(viewer), "latest": latest}
    return render(request, "reports/index.html", context)


@require_GET
@viewer_required
def situation(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The report as an attachment; bad input is a 400 naming what is wrong, with the form again."""
    today = timezone.now().date()
    form = ReportForm(request.GET, today=today)
    if not form.is_valid():
        context = {"form": form, "audience": content.audience(viewer), "errors": form_errors(form)}
        return render(request, "reports/index.html", context, status=400)
    month, area, chosen = form.cleaned_data["period"], form.cleaned_data["area"] or None, form.cleaned_data["format"]
    try:
        report = content.build(viewer, month, area, today)
    except content.UnknownArea as error:
        context = {"form": form, "audience": content.audience(viewer), "errors": [str(error)]}
        return render(request, "reports/index.html", context, status=400)
    body = rendering.render(report, chosen)
    name = rendering.file_name(month, area, chosen)
    content.record_produced(request, report, chosen, name)
    response = HttpResponse(body, content_type=rendering.MEDIA_TYPES[chosen])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def form_errors(form: ReportForm) -> list[str]:
    return [f"{name}: {' '.join(str(message) for message in messages)}" for name, messages in form.errors.items()]
