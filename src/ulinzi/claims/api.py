"""``/api/claims``: the claims the caller may read, one claim with its event check, and the ledger."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from ulinzi.api.auth import caller_viewer
from ulinzi.api.pagination import BoundedPagination
from ulinzi.audit.services import record_list_read, record_read
from ulinzi.claims import ledger, services
from ulinzi.claims.models import Claim

router = Router(tags=["claims"])

METRIC_PATTERN = "^(" + "|".join(ledger.METRICS) + ")$"


class ClaimQuery(Schema):
    metric: str | None = Field(
        default=None, pattern=METRIC_PATTERN, description="one metric: " + ", ".join(ledger.METRICS)
    )
    area: str | None = Field(
        default=None, max_length=20, pattern=r"^[A-Za-z0-9_-]+$", description="a P-code: claims there or inside it"
    )


class ClaimFields(Schema):
    """A claim's fields as the API shows them; ``ClaimOut`` fills them from a stored claim."""

    id: int
    metric: str
    value: float
    qualifier: str | None = Field(description="gt, gte, lt, lte, approx, increment; null for a plain figure")
    unit: str
    statement: str = Field(description='the claim in words: "over 5,000 killed in Ouest from 2024-02 to 2025-01-26"')
    area: str | None = Field(description="the P-code of the area, when it is one we hold")
    area_name: str
    period_start: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source")
    period_end: str
    period_first_day: dt.date
    period_last_day: dt.date
    actor: str | None = Field(description="the stored actor the source's name matched")
    actor_name: str
    speaker: str
    source: str = Field(description="URL or citation")
    quote: str
    evidence: list[dict[str, object]]
    document_id: int | None
    sensitivity: str
    created_at: dt.datetime


class ClaimOut(ClaimFields):
    @staticmethod
    def resolve_qualifier(claim: Claim) -> str | None:
        return claim.qualifier or None

    @staticmethod
    def resolve_statement(claim: Claim) -> str:
        return claim.figure().statement

    @staticmethod
    def resolve_area(claim: Claim) -> str | None:
        return claim.area_id or None

    @staticmethod
    def resolve_period_start(claim: Claim) -> str:
        return str(claim.start)

    @staticmethod
    def resolve_period_end(claim: Claim) -> str:
        return str(claim.end)

    @staticmethod
    def resolve_period_first_day(claim: Claim) -> dt.date:
        return claim.start.first

    @staticmethod
    def resolve_period_last_day(claim: Claim) -> dt.date:
        return claim.end.last

    @staticmethod
    def resolve_actor(claim: Claim) -> str | None:
        return claim.actor.name if claim.actor else None

    @staticmethod
    def resolve_source(claim: Claim) -> str:
        return claim.source.reference

    @staticmethod
    def resolve_sensitivity(claim: Claim) -> str:
        return f"P{claim.sensitivity}"


class EventCheckOut(Schema):
    measured: bool = Field(description="false when the incident store holds nothing that measures the metric")
    event_total: int = Field(description="fatalities summed, or events of the matching sub-event type counted")
    event_count: int
    share: int | None = Field(description="the events' figure as a percentage of the claim's")
    sentence: str
    caveat: str


class ClaimDetailOut(ClaimFields):
    event_check: EventCheckOut


class PairOut(Schema):
    first: int = Field(description="a claim id")
    second: int
    relation: str = Field(description="conflict, agree, consistent or not compared")
    reason: str


class LedgerGroupOut(Schema):
    metric: str
    area: str | None
    area_name: str
    first_day: dt.date
    last_day: dt.date
    conflicts: int
    claims: list[ClaimDetailOut]
    pairs: list[PairOut]


def _detail(entry: services.Entry) -> ClaimDetailOut:
    shown = ClaimOut.model_validate(entry.claim).model_dump()
    return ClaimDetailOut(**shown, event_check=EventCheckOut(**vars(entry.check)))


@router.get("", url_name="claims-list", operation_id="claims_list", response=list[ClaimOut], summary="Claims")
@paginate(BoundedPagination)
def claim_list(request: HttpRequest, query: Query[ClaimQuery]) -> QuerySet[Claim]:
    """Claims you may read, by metric and start date, of one metric and in one area (or an area
    inside it) when asked."""
    return services.claims(caller_viewer(request), query.metric, query.area)


@router.get(
    "/ledger",
    url_name="claims-ledger",
    operation_id="claims_ledger",
    response=list[LedgerGroupOut],
    summary="Claims grouped by metric, area and period, conflicts side by side",
)
def claim_ledger(request: HttpRequest, query: Query[ClaimQuery]) -> list[LedgerGroupOut]:
    """The claims you may read, grouped by metric, area and overlapping period, with each pair's
    relation: `conflict` (both cannot be true), `agree`, `consistent` (a part within its whole) or
    `not compared` (an increment against a total, different units, periods overlapping in part),
    and each claim's check against the events you may read. See docs/claims.md."""
    groups = services.ledger_of(caller_viewer(request), query.metric, query.area)
    record_list_read(request, services.shown_claims(groups), request.path)
    return [
        LedgerGroupOut(
            metric=entry.group.metric,
            area=entry.group.area or None,
            area_name=entry.group.area_name,
            first_day=entry.group.first,
            last_day=entry.group.last,
            conflicts=len(entry.group.conflicts),
            claims=[_detail(one) for one in entry.entries],
            pairs=[
                PairOut(first=pair.first.id, second=pair.second.id, relation=pair.relation.value, reason=pair.reason)
                for pair in entry.group.pairs
            ],
        )
        for entry in groups
    ]


@router.get(
    "/{claim_id}",
    url_name="claims-detail",
    operation_id="claims_detail",
    response=ClaimDetailOut,
    summary="One claim, with its event check",
)
def claim_detail(request: HttpRequest, claim_id: int) -> ClaimDetailOut:
    """One claim and how it stands against the events you may read for its period and area; 404
    alike for a missing claim and one you may not read. Reading a confidential claim or above is
    recorded in the audit log."""
    viewer = caller_viewer(request)
    claim = services.visible(viewer).filter(pk=claim_id).first()
    if claim is None:
        raise HttpError(404, "Not Found")
    record_read(request, Claim._meta.label_lower, claim.pk, claim.sensitivity)
    return _detail(services.Entry(claim, services.event_check(viewer, claim)))
