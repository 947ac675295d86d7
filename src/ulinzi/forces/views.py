"""The Force page and its chart: thin adaptors over ``forces.services``."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ulinzi.accounts.policy import Viewer
from ulinzi.forces import chart, services
from ulinzi.web.access import viewer_required


@require_GET
@viewer_required
def force_page(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    today = timezone.now().date()
    on, date_error = _requested_date(request.GET.get("date", ""), today)
    names = services.country_names()
    line = services.timeline(viewer)
    context = {
        "snapshot": services.snapshot(viewer, on),
        "timeline_headers": [names.get(series.country, series.country) for series in line.series],
        "timeline_rows": services.timeline_rows(line),
        "movements": services.movements(viewer),
        "pledges": services.pledges(viewer),
        "authorisations": services.authorisations(viewer),
        "date_error": date_error,
        "today": today,
    }
    return render(request, "forces/force.html", context)


@require_GET
@viewer_required
def strength_chart(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    svg = chart.render_svg(services.timeline(viewer), services.country_names(), timezone.now().date())
    return HttpResponse(svg, content_type="image/svg+xml")


def _requested_date(text: str, today: date) -> tuple[date, str]:
    if not text:
        return today, ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return today, f"{text!r} is not a date (YYYY-MM-DD); showing today instead"
