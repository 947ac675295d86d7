"""Force registry queries: what a user may see, turned into strength figures and tables.

Every function takes the caller (a policy ``Viewer``) and reads only the records the policy lets
them read, so the figures a partner sees are computed from what a partner may read, never
filtered afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, F, OuterRef, Prefetch, QuerySet, Subquery, Value, When

from ulinzi.accounts.access import readable, readable_q
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.forces.models import MOVEMENT_SIGN, Authorisation, Contributor, Movement, MovementReport, Pledge
from ulinzi.forces.strength import (
    Change,
    DatedFigure,
    Timeline,
    build_timeline,
    ceiling_on,
    latest_by_country,
    strength_on,
)


@dataclass(frozen=True)
class CountryStrength:
    iso2: str
    name: str
    deployed: int
    pledged: int | None


@dataclass(frozen=True)
class StrengthSnapshot:
    on: date
    countries: tuple[CountryStrength, ...]
    total: int
    pledged_total: int | None
    ceiling: int | None
    movements_counted: int


def visible_reports(viewer: Viewer) -> QuerySet[MovementReport]:
    return readable(MovementReport.objects.all(), viewer, RecordType.MOVEMENT_REPORT)


def changes(viewer: Viewer) -> list[Change]:
    """One signed change per movement, from its preferred report, if the caller may read it."""
    rows = (
        visible_reports(viewer)
        .filter(preferred=True)
        .values_list("movement__contributor__iso2", "movement__date", "movement__kind", "personnel")
    )
    return [Change(country, day, MOVEMENT_SIGN[kind] * personnel) for country, day, kind, personnel in rows]


def pledge_figures(viewer: Viewer) -> list[DatedFigure]:
    rows = readable(Pledge.objects.filter(personnel__isnull=False), viewer, RecordType.PLEDGE).values_list(
        "date", "personnel", "contributor__iso2"
    )
    return [DatedFigure(day, personnel, iso2) for day, personnel, iso2 in rows if personnel is not None]


def ceiling_figures(viewer: Viewer) -> list[DatedFigure]:
    found = readable(Authorisation.objects.filter(ceiling__isnull=False), viewer, RecordType.AUTHORISATION)
    rows = found.values_list("date", "ceiling")
    return [DatedFigure(day, ceiling) for day, ceiling in rows if ceiling is not None]


def country_names() -> dict[str, str]:
    return dict(Contributor.objects.values_list("iso2", "name"))


def snapshot(viewer: Viewer, on: date) -> StrengthSnapshot:
    """Deployed strength by country on a date, with pledges and the ceiling then in force."""
    visible_changes = [change for change in changes(viewer) if change.on <= on]
    deployed = strength_on(visible_changes, on)
    pledged = latest_by_country(pledge_figures(viewer), on)
    names = country_names()
    countries = tuple(
        CountryStrength(iso2, names.get(iso2, iso2), deployed.get(iso2, 0), pledged.get(iso2))
        for iso2 in sorted(set(deployed) | set(pledged), key=lambda code: names.get(code, code))
    )
    return StrengthSnapshot(
        on=on,
        countries=countries,
        total=sum(deployed.values()),
        pledged_total=sum(pledged.values()) if pledged else None,
        ceiling=ceiling_on(ceiling_figures(viewer), on),
        movements_counted=len(visible_changes),
    )


def timeline(viewer: Viewer) -> Timeline:
    return build_timeline(changes(viewer), pledge_figures(viewer), ceiling_figures(viewer))


@dataclass(frozen=True)
class TimelineRow:
    on: date
    values: tuple[int, ...]
    total: int
    pledged: int | None
    ceiling: int | None


def timeline_rows(line: Timeline) -> list[TimelineRow]:
    """The timeline as table rows, one per date, countries in the order of ``line.series``."""
    return [
        TimelineRow(
            day, tuple(series.values[i] for series in line.series), line.totals[i], line.pledged[i], line.ceiling[i]
        )
        for i, day in enumerate(line.dates)
    ]


def movements(
    viewer: Viewer, *, country: str | None = None, since: date | None = None, until: date | None = None
) -> QuerySet[Movement]:
    """Movements with a visible report, oldest first, each carrying every visible report (preferred
    first, with sources) as ``visible_reports``, the preferred visible figure as
    ``counted_personnel`` (see ``Movement.counted``) and its contingent's name as
    ``visible_contingent`` when the caller may see it."""
    reports = visible_reports(viewer).prefetch_related("sources").order_by("-preferred", "pk")
    preferred = visible_reports(viewer).filter(movement=OuterRef("pk"), preferred=True)
    found = Movement.objects.filter(readable_q(viewer, RecordType.MOVEMENT_REPORT, prefix="reports__"))
    if country:
        found = found.filter(contributor__iso2=country.upper())
    if since:
        found = found.filter(date__gte=since)
    if until:
        found = found.filter(date__lte=until)
    return (
        found.distinct()
        .annotate(
            counted_personnel=Subquery(preferred.values("personnel")[:1]),
            # A contingent's name is itself labelled: unit identities can be confidential.
            visible_contingent=Case(
                When(readable_q(viewer, RecordType.CONTINGENT, prefix="contingent__"), then=F("contingent__name")),
                default=Value(None),
                output_field=CharField(),
            ),
        )
        .select_related("contributor")
        .prefetch_related(Prefetch("reports", queryset=reports, to_attr="visible_reports"))
        .order_by("date", "contributor__name", "pk")
    )


def pledges(viewer: Viewer) -> QuerySet[Pledge]:
    return (
        readable(Pledge.objects.all(), viewer, RecordType.PLEDGE)
        .select_related("contributor")
        .prefetch_related("sources")
        .order_by("date", "contributor__name")
    )


def authorisations(viewer: Viewer) -> QuerySet[Authorisation]:
    found = readable(Authorisation.objects.all(), viewer, RecordType.AUTHORISATION)
    return found.prefetch_related("sources").order_by("date")


def is_empty() -> bool:
    return not Movement.objects.exists()
