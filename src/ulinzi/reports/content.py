"""What the monthly situation report says, as plain values: ``build`` gathers it, ``render`` prints it.

Every figure comes from the functions the screens use (``dashboard.figures`` for the key figures,
the trend and the strength; ``claims.services`` for the ledger; ``incidents.services`` for
events), called with the reader's ``Viewer``, so a report holds exactly what its reader may see
on screen, in the same numbers. Each key figure carries the number of its footnote in the annex.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.roles import CLEARANCE, Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import Action
from ulinzi.audit.services import Origin, record
from ulinzi.claims import ledger
from ulinzi.claims import services as claims
from ulinzi.claims.models import Claim
from ulinzi.dashboard import charts, figures
from ulinzi.dashboard.figures import KeyFigures, Tally
from ulinzi.forces import services as forces
from ulinzi.geo.models import AdminArea
from ulinzi.incidents import services as incidents
from ulinzi.incidents.models import Event
from ulinzi.incidents.services import EventFilter
from ulinzi.reports import map_layers, maps
from ulinzi.reports.citations import Annex, Cited, Note, cite_events, merge
from ulinzi.reports.period import Month, spoken
from ulinzi.reports.sections import Access, Force, Image, Labels, Notable, access, force, notable, svg

TITLE = "Situation report"
REPORT_LEVELS = (1, 2)  # a report covers the country, a department or a commune
AUDITED_AS = "reports.situation_report"  # the audit entry's object type
RANKING_SIZE = {"width": 4.4, "height": 2.4}  # inches: two rankings side by side on A4


class UnknownArea(ValueError):
    """The area asked for is not a loaded department or commune."""


@dataclass(frozen=True)
class Audience:
    role: str  # who the report was made for, in words
    clearance: Sensitivity
    line: str  # "Contains only what a partner may see"


@dataclass(frozen=True)
class Cover:
    title: str
    month: Month
    area_name: str
    area_pcode: str  # empty for the whole country
    generated_at: datetime
    through: date  # the last day covered: the month's last, or today in the current month
    complete: bool
    audience: Audience
    highest: Sensitivity  # the highest label among what the report contains

    @property
    def label_mark(self) -> str:
        """``P1 INTERNAL``: printed on every page."""
        return f"{self.highest.code} {self.highest.title.upper()}"


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    note: int


@dataclass(frozen=True)
class Row:
    """A ranked tally of the key figures (an event type, a commune, an actor)."""

    label: str
    events: int
    fatalities: int
    note: int


@dataclass(frozen=True)
class ClaimRow:
    """A figure from the claims ledger beside what the incident store counts for its period and area."""

    statement: str
    note: int
    store: str  # the store's figure in words; empty when the store measures nothing of the kind
    store_note: int | None
    verdict: str
    differs: bool
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class KeyFigureSection:
    events: Figure
    fatalities: Figure
    by_type: tuple[Row, ...]
    communes: tuple[Row, ...]
    actors: tuple[Row, ...]
    claims: tuple[ClaimRow, ...]
    masked: int  # events counted at their commune only (masked for this reader)


@dataclass(frozen=True)
class Maps:
    events: Image | None
    control: Image | None
    where: str  # what the maps show, and why there
    masked: int  # events drawn at a displaced point

    @property
    def images(self) -> tuple[Image, ...]:
        return tuple(image for image in (self.events, self.control) if image is not None)


@dataclass(frozen=True)
class Report:
    cover: Cover
    key_figures: KeyFigureSection
    maps: Maps
    charts: tuple[Image, ...]
    force: Force
    notable: Notable
    access: Access
    annex: tuple[Note, ...]


def resolve_area(pcode: str | None) -> AdminArea | None:
    """The department or commune a report is limited to; None for the whole country."""
    if not pcode or not pcode.strip():
        return None
    found = AdminArea.objects.filter(pcode=pcode.strip(), level__in=REPORT_LEVELS).first()
    if found is None:
        raise UnknownArea(f"area: no department or commune has the P-code {pcode.strip()[:20]!r}")
    return found


def audience(viewer: Viewer) -> Audience:
    """Who the report is for; an operator's ``--clearance`` reads as the clearance it stands for."""
    clearance = viewer.clearance or Sensitivity.PUBLIC
    if viewer.role is None:
        return Audience("no role", clearance, "Contains nothing: the account has no role")
    if viewer.ceiling is not None and viewer.ceiling < CLEARANCE[viewer.role]:
        return Audience(
            f"operator at the command line, limited to {clearance.code} {clearance.title}",
            clearance,
            f"Contains only what a reader cleared to {clearance.code} ({clearance.title}) may see",
        )
    if viewer.ceiling is not None:
        return Audience("operator at the command line", clearance, "Contains only what an administrator may see")
    name = "administrator" if viewer.role is Role.ADMIN else viewer.role.value
    article = "an" if name[0] in "aeiou" else "a"
    return Audience(name, clearance, f"Contains only what {article} {name} may see")


