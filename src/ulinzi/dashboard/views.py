"""The dashboard (the home page) and its server-drawn charts.

The page is a shell: the map, the time slider and each panel fetch their own data, so a slow panel
never holds up the others. The first window is read from the query string, so a shared link opens
the same view; without one it is the 30 days up to the latest event the reader may see, because a
window of empty days teaches nothing (the page says when the data ends before today).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ulinzi.accounts.policy import Viewer
from ulinzi.dashboard import charts, figures
from ulinzi.forces import services as forces
from ulinzi.geo import services as geo
from ulinzi.incidents import services as incidents
from ulinzi.incidents import taxonomy
from ulinzi.incidents.models import Actor, Verification
from ulinzi.incidents.services import EventFilter
from ulinzi.web import services as web
from ulinzi.web.access import viewer_required

WINDOWS = ((7, "7 days"), (30, "30 days"), (91, "13 weeks"), (182, "26 weeks"), (365, "a year"))
DEFAULT_WINDOW = 30
ANY = ("", "any")


class WindowForm(forms.Form):
    """The dashboard's query string: the window and the Events page's filters."""

    until = forms.DateField(required=False)
    days = forms.TypedChoiceField(required=False, coerce=int, choices=WINDOWS, empty_value=None)
    since = forms.DateField(required=False)
    event_type = forms.ChoiceField(required=False, choices=[ANY, *((kind, kind) for kind in taxonomy.EVENT_TYPES)])
    actor = forms.CharField(required=False, max_length=200)
    pcode = forms.RegexField(required=False, max_length=20, regex=r"^[A-Za-z0-9_-]+$")
    verification = forms.ChoiceField(required=False, choices=[ANY, *Verification.choices])


@dataclass(frozen=True)
class Span:
    """The dates the slider runs over: the first event the reader may see to today."""

    first: date
    last: date
    latest_event: date | None

    @property
    def days(self) -> int:
        return (self.last - self.first).days


def span(viewer: Viewer, today: date) -> Span:
    # ORDER BY ... LIMIT 1 rather than MIN/MAX: with the release filter, the database walks the
    # event_date index and stops at the first readable event instead of scanning them all.
    days = incidents.released(viewer).order_by().values_list("event_date", flat=True)
    earliest, latest = days.order_by("event_date").first(), days.order_by("-event_date").first()
    return Span(first=min(earliest or today, today), last=today, latest_event=latest)


def window(form: WindowForm, extent: Span, today: date) -> tuple[EventFilter, int]:
    """The filter for the page's first load, and the window's length in days."""
    data = form.cleaned_data if form.is_valid() else {}
    latest = extent.latest_event if extent.latest_event and extent.latest_event < today else today
    until = data.get("until") or latest
    days = data.get("days") or DEFAULT_WINDOW
    since = data.get("since") or until - timedelta(days=days - 1)
    since = min(since, until)
    return (
        EventFilter(
            since=since,
            until=until,
            event_type=data.get("event_type") or None,
            actor=data.get("actor") or None,
            pcode=data.get("pcode") or None,
            verification=data.get("verification") or None,
        ),
        (until - since).days + 1,
    )


@require_GET
@viewer_required
def home(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    today = timezone.now().date()
    extent = span(viewer, today)
    form = WindowForm(request.GET)
    wanted, days = window(form, extent, today)
    context = {
        "form": form,
        "wanted": wanted,
        "days": days,
        "windows": WINDOWS,
        "span": extent,
        "stale": extent.latest_event is not None and extent.latest_event < today - timedelta(days=7),
        "event_types": list(taxonomy.EVENT_TYPES),
        "verifications": Verification.choices,
        "actors": list(Actor.objects.order_by("name").values_list("name", flat=True)[:500]),
        "levels": geo.area_levels(),
        "colours": web.actor_colours(viewer),
        "closed_statuses": web.CLOSED_ROAD_STATUSES,
        "snapshot": forces.snapshot(viewer, wanted.until or today),
        "tiles": settings.MAP_TILES[0] if settings.MAP_TILES else "",
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "dashboard/home.html", context)


@require_GET
@viewer_required
def trend_chart(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The weekly trend of the window in the query string, as SVG."""
    today = timezone.now().date()
    form = WindowForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(str(error) for error in errors)}" for name, errors in form.errors.items()
        )
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    wanted, _days = window(form, span(viewer, today), today)
    found = figures.trend(viewer, wanted, today)
    return HttpResponse(charts.trend_svg(found, forces.country_names()), content_type="image/svg+xml")


@require_GET
@viewer_required
def strength_chart(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Deployed against pledged on the window's end, per country, as SVG bars."""
    today = timezone.now().date()
    form = WindowForm(request.GET)
    if not form.is_valid():
        return HttpResponse("until: not a date", status=400, content_type="text/plain; charset=utf-8")
    on = form.cleaned_data.get("until") or today
    return HttpResponse(charts.strength_svg(figures.strength(viewer, on)), content_type="image/svg+xml")
