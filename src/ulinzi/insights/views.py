"""The before/after page: a thin adaptor over ``insights.services``, drawn on the server."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ulinzi.accounts.policy import Viewer
from ulinzi.insights import chart, services
from ulinzi.insights.forms import DEFAULT_WEEKS, BeforeAfterForm
from ulinzi.web.access import viewer_required

TEMPLATE = "insights/before_after.html"


@require_GET
@viewer_required
def before_after_page(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The form alone when nothing is asked; the comparison, its chart and its caveat otherwise. A
    bad field is a 400 with the reason beside the field."""
    context = _choices(viewer)
    if not request.GET:
        initial = {"area": context["link_area"], "weeks": DEFAULT_WEEKS}
        return render(request, TEMPLATE, context | {"form": BeforeAfterForm(initial=initial)})
    form = BeforeAfterForm(request.GET)
    context["form"] = form
    if not form.is_valid():
        return render(request, TEMPLATE, context | _links(form), status=400)
    area, weeks = form.cleaned_data["area"], form.cleaned_data["weeks"]
    try:
        found = services.before_after(viewer, area, form.pivot, weeks, form.extras())
    except services.BadRequest as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.reason)
        return render(request, TEMPLATE, context | _links(form), status=400)
    shown = {
        "found": found,
        "chart": chart.layout(found.result),
        "sides": (found.result.events, found.result.fatalities),
    }
    return render(request, TEMPLATE, context | _links(form) | shown)


def _links(form: BeforeAfterForm) -> dict[str, object]:
    """The pivot links keep the area and weeks asked for, when they were valid."""
    cleaned = getattr(form, "cleaned_data", {})
    found = {"link_area": cleaned.get("area"), "link_weeks": cleaned.get("weeks")}
    return {key: value for key, value in found.items() if value}


def _choices(viewer: Viewer) -> dict[str, object]:
    """What every state of the page offers: the areas and the arrivals to compare around."""
    return {
        "areas": services.area_choices(),
        "pivots": services.pivot_suggestions(viewer),
        "link_area": services.default_area(),
        "link_weeks": DEFAULT_WEEKS,
    }