def build(
    viewer: Viewer, month: Month, area_pcode: str | None, today: date, *, generated_at: datetime | None = None
) -> Report:
    """The report on ``month`` (and ``area_pcode``) as ``viewer`` may read it; UnknownArea for a bad area."""
    area = resolve_area(area_pcode)
    through = month.until(today)
    wanted = EventFilter(since=month.first, until=through, pcode=area.pcode if area else None)
    scope = f"{month.name}, {area.name} ({area.pcode})" if area else f"{month.name}, all areas"
    annex, labels = Annex(viewer), Labels(viewer)
    found = incidents.events(viewer, wanted)
    labels.events(found)
    key = figures.key_figures(viewer, wanted)
    section = key_figure_section(key, found, month, scope, annex)
    claim_rows = claims_beside_store(viewer, month, through, area, annex=annex, labels=labels)
    section = replace(section, claims=claim_rows)
    drawn = map_section(viewer, month, wanted, area, note=section.events.note, annex=annex, labels=labels)
    drawn_charts = chart_section(viewer, wanted, key, today, annex=annex, labels=labels, section=section)
    cover = Cover(
        title=TITLE,
        month=month,
        area_name=area.name if area else "All areas",
        area_pcode=area.pcode if area else "",
        generated_at=generated_at or timezone.now(),
        through=through,
        complete=month.is_complete(today),
        audience=audience(viewer),
        highest=Sensitivity.PUBLIC,
    )
    report = Report(
        cover=cover,
        key_figures=section,
        maps=drawn,
        charts=drawn_charts,
        force=force(viewer, month, through, annex, labels),
        notable=notable(viewer, wanted, key.events),
        access=access(viewer, through, area, annex, labels),
        annex=(),
    )
    return replace(report, cover=replace(cover, highest=labels.highest), annex=annex.notes)


def key_figure_section(
    key: KeyFigures, found: QuerySet[Event], month: Month, scope: str, annex: Annex
) -> KeyFigureSection:
    """The dashboard's key figures, each with the note citing the events it counts."""
    datasets = annex.names_datasets
    total = annex.cited(
        f"Events and fatalities, {scope}: incident store", cite_events(found, None, datasets).get("", Cited())
    )
    by_type = cite_events(found, "type", datasets)
    communes = cite_events(found, "commune", datasets)
    sides = (cite_events(found, "actor1", datasets), cite_events(found, "actor2", datasets))

    def rows(tallies: tuple[Tally, ...], subject: str, cited: dict[str, Cited] | None) -> tuple[Row, ...]:
        return tuple(
            Row(
                tally.label,
                tally.events,
                tally.fatalities,
                annex.cited(
                    subject.format(tally.label, tally.key),
                    cited.get(tally.key, Cited())
                    if cited is not None
                    else merge(*(s.get(tally.key, Cited()) for s in sides)),
                ),
            )
            for tally in tallies
        )

    masked = found.order_by().filter(Q(masked=True)).count()
    return KeyFigureSection(
        events=Figure("events", key.events, total),
        fatalities=Figure("fatalities", key.fatalities, total),
        by_type=rows(key.by_type, "Events of type {0}, " + scope, by_type),
        communes=rows(key.communes, "Events in {0} ({1}), " + month.name, communes),
        actors=rows(key.actors, "Events involving {0} (either side), " + scope, None),
        claims=(),
        masked=masked,
    )


