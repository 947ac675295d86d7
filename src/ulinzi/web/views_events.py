"""The Events pages: thin adaptors over ``web.events_page``, which asks ``incidents.services``."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ulinzi.accounts.policy import RecordType, Viewer, may_change
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.services import record_list_read, record_read
from ulinzi.geo import services as geo
from ulinzi.incidents import services
from ulinzi.incidents.corrections import split_report
from ulinzi.intake.review import candidates_for
from ulinzi.web import events_page
from ulinzi.web.access import viewer_required


@require_GET
@viewer_required
def events_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The filtered table and its map; unreadable filters get a 400 that says which and why."""
    listing = events_page.listing(viewer, request.GET)
    record_list_read(request, [row.event for row in listing.rows], request.path)
    context = {
        "listing": listing,
        "choices": events_page.filter_choices(),
        "boundary_level": events_page.context_level(geo.area_levels()),
    }
    return render(request, "web/events.html", context, status=400 if listing.errors else 200)


@require_GET
@viewer_required
def events_map(request: HttpRequest, viewer: Viewer) -> JsonResponse:
    """GeoJSON for the Events map: the same filters as the table, plus ``bbox``, ``zoom`` and ``show``."""
    form = events_page.EventFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"detail": " ".join(form.messages())}, status=400)
    try:
        view = events_page.parse_view(request.GET)
    except events_page.BadMapRequest as error:
        return JsonResponse({"detail": str(error)}, status=400)
    layer = events_page.map_layer(viewer, form.event_filter(), view)
    record_list_read(request, layer.points, request.path)
    return JsonResponse(events_page.geojson(layer))


@require_GET
@viewer_required
def event_detail(request: HttpRequest, viewer: Viewer, event_id: int) -> HttpResponse:
    record = events_page.event_record(viewer, event_id)
    if record is None:
        # The same answer for a hidden event as for a missing one, so a refusal reveals nothing.
        raise Http404("No such event")
    record_read(request, record.event._meta.label_lower, record.event.pk, record.event.sensitivity)
    # The document spans it rests on, for whoever may read those candidates (never a masked reader).
    origins = [] if record.masked else candidates_for(record.event, viewer)
    return render(request, "web/event_detail.html", {"record": record, "origins": origins})


@require_POST
@viewer_required
def event_split(request: HttpRequest, viewer: Viewer, event_id: int, report_id: int) -> HttpResponse:
    """Undo a wrong merge from the event's page; the same rule as the API's split."""
    event = services.visible(viewer).filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event")
    allowed = may_change(viewer, RecordType.EVENT, Sensitivity(event.sensitivity), event.owner_id)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    report = event.reports.filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report")
    created = split_report(report, request.user if isinstance(request.user, User) else None)
    return redirect("web:event-detail", event_id=created.pk)
