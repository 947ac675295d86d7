"""``/api/events``: events the caller may read, filtered and paginated; one event; statistics."""

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from ulinzi.accounts.policy import RecordType, may_break_glass
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.api.auth import caller_viewer, require_editor
from ulinzi.api.fields import NO_NUL
from ulinzi.api.pagination import BoundedPagination
from ulinzi.audit.models import Action
from ulinzi.audit.services import record, record_read
from ulinzi.incidents import services
from ulinzi.incidents.corrections import set_verification, split_report
from ulinzi.incidents.models import Event, EventReport
from ulinzi.incidents.release import release

router = Router(tags=["events"])


class EventQuery(Schema):
    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = Field(default=None, max_length=40)
    sub_event_type: str | None = Field(default=None, max_length=60)
    pcode: str | None = Field(default=None, max_length=20, description="admin P-code at any level")
    bbox: str | None = Field(default=None, max_length=100, description="west,south,east,north in degrees")
    actor: str | None = Field(default=None, max_length=200)
    min_fatalities: int | None = Field(default=None, ge=0, le=1_000_000)
    max_fatalities: int | None = Field(default=None, ge=0, le=1_000_000)
    verification: str | None = Field(default=None, max_length=12)

    def to_filter(self) -> services.EventFilter:
        return services.EventFilter(
            since=self.since,
            until=self.until,
            event_type=self.event_type,
            sub_event_type=self.sub_event_type,
            pcode=self.pcode,
            bbox=_bbox(self.bbox) if self.bbox else None,
            actor=self.actor,
            min_fatalities=self.min_fatalities,
            max_fatalities=self.max_fatalities,
            verification=self.verification,
        )


class StatsQuery(EventQuery):
    period: str = Field(
        default="month", pattern="^(day|week|month|all)$", description="all: one row per group for the whole window"
    )
    by: str | None = Field(default=None, pattern="^(adm1|adm2|adm3|h3)$")


class BreakGlass(Schema):
    reason: str = Field(
        default="",
        max_length=400,
        pattern=r"^(|[^\x00]{10,})$",
        description="why you must open an event another organisation owns (break-glass; audited)",
    )


class EventBrief(Schema):
    """An event in a line: what lists of related events (evidence, candidates) show. Every
    resolver reads the event through ``release``, so a masked event shows only what its reader may."""

    id: int
    event_date: dt.date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str | None
    location: str
    fatalities: int

    @staticmethod
    def resolve_location(event: Event) -> str:
        return str(release(event).location)

    @staticmethod
    def resolve_actor1(event: Event) -> str:
        return event.actor1.name

    @staticmethod
    def resolve_actor2(event: Event) -> str | None:
        return event.actor2.name if event.actor2 else None


class EventOut(EventBrief):
    latitude: float
    longitude: float
    geo_precision: int
    adm1_pcode: str
    adm2_pcode: str
    adm3_pcode: str
    fatalities_low: int
    fatalities_high: int
    verification: str
    sensitivity: str
    notes: str
    masked: bool = Field(description="true when your role sees this event's point displaced within its area")

    @staticmethod
    def resolve_sensitivity(event: Event) -> str:
        return f"P{event.sensitivity}"

    @staticmethod
    def resolve_latitude(event: Event) -> float:
        return float(release(event).latitude)

    @staticmethod
    def resolve_longitude(event: Event) -> float:
        return float(release(event).longitude)

    @staticmethod
    def resolve_geo_precision(event: Event) -> int:
        return int(release(event).geo_precision)

    @staticmethod
    def resolve_adm3_pcode(event: Event) -> str:
        return str(release(event).adm3_pcode)

    @staticmethod
    def resolve_notes(event: Event) -> str:
        return str(release(event).notes)

    @staticmethod
    def resolve_masked(event: Event) -> bool:
        return bool(getattr(event, "masked", False))


class StatOut(Schema):
    period: dt.date | None = Field(description="first day of the period; null when period=all")
    group: str
    events: int
    fatalities: int


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise HttpError(422, "bbox must be four numbers: west,south,east,north") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise HttpError(422, "bbox must be west,south,east,north within WGS84 limits")
    return west, south, east, north


@router.get(
    "",
    url_name="events-list",
    operation_id="events_list",
    response=list[EventOut],
    summary="Events, filtered and paginated",
)
@paginate(BoundedPagination)
def event_list(request: HttpRequest, query: Query[EventQuery]) -> QuerySet[Event]:
    """Events you may read, newest first, filtered by date range, type, sub-type, P-code (any
    level), bounding box, actor, minimum fatalities and verification state."""
    return services.events(caller_viewer(request), query.to_filter())


