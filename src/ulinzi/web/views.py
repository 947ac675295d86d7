"""Shell pages: overview and map. Login and logout are Django's own views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.forces import services as forces
from ulinzi.geo import services as geo
from ulinzi.web.access import clearance_required


@require_GET
@clearance_required
def home(request: HttpRequest, clearance: Sensitivity) -> HttpResponse:
    today = timezone.now().date()
    context = {"snapshot": forces.snapshot(clearance, today), "levels": geo.area_levels()}
    return render(request, "web/home.html", context)


@require_GET
@clearance_required
def map_page(request: HttpRequest, clearance: Sensitivity) -> HttpResponse:
    del clearance  # boundaries are public; the decorator still refuses accounts without a role
    return render(request, "web/map.html", {"levels": geo.area_levels()})
