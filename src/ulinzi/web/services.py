"""What the dashboard pages show beyond one app's own services: the Map page's control panel and roads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min

from ulinzi.accounts.policy import Viewer
from ulinzi.geo import routing, share_chart, territory
from ulinzi.geo.models import AdminArea

# The control layer's date control starts here: the demo's (illustrative) claims begin on this day.
CONTROL_START = date(2024, 1, 1)
# The road statuses that close a segment to routing, for the map's red roads (space-separated).
CLOSED_ROAD_STATUSES = " ".join(sorted(routing.BLOCKING))
PAP_METRO_NAME = "Port-au-Prince metropolitan area"
# The communes of the metropolitan area (COD-AB P-codes): Port-au-Prince, Delmas, Carrefour,
# Pétion-Ville, Kenscoff, Gressier, Cité Soleil, Tabarre, Croix-des-Bouquets.
PAP_METRO_PCODES = ("HT0111", "HT0112", "HT0113", "HT0114", "HT0115", "HT0116", "HT0117", "HT0118", "HT0131")


class BadChartRequest(ValueError):
    """The query string does not name a chart we can draw; the message says why."""


@dataclass(frozen=True)
class DateSpan:
    """The days the date control covers: from ``start`` to ``end`` (today) inclusive."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class ControlPanel:
    """The Map page's control layer: its date control, actor colours and the area whose share it shows."""

    span: DateSpan
    colours: dict[str, str]
    area_name: str
    area_codes: str  # comma-separated, for the page's data attribute and the chart's URL
    area_loaded: bool


def date_span(today: date) -> DateSpan:
    """From CONTROL_START to today; a clock before the start gives a one-day span.

    >>> date_span(date(2024, 10, 1)).days
    274
    >>> date_span(date(2023, 1, 1)).days
    0
    """
    return DateSpan(CONTROL_START, max(today, CONTROL_START))


def parse_marked(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadChartRequest("date must be a date (YYYY-MM-DD)") from None


def actor_colours(viewer: Viewer) -> dict[str, str]:
    """Colours of the actors whose control areas the caller may see (and only those)."""
    names = territory.visible(viewer).values_list("actor__name", flat=True).distinct()
    return share_chart.actor_colours(names)


def area_name(codes: list[str]) -> str:
    if sorted(codes) == sorted(PAP_METRO_PCODES):
        return PAP_METRO_NAME
    names = dict(AdminArea.objects.filter(pcode__in=codes).values_list("pcode", "name_fr"))
    shown = [names.get(code) or code for code in codes[:4]]
    more = f" and {len(codes) - 4} more" if len(codes) > 4 else ""
    return ", ".join(shown) + more


def control_panel(viewer: Viewer, today: date) -> ControlPanel:
    loaded = AdminArea.objects.filter(pcode__in=PAP_METRO_PCODES).count() == len(PAP_METRO_PCODES)
    return ControlPanel(
        span=date_span(today),
        colours=actor_colours(viewer),
        area_name=PAP_METRO_NAME,
        area_codes=",".join(PAP_METRO_PCODES),
        area_loaded=loaded,
    )


def any_illustrative(viewer: Viewer, codes: list[str]) -> bool:
    """Whether a made-up claim the caller may see touches the areas' bounding box (errs towards yes)."""
    box = AdminArea.objects.filter(pcode__in=codes).aggregate(
        west=Min("min_lon"), south=Min("min_lat"), east=Max("max_lon"), north=Max("max_lat")
    )
    if box["west"] is None:
        return False
    overlapping = territory.visible(viewer).filter(
        illustrative=True,
        min_lon__lte=box["east"],
        max_lon__gte=box["west"],
        min_lat__lte=box["north"],
        max_lat__gte=box["south"],
    )
    return overlapping.exists()


def share_chart_svg(viewer: Viewer, area: str, marked: str, today: date) -> bytes:
    """The share of ``area`` under control from CONTROL_START to today, computed from what the caller may see."""
    day, span = parse_marked(marked), date_span(today)
    try:
        codes = territory.parse_pcodes(area)
        shares = territory.share_series(viewer, codes, span.start, span.end)
    except (territory.BadAreaList, territory.UnknownArea) as error:
        raise BadChartRequest(str(error)) from None
    chart = share_chart.ShareChart(
        area=area_name(codes),
        shares=shares,
        until=span.end,
        colours=actor_colours(viewer),
        marked=day,
        illustrative=any_illustrative(viewer, codes),
    )
    return share_chart.render_svg(chart)
