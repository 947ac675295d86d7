"""Shell pages: the map. Login and logout are Django's own views."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ulinzi.accounts.policy import EDITORS, RecordType, Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo import services as geo
from ulinzi.geo.models import Confidence
from ulinzi.incidents.models import Actor, ActorKind
from ulinzi.web import services
from ulinzi.web.access import viewer_required


@dataclass(frozen=True)
class DrawTool:
    """The choices of the Map page's form for a drawn control area."""

    actors: list[str]  # actors are public records (P0): every editor may be offered every name
    kinds: list[tuple[str, str]]
    confidences: list[tuple[str, str]]
    labels: list[tuple[str, str]]  # only up to the editor's clearance: they must be able to read it
    default_label: str


def draw_tool(request: HttpRequest, viewer: Viewer) -> DrawTool | None:
    """None for a role that may not draw, so the page carries no tool, form or drawing library."""
    clearance = viewer.clearance
    if viewer.role not in EDITORS[RecordType.CONTROL_AREA] or clearance is None:
        return None
    return DrawTool(
        actors=list(Actor.objects.order_by("name").values_list("name", flat=True)),
        kinds=list(ActorKind.choices),
        confidences=list(Confidence.choices),
        labels=[(label.code, f"{label.code} {label.title}") for label in Sensitivity if label <= clearance],
        default_label=min(Sensitivity.CONFIDENTIAL, clearance).code,
    )


@require_GET
@viewer_required
def map_page(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    # Boundaries are public; the control layer and its colours follow what the caller may read.
    control = services.control_panel(viewer, timezone.now().date())
    context = {
        "levels": geo.area_levels(),
        "control": control,
        "closed_statuses": services.CLOSED_ROAD_STATUSES,
        "draw": draw_tool(request, viewer),
    }
    return render(request, "web/map.html", context)


@require_GET
@viewer_required
def control_share_chart(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """SVG chart of the share of ``?area=P1,P2`` under control over time; ``&date=`` marks a day."""
    area, marked = request.GET.get("area", ""), request.GET.get("date", "")
    try:
        svg = services.share_chart_svg(viewer, area, marked, timezone.now().date())
    except services.BadChartRequest as error:
        return HttpResponse(str(error), status=422, content_type="text/plain; charset=utf-8")
    return HttpResponse(svg, content_type="image/svg+xml")