@router.get(
    "/stats",
    url_name="events-stats",
    operation_id="events_stats",
    response=list[StatOut],
    summary="Event counts and fatalities by period and area",
)
def event_stats(request: HttpRequest, query: Query[StatsQuery]) -> list[StatOut]:
    """Counts and fatalities of the events you may read, per day, week or month, and per admin
    unit or H3 cell when ``by`` is given; the same filters as the list."""
    rows = services.stats(caller_viewer(request), query.to_filter(), query.period, query.by)
    return [StatOut(**vars(row)) for row in rows]


class ReportOut(Schema):
    id: int
    natural_key: str
    dataset: str
    fatalities: int
    match_reason: str
    merged_at: dt.datetime


def _visible_event(request: HttpRequest, event_id: int) -> Event:
    """The event the caller reads in full; 404 alike for a hidden and a missing one."""
    found = services.visible(caller_viewer(request)).filter(pk=event_id)
    event = found.select_related("actor1", "actor2").first()
    if event is None:
        raise HttpError(404, "Not Found")
    return event


@router.get(
    "/{event_id}", url_name="events-detail", operation_id="events_detail", response=EventOut, summary="One event"
)
def event_detail(request: HttpRequest, event_id: int, break_glass: Query[BreakGlass]) -> Event:
    """One event; 404 when it does not exist or your role may not read it (the two look the same).
    A partner sees a confidential event masked (`masked`: its point displaced within its area,
    its section, place name and notes withheld). Reading a confidential event or above is
    recorded in the audit log.

    Break-glass: an event your role and clearance allow but another organisation owns (need to
    know) opens when you give `reason` (at least 10 characters); the reason is kept in the audit
    log with the read. Without a reason, or past your clearance, it stays a 404."""
    viewer = caller_viewer(request)
    found = services.released(viewer).select_related("actor1", "actor2").filter(pk=event_id).first()
    if found is not None:
        record_read(request, Event._meta.label_lower, found.pk, found.sensitivity)
        return found
    event = Event.objects.select_related("actor1", "actor2").filter(pk=event_id).first()
    reason = break_glass.reason.strip()
    if event is None or not reason:
        raise HttpError(404, "Not Found")
    if not may_break_glass(viewer, RecordType.EVENT, Sensitivity(event.sensitivity), event.owner_id):
        raise HttpError(404, "Not Found")
    record(request, Action.READ, Event._meta.label_lower, [event.pk], event.sensitivity, reason=reason,
           detail={"break_glass": True})  # fmt: skip
    return event


@router.get(
    "/{event_id}/reports",
    url_name="events-reports",
    operation_id="events_reports",
    response=list[ReportOut],
    summary="Rows of other datasets merged into an event",
)
def event_reports(request: HttpRequest, event_id: int) -> list[EventReport]:
    """The rows of other datasets (UCDP, HXL sheets, ...) found to describe this event, with the
    reason each matched; see docs/incidents.md for the rule."""
    return list(_visible_event(request, event_id).reports.all())


class VerificationIn(Schema):
    state: str = Field(pattern="^(reported|corroborated|verified|rejected)$")
    note: str = Field(default="", max_length=400, pattern=NO_NUL, description="why, for the event's history")


def _editable_event(request: HttpRequest, event_id: int) -> Event:
    event = _visible_event(request, event_id)  # 404 before 403: a hidden event is not even named
    require_editor(request, RecordType.EVENT, "only analysts, monitors and administrators correct events")
    return event


@router.post(
    "/{event_id}/verification",
    url_name="events-verification",
    operation_id="events_verification",
    response=EventOut,
    summary="Move an event through verification",
)
def event_verification(request: HttpRequest, event_id: int, body: VerificationIn) -> Event:
    """reported → corroborated → verified, or rejected; records who and when, and the note in the
    event's history. Analysts, monitors and administrators only."""
    event = _editable_event(request, event_id)
    user = request.user if isinstance(request.user, User) else None
    return set_verification(event, body.state, user, body.note)


@router.post(
    "/{event_id}/reports/{report_id}/split",
    url_name="events-split",
    operation_id="events_split",
    response={201: EventOut},
    summary="Split a wrongly merged report into its own event",
)
def event_split(request: HttpRequest, event_id: int, report_id: int) -> Status[Event]:
    """Rebuild a merged report as its own event, exactly as imported; it is never merged again.
    Analysts, monitors and administrators only."""
    event = _editable_event(request, event_id)
    report = event.reports.filter(pk=report_id).first()
    if report is None:
        raise HttpError(404, "Not Found")
    user = request.user if isinstance(request.user, User) else None
    return Status(201, split_report(report, user))
