"""The patrol pages: the list, one patrol with its track and replay, planning, and effort.

Patrols and positions are for the roles that read tracks (``services.sees_tracks``); every other
role gets a 403 from the list, a patrol and the planning form, and on the effort page the released
table only. Forms are plain posts (CSRF-protected, no script needed): planning posts back to its
own page, a patrol's link and unlink buttons to their own addresses, which return to the patrol's
page, or show it again with the refusal. The map and the replay are static scripts over the API's
track export.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ulinzi.accounts.policy import EDITORS, RecordType, Viewer
from ulinzi.audit.services import record_list_read, record_read
from ulinzi.patrols import effort_page, links, nearby, planning, services
from ulinzi.patrols.forms import LinkForm, PlanForm
from ulinzi.patrols.models import Patrol, PatrolEvent, PatrolStatus
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
            patrol = planning.create(viewer, form.plan(), _user(request))
        except planning.PlanRefused as refused:
            form.add_error(refused.field, refused.reason)
        else:
            return redirect("patrols:detail", patrol_id=patrol.pk)
    return render(request, "patrols/plan.html", {"form": form}, status=422)


@require_GET
@viewer_required
def patrol_detail(request: HttpRequest, viewer: Viewer, patrol_id: int) -> HttpResponse:
    _track_reader(viewer)
    patrol = _readable_patrol(viewer, patrol_id)
    return render(request, "patrols/detail.html", _detail_context(request, viewer, patrol))


@require_POST
@viewer_required
def link_event(request: HttpRequest, viewer: Viewer, patrol_id: int) -> HttpResponse:
    """A suggestion's button: link the event as observed or reported, then back to the patrol."""
    patrol = _patrol_to_link(viewer, patrol_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _refused(request, viewer, patrol, form.refusal(), status=400)
    try:
        links.link(viewer, patrol, form.cleaned_data["event_id"], form.cleaned_data["relation"], _user(request))
    except links.NoSuchEvent as missing:
        return _refused(request, viewer, patrol, f"event_id: {missing}", status=404)
    return redirect("patrols:detail", patrol_id=patrol.pk)


@require_POST
@viewer_required
def unlink_event(request: HttpRequest, viewer: Viewer, patrol_id: int, event_id: int) -> HttpResponse:
    """A linked event's Unlink button; an event no longer linked is no error (a second click)."""
    patrol = _patrol_to_link(viewer, patrol_id)
    try:
        links.unlink(viewer, patrol, event_id, _user(request))
    except links.NoSuchEvent as missing:
        return _refused(request, viewer, patrol, f"event_id: {missing}", status=404)
    return redirect("patrols:detail", patrol_id=patrol.pk)


def _patrol_to_link(viewer: Viewer, patrol_id: int) -> Patrol:
    """A refused role is a 403 before the patrol is looked up; a hidden patrol is a 404."""
    _track_reader(viewer)
    try:
        return links.patrol_to_link(viewer, patrol_id)
    except links.LinkRefused as refused:
        raise PermissionDenied(str(refused)) from None
    except links.NoSuchPatrol:
        raise Http404("No such patrol") from None


def _readable_patrol(viewer: Viewer, patrol_id: int) -> Patrol:
    patrol = services.patrols(viewer).filter(pk=patrol_id).first()
    if patrol is None:
        # The same answer for a hidden patrol as for a missing one.
        raise Http404("No such patrol")
    return patrol


def _detail_context(request: HttpRequest, viewer: Viewer, patrol: Patrol) -> dict[str, object]:
    """The patrol page: its facts, track summary and linked events; for those who may link, the
    events near the track. Every confidential record shown is recorded as read."""
    record_read(request, Patrol._meta.label_lower, patrol.pk, patrol.sensitivity)
    linked = links.linked(viewer, patrol)
    may_link = links.may_link(viewer)
    suggestions = links.suggestions(viewer, patrol) if may_link else []
    shown = [one.event for one in linked] + [one.event for one in suggestions]
    record_list_read(request, shown, request.path)
    return {
        "patrol": patrol,
        "summary": services.summary(viewer, patrol),
        "linked": linked,
        "suggestions": suggestions,
        "may_link": may_link,
        "relations": PatrolEvent.Relation.choices,
        "within_m": nearby.DEFAULT_WITHIN_M,
        "track_url": reverse("api:patrol-track", kwargs={"patrol_id": patrol.pk}),
    }


def _refused(request: HttpRequest, viewer: Viewer, patrol: Patrol, message: str, *, status: int) -> HttpResponse:
    """The patrol's page again with why the link was refused above its events."""
    context = _detail_context(request, viewer, patrol) | {"link_error": message}
    return render(request, "patrols/detail.html", context, status=status)


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


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
