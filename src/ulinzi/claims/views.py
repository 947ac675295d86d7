"""The Claims page: the ledger the caller may read, a thin adaptor over ``services``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ulinzi.accounts.policy import Viewer
from ulinzi.audit.services import record_list_read
from ulinzi.claims import ledger, services
from ulinzi.web.access import viewer_required

MAX_PCODE = 20


@require_GET
@viewer_required
def ledger_page(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Every group of claims the caller may read, figures side by side; an unknown metric is a 400."""
    metric = request.GET.get("metric", "").strip()
    area = request.GET.get("area", "").strip()[:MAX_PCODE]
    context: dict[str, object] = {"metrics": ledger.METRICS, "chosen": {"metric": metric, "area": area}}
    if metric and metric not in ledger.METRICS:
        context["error"] = f"{metric!r} is not a metric"
        return render(request, "claims/ledger.html", context, status=400)
    groups = services.ledger_of(viewer, metric or None, area or None)
    record_list_read(request, services.shown_claims(groups), request.path)
    context["groups"] = groups
    return render(request, "claims/ledger.html", context)
