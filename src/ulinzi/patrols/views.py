"""The patrol pages: the list, one patrol with its track and replay, planning, and effort.

Patrols and positions are for the roles that read tracks (``services.sees_tracks``); every other
role gets a 403 from the list, a patrol and the planning form, and on the effort page the released
table only. Forms post back to their own page (CSRF-protected, no script needed); the map and the
replay are static scripts over the API's track export.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ulinzi.accounts.policy import EDITORS, RecordType, Viewer
from ulinzi.audit.services import record_list_read, record_read
from ulinzi.incidents.services import visible
from ulinzi.patrols import effort_page, planning, services
from ulinzi.patrols.forms import PlanForm
from ulinzi.patrols.models import Patrol, PatrolStatus
from ulinzi.web.access import viewer_required

LIST_PAGE = 50
TRACK_REFUSAL = "patrols and their tracks are the mission's own; your role sees patrol effort per commune and week"


def _track_reader(viewer: Viewer) -> Viewer:
    if not services.sees_tracks(viewer):
        raise PermissionDenied(TRACK_REFUSAL)
    return viewer


@require_GET
@viewer_required
def patrol_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Patrols newest first with their track's size, filtered by status."""
    _track_reader(viewer)
    status = request.GET.get("status", "")
    context: dict[str, object] = {"statuses": PatrolStatus.choices, "status": status}
    if status and status not in PatrolStatus.values:
        context["error"] = f"{status[:20]!r} is not a patrol status"
        return render(request, "patrols/list.html", context, status=400)
    found = services.patrols(viewer).order_by("-planned_start", "reference")
    if status:
        found = found.filter(status=status)
    page = Paginator(found, LIST_PAGE).get_page(request.GET.get("page"))
    shown: list[Patrol] = list(page.object_list)
    record_list_read(request, shown, request.path)
    sizes = services.track_sizes(viewer, [patrol.pk for patrol in shown])
    context |= {
        "page": page,
        "rows": [(patrol, sizes[patrol.pk]) for patrol in shown],
        "may_plan": viewer.role in EDITORS[RecordType.PATROL],
    }
    return render(request, "patrols/list.html", context)


@require_http_methods(["GET", "POST"])
@viewer_required
def plan(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The planning form; a refused field is shown beside its input, what was typed kept."""
    if viewer.role not in EDITORS[RecordType.PATROL]:
        raise PermissionDenied("only commanders, analysts and administrators plan patrols")
    if request.method != "POST":
        return render(request, "patrols/plan.html", {"form": PlanForm(viewer)})
    form = PlanForm(viewer, request.POST)
    if form.is_valid():
        try:
            patrol = planning.create(viewer, form.plan(), request.user if isinstance(request.user, User) else None)
        except planning.PlanRefused as refused:
            form.add_error(refused.field, refused.reason)
        else:
            return redirect("patrols:detail", patrol_id=patrol.pk)
    return render(request, "patrols/plan.html", {"form": form}, status=422)


@require_GET
@viewer_required
def patrol_detail(request: HttpRequest, viewer: Viewer, patrol_id: int) -> HttpResponse:
    _track_reader(viewer)
    patrol = services.patrols(viewer).filter(pk=patrol_id).first()
    if patrol is None:
        # The same answer for a hidden patrol as for a missing one.
        raise Http404("No such patrol")
    record_read(request, Patrol._meta.label_lower, patrol.pk, patrol.sensitivity)
    events = list(visible(viewer).filter(patrols=patrol).select_related("actor1").order_by("event_date", "pk"))
    record_list_read(request, events, request.path)
    track_url = reverse("api:patrol-track", kwargs={"patrol_id": patrol.pk})
    context = {
        "patrol": patrol,
        "summary": services.summary(viewer, patrol),
        "events": events,
        "track_url": track_url,
    }
    return render(request, "patrols/detail.html", context)


@require_GET
@viewer_required
def effort(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Track readers: hexagons by patrol hours and the coverage gaps. Everyone else with a role:
    the released hours per commune and week, with the caveat."""
    form = effort_page.WindowForm(request.GET, timezone.now().date())
    if not form.is_valid():
        return render(request, "patrols/effort.html", {"form": form}, status=400)
    try:
        shown = effort_page.effort_view(viewer, form.cleaned_data["start"], form.cleaned_data["end"])
    except services.NotPermitted as refused:
        raise PermissionDenied(str(refused)) from None
    context = {"form": form, "effort": shown, "focus": form.cleaned_data["cell"]}
    return render(request, "patrols/effort.html", context)