def claims_beside_store(
    viewer: Viewer, month: Month, through: date, area: AdminArea | None, *, annex: Annex, labels: Labels
) -> tuple[ClaimRow, ...]:
    """Claims the reader may read whose period overlaps the month, about the report's area, an area
    holding it or one inside it; each beside the store's figure for the claim's own period and area."""
    chosen = [
        claim for claim in _claims_about(viewer, area) if claim.figure().period.overlaps(_as_period(month, through))
    ]
    if not chosen:
        return ()
    labels.see(max(claim.sensitivity for claim in chosen))
    conflicts = _conflicts([claim.figure() for claim in chosen])
    rows = []
    for claim in chosen:
        figure = claim.figure()
        speaker = f" ({claim.speaker})" if claim.speaker else ""
        quote = f"“{claim.quote}”" if claim.quote else ""
        note = annex.sources(f"Claim: {figure.statement}{speaker}", [claim.source], remark=quote)
        rows.append(
            _beside_store(viewer, claim, figure, note, conflicts.get(figure.id, ()), annex=annex, labels=labels)
        )
    return tuple(rows)


def _claims_about(viewer: Viewer, area: AdminArea | None) -> list[Claim]:
    found = claims.visible(viewer)
    if area is None:
        return list(found)
    holders = [area.pcode]
    parent = area.parent_pcode
    while parent and parent not in holders:
        holders.append(parent)
        parent = AdminArea.objects.filter(pcode=parent).values_list("parent_pcode", flat=True).first() or ""
    inside = AdminArea.objects.filter(parent_pcode=area.pcode).values("pcode")
    return list(
        found.filter(
            Q(area__isnull=True)
            | Q(area_id__in=holders)
            | Q(area__parent_pcode=area.pcode)
            | Q(area__parent_pcode__in=inside)
        )
    )


def _as_period(month: Month, through: date) -> ledger.Period:
    return ledger.Period(ledger.When(month.first, "day"), ledger.When(through, "day"))


def _conflicts(figures_: list[ledger.Figure]) -> dict[int, tuple[str, ...]]:
    """For each claim, the statements of the others it cannot be true with (the ledger's rule)."""
    found: dict[int, list[str]] = {}
    for group in ledger.ledger(figures_):
        for pair in group.conflicts:
            found.setdefault(pair.first.id, []).append(pair.second.statement)
            found.setdefault(pair.second.id, []).append(pair.first.statement)
    return {key: tuple(value) for key, value in found.items()}


def _beside_store(
    viewer: Viewer,
    claim: Claim,
    figure: ledger.Figure,
    note: int,
    conflicts: tuple[str, ...],
    *,
    annex: Annex,
    labels: Labels,
) -> ClaimRow:
    check = claims.event_check(viewer, claim)
    measure = ledger.EVENT_MEASURES.get(claim.metric)
    if not check.measured or measure is None:
        return ClaimRow(figure.statement, note, "", None, "not measured by the incident store", False, conflicts)
    wanted = EventFilter(
        since=figure.period.first,
        until=figure.period.last,
        sub_event_type=measure.sub_event_type,
        pcode=claim.area_id or None,
    )
    counted = incidents.events(viewer, wanted)
    labels.events(counted)
    where = f" in {figure.area_name}" if figure.area_name else ""
    store_note = annex.events(f"Incident store, {figure.period}{where}: {measure_words(measure)}", counted)
    if measure.sums_fatalities:
        store = f"{ledger.number(check.event_total)} fatalities over {ledger.number(check.event_count)} events"
    else:
        store = f"{ledger.number(check.event_count)} events of type {measure.sub_event_type}"
    agrees = figure.range.meets(ledger.Range(check.event_total, check.event_total))
    share = f"; the store holds {check.share}% of the claim" if check.share is not None else ""
    verdict = "agree" if agrees else f"differ{share}"
    return ClaimRow(figure.statement, note, store, store_note, verdict, not agrees, conflicts)


