"""What the Events pages show: the filter form, the table, one event with its history, and the map layer.

Every query goes through ``incidents.services.events`` (or ``visible`` for one event), so the pages
apply exactly the filters and the access rule of ``/api/events``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from h3.api import basic_int as h3

from ulinzi.accounts.policy import RecordType, Viewer, may_change, may_read
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.geo.models import AdminArea
from ulinzi.incidents import services, taxonomy
from ulinzi.incidents.models import Actor, Event, EventReport, Verification
from ulinzi.incidents.release import column, release, released_list
from ulinzi.sources.models import ImportBatch, Source

PER_PAGE = 50
TIME_PRECISION = {1: "the day is known", 2: "within a week", 3: "within a month"}
GEO_PRECISION = {1: "the place itself", 2: "near the place", 3: "the centre of an administrative area"}
ANY = ("", "any")


class EventFilterForm(forms.Form):
    """The query-string filters of ``/api/events``, read by the page so a filtered view is a shareable URL."""

    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    event_type = forms.ChoiceField(
        required=False, label="Event type", choices=[ANY, *((kind, kind) for kind in taxonomy.EVENT_TYPES)]
    )
    sub_event_type = forms.ChoiceField(
        required=False,
        label="Sub-event type",
        choices=[ANY, *((kind, [(sub, sub) for sub in subs]) for kind, subs in taxonomy.EVENT_TYPES.items())],
    )
    actor = forms.CharField(
        required=False, max_length=200, help_text="either side", widget=forms.TextInput(attrs={"list": "actor-names"})
    )
    pcode = forms.CharField(
        required=False, max_length=20, label="P-code", widget=forms.TextInput(attrs={"list": "area-pcodes", "size": 10})
    )
    verification = forms.ChoiceField(required=False, choices=[ANY, *Verification.choices])
    min_fatalities = forms.IntegerField(
        required=False, min_value=0, max_value=1_000_000, label="Fatalities at least", widget=forms.NumberInput()
    )
    max_fatalities = forms.IntegerField(
        required=False, min_value=0, max_value=1_000_000, label="Fatalities at most", widget=forms.NumberInput()
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date (since) must be on or before the end date (until).")
        kind, sub = cleaned.get("event_type"), cleaned.get("sub_event_type")
        if kind and sub and sub not in taxonomy.EVENT_TYPES[kind]:
            raise forms.ValidationError(f"{sub!r} is not a sub-event type of {kind!r}.")
        low, high = cleaned.get("min_fatalities"), cleaned.get("max_fatalities")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError("Fatalities at least must not be more than fatalities at most.")
        return cleaned

    def event_filter(self) -> services.EventFilter:
        data = self.cleaned_data
        return services.EventFilter(
            since=data["since"],
            until=data["until"],
            event_type=data["event_type"] or None,
            sub_event_type=data["sub_event_type"] or None,
            pcode=data["pcode"] or None,
            actor=data["actor"] or None,
            min_fatalities=data["min_fatalities"],
            max_fatalities=data["max_fatalities"],
            verification=data["verification"] or None,
        )

    def query(self) -> str:
        """The filters as a query string, normalised, for the map's requests and the page links."""
        pairs = [(name, _query_value(value)) for name, value in self.cleaned_data.items() if value not in (None, "")]
        return urlencode(pairs)

    def messages(self) -> list[str]:
        """Each problem once, with the label of the field it concerns, in field order."""
        found = [f"{self[name].label}: {error}" for name in self.fields for error in self.errors.get(name, [])]
        return found + [str(error) for error in self.non_field_errors()]


