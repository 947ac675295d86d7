"""The Force page and its chart: thin adaptors over ``forces.services``."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces import chart, services
from ulinzi.web.access import clearance_required


@require_GET
@clearance_required
def force_page(request: HttpRequest, clearance: Sensitivity) -> HttpResponse:
    today = timezone.now().date()
    on, date_error = _requested_date(request.GET.get("date", ""), today)
    names = services.country_names()
    line = services.timeline(clearance)
    context = {
        "snapshot": services.snapshot(clearance, on),
        "timeline_headers": [names.get(series.country, series.country) for series in line.series],
        "timeline_rows": services.timeline_rows(line),
        "movements": services.movements(clearance),
        "pledges": services.pledges(clearance),
        "authorisations": services.authorisations(clearance),
        "date_error": date_error,
        "today": today,
    }
    return render(request, "forces/force.html", context)


@require_GET
@clearance_required
def strength_chart(request: HttpRequest, clearance: Sensitivity) -> HttpResponse:
    svg = chart.render_svg(services.timeline(clearance), services.country_names(), timezone.now().date())
    return HttpResponse(svg, content_type="image/svg+xml")


def _requested_date(text: str, today: date) -> tuple[date, str]:
    if not text:
        return today, ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return today, f"{text!r} is not a date (YYYY-MM-DD); showing today instead"