def measure_words(measure: ledger.EventMeasure) -> str:
    return "fatalities summed" if measure.sums_fatalities else f"events of type {measure.sub_event_type} counted"


def map_section(
    viewer: Viewer,
    month: Month,
    wanted: EventFilter,
    area: AdminArea | None,
    *,
    note: int,
    annex: Annex,
    labels: Labels,
) -> Maps:
    """The month's events and the control areas in force on its last day covered, in one frame."""
    through = wanted.until or month.last
    where = map_layers.frame(viewer, wanted, area)
    if where is None:
        return Maps(None, None, "No boundaries are loaded, so no map is drawn.", 0)
    month_name = month.name
    events = map_layers.events_layer(viewer, wanted, where, f"Events, {month_name}")
    shown = "each event" if events.map.points else "events counted per hexagon"
    caption = f"{events.in_view:,} events in this extent; {shown}."
    if events.masked:
        caption += (
            f" {events.masked:,} of them are drawn at a displaced point inside their area, as your role sees them."
        )
    control, areas = map_layers.control_map(viewer, through, where, f"Territorial control on {spoken(through)}")
    labels.records(areas)
    sources = [source for found in areas for source in found.sources.all()]
    control_note = annex.sources(f"Control areas in force on {spoken(through)}", sources) if control.shapes else None
    return Maps(
        events=Image(
            events.map.title,
            maps.draw_events(events.map),
            "image/png",
            f"Map of the events of {month_name} over commune boundaries, coloured by event type",
            caption,
            note,
        ),
        control=Image(
            control.title,
            maps.draw_control(control),
            "image/png",
            f"Map of the control areas in force on {spoken(through)}, coloured per actor",
            f"{len(control.shapes)} control areas in force that you may see.",
            control_note,
        ),
        where=f"Both maps show {where.reason}.",
        masked=events.masked,
    )


def chart_section(
    viewer: Viewer,
    wanted: EventFilter,
    key: KeyFigures,
    today: date,
    *,
    annex: Annex,
    labels: Labels,
    section: KeyFigureSection,
) -> tuple[Image, ...]:
    """The weekly trend up to the month's end, events by type, and events in the top communes."""
    trend = figures.trend(viewer, wanted, today)
    first = trend.weeks[0].start if trend.weeks else wanted.since or today
    spanned = incidents.events(viewer, replace(wanted, since=first))
    labels.events(spanned)
    trend_note = annex.events(f"Events per week, {spoken(first)} to {spoken(wanted.until or today)}", spanned)
    by_events = tuple(sorted(key.by_type, key=lambda tally: (-tally.events, tally.label)))
    return (
        svg(
            "Weekly trend",
            charts.trend_svg(trend, forces.country_names()),
            "Events and fatalities per week, the month darker, with the dates personnel arrived marked",
            "Bars: events per week (the report's month darker); line: fatalities; dashed: personnel arriving.",
            trend_note,
        ),
        svg(
            "Events by type",
            charts.ranking_svg(by_events, measure="events", title="Events by event type", **RANKING_SIZE),
            "Events of the month per ACLED event type",
            note=section.events.note,
        ),
        svg(
            "Events by commune",
            charts.ranking_svg(
                key.communes, measure="events", title="Events in the communes with the most", **RANKING_SIZE
            ),
            "Events of the month in the communes with the most events",
            note=section.events.note,
        ),
    )


def record_produced(origin: Origin, report: Report, chosen: str, destination: str) -> None:
    """One export entry per report produced: its month and area, for whom, and the highest label inside."""
    cover = report.cover
    detail = {
        "period": cover.month.code,
        "area": cover.area_pcode or "all",
        "format": chosen,
        "for": cover.audience.role,
        "clearance": cover.audience.clearance.code,
        "to": destination,
        "events": report.key_figures.events.value,
    }
    record(origin, Action.EXPORT, AUDITED_AS, [], cover.highest, detail=detail)