def _query_value(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def fatality_range(low: int, best: int, high: int) -> str:
    """The best estimate alone when the sources agree, otherwise low–best–high as UCDP gives them.

    >>> fatality_range(3, 3, 3)
    '3'
    >>> fatality_range(2, 3, 7)
    '2–3–7'
    """
    return str(best) if low == best == high else f"{low}–{best}–{high}"


@dataclass(frozen=True)
class EventRow:
    event: Event
    place: str  # the level-2 area (a commune in Haiti) by name and P-code, or the source's admin names
    fatalities: str


@dataclass(frozen=True)
class FilterChoices:
    """Suggestions for the free-text filters; actors and areas are public records."""

    actors: list[str]
    areas: list[tuple[str, str]]  # P-code, name


@dataclass(frozen=True)
class Listing:
    form: EventFilterForm
    errors: list[str]
    page: Page[Event] | None  # None when the filters could not be read
    rows: list[EventRow]
    extent: str  # "west,south,east,north" of every matching event, for the map; "" when none
    query: str


def listing(viewer: Viewer, params: QueryDict) -> Listing:
    """One page of the events the caller may read under the filters in ``params``, or the filters' errors."""
    form = EventFilterForm(params)
    if not form.is_valid():
        return Listing(form=form, errors=form.messages(), page=None, rows=[], extent="", query="")
    found = services.events(viewer, form.event_filter())
    page = Paginator(found, PER_PAGE).get_page(params.get("page"))
    shown = released_list(page)
    return Listing(form=form, errors=[], page=page, rows=rows(shown), extent=extent(found), query=form.query())


def rows(events: list[Event]) -> list[EventRow]:
    names = area_names({event.adm2_pcode for event in events if event.adm2_pcode})
    return [
        EventRow(
            event=event,
            place=_place(event, names),
            fatalities=fatality_range(event.fatalities_low, event.fatalities, event.fatalities_high),
        )
        for event in events
    ]


def _place(event: Event, names: dict[str, str]) -> str:
    if event.adm2_pcode:
        return f"{names.get(event.adm2_pcode, event.adm2_pcode)} ({event.adm2_pcode})"
    return event.admin3 or event.admin2 or event.admin1


def area_names(codes: set[str]) -> dict[str, str]:
    areas = AdminArea.objects.filter(pcode__in=codes).only("pcode", "name_fr", "name_en", "name_ht")
    return {area.pcode: area.name for area in areas}


def extent(found: QuerySet[Event]) -> str:
    lon, lat = column("longitude"), column("latitude")
    box = found.order_by().aggregate(west=Min(lon), south=Min(lat), east=Max(lon), north=Max(lat))
    if box["west"] is None:
        return ""
    return ",".join(f"{box[side]:.5f}" for side in ("west", "south", "east", "north"))


def filter_choices() -> FilterChoices:
    actors = list(Actor.objects.order_by("name").values_list("name", flat=True))
    areas = AdminArea.objects.filter(level__lte=2).only("pcode", "name_fr", "name_en", "name_ht").order_by("pcode")
    return FilterChoices(actors=actors, areas=[(area.pcode, area.name) for area in areas])


def context_level(levels: list[int]) -> int | None:
    """The boundary level drawn under the events: level 2 (communes in Haiti) when loaded.

    >>> context_level([1, 2, 3]), context_level([1]), context_level([])
    (2, 1, None)
    """
    if 2 in levels:
        return 2
    return levels[0] if levels else None


# One event


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class AreaCode:
    level: int
    pcode: str
    name: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime | None
    what: str


@dataclass(frozen=True)
class EventRecord:
    event: Event
    facts: list[Fact]  # ACLED's fields, in ACLED's column order
    areas: list[AreaCode]
    h3_cell: str  # H3's hexadecimal index, as H3 tools print it
    fatalities: str
    verifier: str
    sources: list[Source]
    history: list[HistoryEntry]
    reports: list[EventReport]  # rows of other datasets merged into this event
    can_split: bool
    masked: bool = False


def event_record(viewer: Viewer, event_id: int) -> EventRecord | None:
    """The event as the caller may see it (in full, or masked: then without its merged source rows
    and history), or None when it does not exist or the caller may not see it: the two look alike."""
    event = (
        services.released(viewer)
        .select_related("actor1", "actor2", "verified_by", "batch__user")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return None
    masked = bool(release(event).masked)
    codes = {level: code for level, code in enumerate(_pcodes(event), start=1) if code}
    names = area_names(set(codes.values()))
    return EventRecord(
        event=event,
        facts=acled_facts(event),
        areas=[AreaCode(level, code, names.get(code, "not a loaded area")) for level, code in codes.items()],
        h3_cell=h3.int_to_str(event.h3_cell) if event.h3_cell is not None else "",
        fatalities=fatality_range(event.fatalities_low, event.fatalities, event.fatalities_high),
        verifier=_person(viewer, event.verified_by.get_username() if event.verified_by else ""),
        sources=list(event.sources.order_by("publisher", "reference")),
        history=[] if masked else history(viewer, event),
        reports=[] if masked else list(event.reports.all()),
        can_split=not masked
        and bool(may_change(viewer, RecordType.EVENT, Sensitivity(event.sensitivity), event.owner_id)),
        masked=masked,
    )


def _pcodes(event: Event) -> tuple[str, str, str]:
    return event.adm1_pcode, event.adm2_pcode, event.adm3_pcode


def _person(viewer: Viewer, username: str) -> str:
    if not username:
        return ""
    if may_read(viewer, RecordType.ACCOUNT, Sensitivity.CONFIDENTIAL):
        return username
    return "a Ulinzi user (the name needs confidential clearance)"


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def acled_facts(event: Event) -> list[Fact]:
    """Every ACLED field as recorded, so an analyst can check the record against the source row."""
    actor2 = event.actor2.name if event.actor2 else ""
    pairs = [
        ("Record key", event.natural_key),
        ("Event date", f"{event.event_date:%Y-%m-%d}"),
        ("Time precision", f"{event.time_precision}: {TIME_PRECISION.get(event.time_precision, 'unknown code')}"),
        ("Disorder type", event.disorder_type),
        ("Event type", event.event_type),
        ("Sub-event type", event.sub_event_type),
        ("Actor 1", event.actor1.name),
        ("Associated actors of actor 1", event.assoc_actor_1),
        ("Category of actor 1 (inter1)", event.inter1),
        ("Actor 2", actor2),
        ("Associated actors of actor 2", event.assoc_actor_2),
        ("Category of actor 2 (inter2)", event.inter2),
        ("Interaction", event.interaction),
        ("Civilian targeting", _yes_no(event.civilian_targeting)),
        ("Country", event.country),
        ("Admin 1", event.admin1),
        ("Admin 2", event.admin2),
        ("Admin 3", event.admin3),
        ("Location", event.location),
        ("Latitude", f"{event.latitude:.5f}"),
        ("Longitude", f"{event.longitude:.5f}"),
        ("Geo-precision", f"{event.geo_precision}: {GEO_PRECISION.get(event.geo_precision, 'unknown code')}"),
        ("Source (as recorded)", event.source),
        ("Source scale", event.source_scale),
        ("Notes", event.notes),
        ("Tags", event.tags),
        ("Fatalities (best estimate)", str(event.fatalities)),
        ("Fatalities, low estimate", str(event.fatalities_low)),
        ("Fatalities, high estimate", str(event.fatalities_high)),
    ]
    return [Fact(label, value or "—") for label, value in pairs]


def history(viewer: Viewer, event: Event) -> list[HistoryEntry]:
    """What is recorded of the event's life: how it arrived, merges and splits, then its verification."""
    entries = [_arrival(viewer, event.batch)]
    for change in event.changes.select_related("by"):
        who = _person(viewer, change.by.get_username() if change.by else "")
        by = f" by {who}" if who else ""
        entries.append(HistoryEntry(change.at, f"{change.get_action_display().capitalize()}{by}: {change.detail}."))
    if event.verified_at is not None or event.verification != Verification.REPORTED:
        who = _person(viewer, event.verified_by.get_username() if event.verified_by else "")
        by = f" by {who}" if who else ""
        entries.append(HistoryEntry(event.verified_at, f"Marked {event.get_verification_display()}{by}."))
    return entries


def _arrival(viewer: Viewer, batch: ImportBatch | None) -> HistoryEntry:
    if batch is None:
        return HistoryEntry(None, "Entered directly, not by an import (no import batch recorded).")
    if not may_read(viewer, RecordType.IMPORT_BATCH, ImportBatch.SENSITIVITY):
        return HistoryEntry(None, "Imported from a file (the import's details need internal clearance).")
    who = _person(viewer, batch.user.get_username() if batch.user else "")
    by = f" by {who}" if who else ""
    counts = f"{batch.rows_read} rows read, {batch.rows_created} created"
    return HistoryEntry(
        batch.started_at, f"Imported{by} from {batch.file_name} ({batch.kind} import, batch {batch.pk}: {counts})."
    )


# The map


class BadMapRequest(ValueError):
    """The map's query string cannot be read; the message says why."""


Show = Literal["auto", "points", "hexagons"]
SHOWS: dict[str, Show] = {"auto": "auto", "points": "points", "hexagons": "hexagons"}
POINT_LIMIT = 500  # "auto" draws points up to this many events in view, hexagons above
MAX_POINTS = 5000  # "points" draws points up to this many, then falls back to hexagons
STORED_RESOLUTION = 8  # Event.h3_cell
KM_PER_DEGREE = 111.32
Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class MapView:
    box: Box | None
    zoom: int
    show: Show


def parse_view(params: QueryDict) -> MapView:
    """The visible box, zoom and wanted drawing of the map's request; missing parts mean the whole world."""
    show = SHOWS.get(params.get("show") or "auto")
    if show is None:
        raise BadMapRequest("show must be auto, points or hexagons")
    try:
        zoom = int(params.get("zoom") or 8)
    except ValueError:
        raise BadMapRequest("zoom must be a whole number from 0 to 22") from None
    if not 0 <= zoom <= 22:
        raise BadMapRequest("zoom must be a whole number from 0 to 22")
    text = params.get("bbox") or ""
    return MapView(box=parse_box(text) if text else None, zoom=zoom, show=show)


def parse_box(text: str) -> Box:
    """``west,south,east,north``, clipped to the world (a zoomed-out map reaches past ±180°).

    >>> parse_box("-200,10,-70.5,95")
    (-180.0, 10.0, -70.5, 90.0)
    """
    try:
        west, south, east, north = (float(part) for part in text.split(",", 4))
    except ValueError:
        raise BadMapRequest("bbox must be four numbers: west,south,east,north") from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise BadMapRequest("bbox must be four finite numbers")
    box = _clip((west, south, east, north))
    if box[0] >= box[2] or box[1] >= box[3]:
        raise BadMapRequest("bbox must have west < east and south < north within the world")
    return box


def _clip(box: Box) -> Box:
    west, south, east, north = box
    return max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0)


def resolution_for(zoom: int) -> int:
    """The H3 resolution whose hexagons are some 15 to 40 pixels across at a map zoom.

    >>> [resolution_for(zoom) for zoom in (2, 6, 8, 10, 12, 16)]
    [3, 3, 5, 7, 8, 8]
    """
    return max(3, min(STORED_RESOLUTION, zoom - 3))


@dataclass(frozen=True)
class CountClass:
    level: int  # 1 lightest to 5 darkest
    low: int
    high: int


def count_classes(largest: int, levels: int = 5) -> list[CountClass]:
    """Classes of event counts with geometric bounds, so one hot cell does not wash out the rest.

    The largest class always gets the darkest level.

    >>> [(c.level, c.low, c.high) for c in count_classes(1000)]
    [(1, 1, 3), (2, 4, 15), (3, 16, 63), (4, 64, 251), (5, 252, 1000)]
    >>> [(c.level, c.low, c.high) for c in count_classes(2)]
    [(4, 1, 1), (5, 2, 2)]
    >>> count_classes(0)
    []
    """
    if largest < 1:
        return []
    highs = sorted({max(1, math.floor(round(largest ** (k / levels), 9))) for k in range(1, levels + 1)})
    lows = [1, *(high + 1 for high in highs[:-1])]
    first = levels - len(highs) + 1
    return [CountClass(first + i, low, high) for i, (low, high) in enumerate(zip(lows, highs, strict=True))]


def level_of(count: int, classes: list[CountClass]) -> int:
    return next((c.level for c in classes if count <= c.high), classes[-1].level if classes else 1)


@dataclass(frozen=True)
class Cell:
    cell: int
    events: int
    fatalities: int
    level: int


@dataclass(frozen=True)
class MapLayer:
    mode: Literal["points", "hexagons"]
    in_view: int
    points: list[Event]
    cells: list[Cell]
    resolution: int | None
    classes: list[CountClass]
    note: str


def map_layer(viewer: Viewer, wanted: services.EventFilter, view: MapView) -> MapLayer:
    """The filtered events in view: each one when few (or asked for), otherwise counted per hexagon."""
    inside = services.events(viewer, replace(wanted, bbox=view.box))
    in_view = inside.count()
    limit = {"auto": POINT_LIMIT, "points": MAX_POINTS, "hexagons": -1}[view.show]
    if in_view <= limit:
        return MapLayer("points", in_view, released_list(inside), [], None, [], "")
    note = f"Too many events in view to draw one by one (more than {MAX_POINTS:,}); zoom in to see them."
    resolution = resolution_for(view.zoom)
    totals = cell_totals(viewer, wanted, view.box, resolution)
    classes = count_classes(max((events for events, _ in totals.values()), default=0))
    cells = [Cell(cell, events, dead, level_of(events, classes)) for cell, (events, dead) in sorted(totals.items())]
    return MapLayer("hexagons", in_view, [], cells, resolution, classes, note if view.show == "points" else "")


def cell_totals(
    viewer: Viewer, wanted: services.EventFilter, box: Box | None, resolution: int
) -> dict[int, tuple[int, int]]:
    """Events and fatalities per hexagon that touches the box, each hexagon counted whole.

    Events are read from the box grown by two hexagon widths, and only hexagons whose centre lies
    within one width of the box are kept: every event of a kept hexagon is then in what was read,
    so a count does not change as the map pans.
    """
    grown = kept = None
    if box is not None:
        width = 2 * h3.average_hexagon_edge_length(resolution, unit="km")
        grown, kept = _grow(box, 2 * width), _grow(box, width)
    found = services.events(viewer, replace(wanted, bbox=grown)).order_by()
    full = found.filter(Q(masked=False))
    totals: dict[int, tuple[int, int]] = {}
    stored = full.filter(h3_cell__isnull=False).values("h3_cell").annotate(n=Count("pk"), dead=Sum("fatalities"))
    for row in stored:
        _add(totals, _parent(row["h3_cell"], resolution), row["n"], row["dead"] or 0)
    for lat, lon, dead in full.filter(h3_cell__isnull=True).values_list("latitude", "longitude", "fatalities"):
        _add(totals, h3.latlng_to_cell(lat, lon, resolution), 1, dead)
    # A masked event counts in the hexagon of the point its reader is shown, never its true one.
    shown = found.filter(Q(masked=True)).values_list("masked_latitude", "masked_longitude", "fatalities")
    for shown_lat, shown_lon, dead in shown:
        if shown_lat is not None and shown_lon is not None:
            _add(totals, h3.latlng_to_cell(shown_lat, shown_lon, resolution), 1, dead)
    if kept is None:
        return totals
    return {cell: total for cell, total in totals.items() if _centre_within(cell, kept)}


def _parent(cell: int, resolution: int) -> int:
    return int(h3.cell_to_parent(cell, resolution)) if h3.get_resolution(cell) > resolution else cell


def _add(totals: dict[int, tuple[int, int]], cell: int, events: int, dead: int) -> None:
    before = totals.get(cell, (0, 0))
    totals[cell] = (before[0] + events, before[1] + dead)


def _grow(box: Box, km: float) -> Box:
    west, south, east, north = box
    lat = km / KM_PER_DEGREE
    widest = min(89.0, max(abs(south), abs(north)) + lat)
    lon = km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    return _clip((west - lon, south - lat, east + lon, north + lat))


def _centre_within(cell: int, box: Box) -> bool:
    lat, lon = h3.cell_to_latlng(cell)
    return bool(box[0] <= lon <= box[2] and box[1] <= lat <= box[3])


def geojson(layer: MapLayer) -> dict[str, Any]:
    """The layer as a GeoJSON FeatureCollection, with how it was drawn as foreign members."""
    features = [_point(event) for event in layer.points] + [_hexagon(cell) for cell in layer.cells]
    return {
        "type": "FeatureCollection",
        "mode": layer.mode,
        "in_view": layer.in_view,
        "resolution": layer.resolution,
        "classes": [{"level": c.level, "low": c.low, "high": c.high} for c in layer.classes],
        "note": layer.note,
        "features": features,
    }


def _point(event: Event) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
        "properties": {
            "kind": "event",
            "id": event.pk,
            "url": reverse("web:event-detail", args=[event.pk]),
            "date": f"{event.event_date:%Y-%m-%d}",
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "actor1": event.actor1.name,
            "actor2": event.actor2.name if event.actor2 else None,
            "location": event.location,
            "fatalities": fatality_range(event.fatalities_low, event.fatalities, event.fatalities_high),
            "fatalities_best": event.fatalities,
            "verification": event.verification,
            "sensitivity": f"P{event.sensitivity}",
        },
    }


def hexagon_polygon(cell: int) -> dict[str, Any]:
    """A cell's outline as a GeoJSON Polygon, computed here so the browser needs no H3 library."""
    ring = [[round(lon, 6), round(lat, 6)] for lat, lon in h3.cell_to_boundary(cell)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _hexagon(cell: Cell) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": hexagon_polygon(cell.cell),
        "properties": {
            "kind": "cell",
            "h3": h3.int_to_str(cell.cell),
            "events": cell.events,
            "fatalities": cell.fatalities,
            "level": cell.level,
        },
    }
