"""Claims for every output: recording one, the ledger a viewer may read, and a claim's event check.

The CLI, the API and the page call these; none reads ``Claim`` or the events itself, so each shows
the same claims and the same totals to the same viewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from ulinzi.accounts.access import readable
from ulinzi.accounts.models import Organisation
from ulinzi.accounts.policy import RecordType, Viewer, may_change
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import Action
from ulinzi.audit.services import Origin, record
from ulinzi.claims import ledger
from ulinzi.claims.models import Claim
from ulinzi.geo.models import AdminArea
from ulinzi.incidents import services as incidents
from ulinzi.incidents.actors import actor_key
from ulinzi.incidents.models import Actor, ActorAlias
from ulinzi.intake.extraction.records import Evidence
from ulinzi.sources.models import Source

CREATED = {"operation": "claim recorded"}


class ClaimRefused(ValueError):
    """A claim that cannot be recorded as given; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class NewClaim:
    """What a person (or the review queue) gives to record a claim."""

    metric: str
    value: float
    source: str  # its URL or citation
    start: ledger.When
    end: ledger.When
    qualifier: ledger.Qualifier | None = None
    unit: str = ""
    area: str = ""  # a P-code
    area_name: str = ""
    actor: str = ""
    speaker: str = ""
    quote: str = ""
    evidence: tuple[Evidence, ...] = ()
    document_id: int | None = None
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL
    owner: str | None = None


def create_claim(viewer: Viewer, new: NewClaim, *, by: Origin, user: User | None = None) -> Claim:
    """Check and store one claim with its audit entry, or store nothing and raise ClaimRefused."""
    allowed = may_change(viewer, RecordType.CLAIM, new.sensitivity, new.owner, new_label=new.sensitivity)
    if not allowed:
        raise ClaimRefused("sensitivity", allowed.reason)
    try:
        ledger.check(new.metric, new.value, new.qualifier)
        period = ledger.Period(new.start, new.end)
    except ledger.InvalidFigure as invalid:
        raise ClaimRefused(invalid.field, invalid.reason) from None
    area = _area(new.area)
    if new.owner is not None and not Organisation.objects.filter(code=new.owner).exists():
        raise ClaimRefused("owner", f"no organisation has the code {new.owner!r}")
    if not new.source.strip():
        raise ClaimRefused("source", "a claim needs the URL or citation of its source")
    spans = [span.as_json() for span in new.evidence]
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(reference=new.source.strip())
        claim = Claim(
            metric=new.metric,
            value=new.value,
            qualifier=new.qualifier or "",
            unit=new.unit.strip(),
            area=area,
            area_name=new.area_name.strip() or (area.name if area else ""),
            period_start=period.start.day,
            start_precision=period.start.precision,
            period_end=period.end.day,
            end_precision=period.end.precision,
            actor=_actor(new.actor),
            actor_name=new.actor.strip(),
            speaker=new.speaker.strip(),
            source=source,
            quote=new.quote.strip(),
            evidence=spans,
            document_id=new.document_id,
            span_start=min((span["start"] for span in spans), default=None),
            span_end=max((span["end"] for span in spans), default=None),
            sensitivity=int(new.sensitivity),
            owner_id=new.owner,
            created_by=user,
        )
        try:
            claim.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise ClaimRefused(field, " ".join(messages)) from None
        claim.save()
        record(by, Action.CHANGE, Claim._meta.label_lower, [claim.pk], claim.sensitivity, detail=CREATED)
    return claim


def _area(pcode: str) -> AdminArea | None:
    if not pcode.strip():
        return None
    area = AdminArea.objects.filter(pcode=pcode.strip()).first()
    if area is None:
        raise ClaimRefused("area", f"no administrative area has the P-code {pcode!r} (load boundaries first)")
    return area


def _actor(name: str) -> Actor | None:
    """The stored actor under any of its spellings; none for a name not yet known (kept as written)."""
    if not name.strip():
        return None
    alias = ActorAlias.objects.select_related("actor").filter(key=actor_key(name)).first()
    return alias.actor if alias else Actor.objects.filter(name=name.strip()).first()


def visible(viewer: Viewer) -> QuerySet[Claim]:
    """The claims the viewer may read, with what every output shows of them."""
    claims = Claim.objects.select_related("source", "area", "actor")
    return readable(claims, viewer, RecordType.CLAIM).order_by("metric", "period_start", "pk")


def claims(viewer: Viewer, metric: str | None = None, area: str | None = None) -> QuerySet[Claim]:
    """Readable claims, of one metric and in one area (or an area inside it) when asked."""
    found = visible(viewer)
    if metric:
        found = found.filter(metric=metric)
    if area:
        children = AdminArea.objects.filter(parent_pcode=area).values("pcode")
        found = found.filter(Q(area_id=area) | Q(area__parent_pcode=area) | Q(area__parent_pcode__in=children))
    return found


@dataclass(frozen=True)
class Entry:
    """A claim in the ledger, with its event check."""

    claim: Claim
    check: ledger.Comparison


@dataclass(frozen=True)
class LedgerGroup:
    """One metric, area and span of time: its claims side by side and how each pair stands."""

    group: ledger.Group
    entries: tuple[Entry, ...]


def ledger_of(viewer: Viewer, metric: str | None = None, area: str | None = None) -> list[LedgerGroup]:
    """The readable claims grouped and compared; each with its event check as the viewer would see it."""
    found = {claim.pk: claim for claim in claims(viewer, metric, area)}
    groups = ledger.ledger(claim.figure() for claim in found.values())
    return [
        LedgerGroup(group, tuple(Entry(found[f.id], event_check(viewer, found[f.id])) for f in group.figures))
        for group in groups
    ]


def shown_claims(groups: Sequence[LedgerGroup]) -> list[Claim]:
    """Every claim a ledger shows, for the audit of the read."""
    return [entry.claim for group in groups for entry in group.entries]


def event_check(viewer: Viewer, claim: Claim) -> ledger.Comparison:
    """The claim against the events the viewer may see (in full or masked) for its period and area.

    The area matches events by department, commune or section P-code, so a claim about a department
    counts the events of its communes; a masked event counts by its department and commune only, as
    in every statistic. No event hidden from the viewer adds to the total.
    """
    figure = claim.figure()
    measure = ledger.EVENT_MEASURES.get(claim.metric)
    if measure is None:
        return ledger.compare_with_events(figure, 0, 0)
    wanted = incidents.EventFilter(
        since=figure.period.first,
        until=figure.period.last,
        sub_event_type=measure.sub_event_type,
        pcode=claim.area_id or None,
    )
    totals = incidents.events(viewer, wanted).order_by().aggregate(count=Count("pk"), dead=Sum("fatalities"))
    count = int(totals["count"] or 0)
    total = int(totals["dead"] or 0) if measure.sums_fatalities else count
    return ledger.compare_with_events(figure, total, count)
