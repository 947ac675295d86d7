"""The Events pages: thin adaptors over ``web.events_page``, which asks ``incidents.services``."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ulinzi.accounts.roles import EVENT_EDITORS
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import role_of
from ulinzi.audit.services import record_read
from ulinzi.geo import services as geo
from ulinzi.incidents import services
from ulinzi.incidents.corrections import split_report
from ulinzi.web import events_page
from ulinzi.web.access import clearance_required


@require_GET
@clearance_required
def events_list(request: HttpRequest, clearance: Sensitivity) -> HttpResponse:
    """The filtered table and its map; unreadable filters get a 400 that says which and why."""
    listing = events_page.listing(clearance, request.GET)
    context = {
        "listing": listing,
        "choices": events_page.filter_choices(),
        "boundary_level": events_page.context_level(geo.area_levels()),
    }
    return render(request, "web/events.html", context, status=400 if listing.errors else 200)


@require_GET
@clearance_required
def events_map(request: HttpRequest, clearance: Sensitivity) -> JsonResponse:
    """GeoJSON for the Events map: the same filters as the table, plus ``bbox``, ``zoom`` and ``show``."""
    form = events_page.EventFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"detail": " ".join(form.messages())}, status=400)
    try:
        view = events_page.parse_view(request.GET)
    except events_page.BadMapRequest as error:
        return JsonResponse({"detail": str(error)}, status=400)
    layer = events_page.map_layer(clearance, form.event_filter(), view)
    return JsonResponse(events_page.geojson(layer))


@require_GET
@clearance_required
def event_detail(request: HttpRequest, clearance: Sensitivity, event_id: int) -> HttpResponse:
    can_split = role_of(request.user) in EVENT_EDITORS
    record = events_page.event_record(clearance, event_id, can_split=can_split)
    if record is None:
        # The same answer for a hidden event as for a missing one, so a refusal reveals nothing.
        raise Http404("No such event")
    record_read(request, record.event._meta.label_lower, record.event.pk, record.event.sensitivity)
    return render(request, "web/event_detail.html", {"record": record})


@require_POST
@clearance_required
def event_split(request: HttpRequest, clearance: Sensitivity, event_id: int, report_id: int) -> HttpResponse:
    """Undo a wrong merge from the event's page; the same rule as the API's split."""
    event = services.visible(clearance).filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event")
    if role_of(request.user) not in EVENT_EDITORS:
        raise PermissionDenied("only analysts, monitors and administrators correct events")
    report = event.reports.filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report")
    created = split_report(report, request.user if isinstance(request.user, User) else None)
    return redirect("web:event-detail", event_id=created.pk)
