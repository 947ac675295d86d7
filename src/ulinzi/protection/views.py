"""The SGBV page: the suppressed table for the form's choices, a thin adaptor over ``services``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ulinzi.accounts.policy import RecordType, Viewer, may_read
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import Action
from ulinzi.protection import services, tables
from ulinzi.protection.gbvims import CLASSIFICATIONS
from ulinzi.protection.suppression import BAND_DIMENSIONS, AreaUnit, PeriodUnit, Query, QueryRefused
from ulinzi.web.access import viewer_required

# The breakdowns the page offers: one view each, or a part of the age and sex view.
BREAKDOWNS = (
    ("", "no breakdown (totals)"),
    ("violence_type", "type of violence"),
    ("age_band,sex_band", "age band and sex band"),
    ("age_band", "age band"),
    ("sex_band", "sex band"),
    ("perpetrator_type", "perpetrator type"),
)


@require_GET
@viewer_required
def sgbv_page(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Every role sees the same suppressed table; a choice no table answers gets a 400 saying why."""
    allowed = may_read(viewer, RecordType.SGBV_TABLE, Sensitivity.INTERNAL)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    chosen = {name: request.GET.get(name, "") for name in ("period", "area", "by", "within", "pcode")}
    bands = {dimension: request.GET.get(dimension, "") for dimension in BAND_DIMENSIONS}
    context: dict[str, object] = {
        "chosen": chosen | bands,
        "periods": list(PeriodUnit),
        "areas": list(AreaUnit),
        "breakdowns": BREAKDOWNS,
        "band_filters": [(classification, bands[classification.name]) for classification in CLASSIFICATIONS],
        "query_string": request.GET.urlencode(),
    }
    try:
        answered = services.table(Query.parse(**chosen, bands=bands))
    except QueryRefused as refused:
        context["error"] = str(refused)
        return render(request, "protection/sgbv.html", context, status=400)
    services.record_output(request, Action.READ, answered, "page")
    context |= {
        "table": answered,
        "headers": [
            classification.title for classification in CLASSIFICATIONS if classification.name in answered.dimensions
        ],
        "lines": tables.lines(answered, services.area_names()),
        "caption": tables.caption(answered),
    }
    return render(request, "protection/sgbv.html", context)
