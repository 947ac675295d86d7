"""What an accepted candidate becomes: an event, a movement report, a pledge or a claim.

Each maker writes its record the way the rest of the code base does (events through the
importers' ``EventWriter``, claims through ``claims.services.create_claim``), labelled and owned
as the document is, citing the document's source. A value the record cannot do without raises
``EditRefused`` naming the field, so the reviewer knows what to fill in.

Deployments, decided from ``forces.models``: an arrival or a departure is a ``MovementReport``
of a ``Movement`` (a new one, or the stored movement of the same contingent, kind and day, which
then holds this report beside the others); a pledge is a ``Pledge``; a patrol start changes no
strength and is not accepted. The force registry has no service that creates contributors or
contingents (only the strength importer does, from an operator's file), so review never
creates them: the country must already be a contributor, and a movement needs one of its
contingents, chosen in the edits (``contingent``: its id) unless it has exactly one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model, Q

from ulinzi.accounts.access import readable
from ulinzi.accounts.policy import RecordType, Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import services as audit
from ulinzi.audit.models import Action
from ulinzi.claims import ledger
from ulinzi.claims.services import ClaimRefused, NewClaim, create_claim
from ulinzi.forces.importers.strength.records import parse_country
from ulinzi.forces.models import Confidence, Contingent, Contributor, Movement, MovementReport, Pledge
from ulinzi.geo import services as geo
from ulinzi.geo.models import AdminArea
from ulinzi.incidents import taxonomy
from ulinzi.incidents.actors import actor_key
from ulinzi.incidents.dedup import Report
from ulinzi.incidents.importers.records import EventRecord
from ulinzi.incidents.importers.writer import EventsOutcome, EventWriter
from ulinzi.incidents.models import Actor, ActorAlias, ActorKind, CoalitionMembership, Event
from ulinzi.intake.extraction.records import Evidence
from ulinzi.intake.models import Candidate, Document
from ulinzi.intake.review_fields import CONTINGENT, EditRefused, first_day, get
from ulinzi.sources.models import ImportBatch, Source

UNIDENTIFIED = "Unidentified Armed Group (Haiti)"
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# ACLED's time precision: 1 the day is known, 3 only the month.
TIME_PRECISION = {"day": 1, "month": 3}
FORCES_PRECISION = {"day": "day", "month": "month", "year": "year"}
# The extractor writes "people" for people; a claim leaves the unit empty for them.
PEOPLE_UNITS = frozenset({"people", "persons", "personnel"})
MAX_QUOTE = 1000


def target_type(kind: str, record: Mapping[str, Any]) -> RecordType:
    """The record type the candidate becomes, for the permission check before anything is made."""
    if kind == "event":
        return RecordType.EVENT
    if kind == "claim":
        return RecordType.CLAIM
    movement = record.get("movement")
    if movement == "pledge":
        return RecordType.PLEDGE
    if movement in ("arrival", "departure"):
        return RecordType.MOVEMENT_REPORT
    raise EditRefused(
        "movement", f"a {movement or 'missing'} movement changes no strength: set arrival, departure or pledge"
    )


def make(
    viewer: Viewer,
    user: User | None,
    candidate: Candidate,
    document: Document,
    *,
    record: Mapping[str, Any],
    edited: Sequence[str],
    edits: Mapping[str, Any],
) -> Model:
    if candidate.kind == "event":
        return make_event(user, candidate, document, record, edited)
    if candidate.kind == "claim":
        return make_claim(viewer, user, document, record)
    return make_deployment(viewer, user, candidate, document, record=record, chosen=edits.get(CONTINGENT))


def natural_key(document: Document, candidate: Candidate) -> str:
    """Stable for the candidate, so writing it twice finds the first record instead of a second."""
    return f"intake:{document.content_sha256[:20]}:{candidate.pk}"


def document_source(document: Document) -> Source:
    """The document's public source, or one that names only the document: sources are public, so a
    labelled document's title, publisher or URL never become one (``intake.services``)."""
    if document.source_id is not None:
        return Source.objects.get(pk=document.source_id)
    source, _ = Source.objects.get_or_create(reference=f"Ulinzi intake document {document.pk}")
    return source


def event_when(record: Mapping[str, Any]) -> tuple[date, int]:
    precision = TIME_PRECISION.get(str(record.get("date_precision")))
    if not record.get("date") or precision is None:
        raise EditRefused("date", "an event needs its day or month: give a date (YYYY-MM-DD or YYYY-MM)")
    return first_day(str(record["date"])), precision


def event_point(record: Mapping[str, Any], edited: Sequence[str] = ()) -> tuple[float, float, int]:
    """Latitude, longitude and geo precision: the record's point, or its P-code's when only that is
    known or the reviewer changed the P-code without moving the point."""
    lat, lon, pcode = get(record, "location.lat"), get(record, "location.lon"), get(record, "location.pcode")
    moved = "location.pcode" in edited and not {"location.lat", "location.lon"} & set(edited)
    if lat is not None and lon is not None and not (moved and pcode):
        precision = get(record, "location.geo_precision")
        return float(lat), float(lon), int(precision) if precision in (1, 2, 3) else 2
    if pcode:
        point = geo.area_point(str(pcode))
        if point is None:
            raise EditRefused("location.pcode", f"no administrative area {pcode!r} is loaded")
        return point[0], point[1], 3
    raise EditRefused("location.pcode", "an event needs a place: give a P-code, or a latitude and longitude")


def event_types(record: Mapping[str, Any]) -> tuple[str, str]:
    try:
        kind = taxonomy.event_type(str(record.get("event_type") or ""))
    except ValueError as error:
        raise EditRefused("event_type", str(error)) from None
    try:
        return kind, taxonomy.sub_event_type(kind, str(record.get("sub_event_type") or ""))
    except ValueError as error:
        raise EditRefused("sub_event_type", str(error)) from None


def event_report(record: Mapping[str, Any]) -> Report:
    """The candidate as the deduplication rule reads an event."""
    day, time_precision = event_when(record)
    lat, lon, geo_precision = event_point(record)
    day_actors = ActorNames(actor_ids(record.get("actors") or []))
    return Report(
        key="candidate",
        datasets=frozenset({"candidate"}),
        event_date=day,
        time_precision=time_precision,
        latitude=lat,
        longitude=lon,
        geo_precision=geo_precision,
        event_type=str(record.get("event_type") or ""),
        actors=day_actors.named(day_actors.pks, day),
    )


def make_event(
    user: User | None, candidate: Candidate, document: Document, record: Mapping[str, Any], edited: Sequence[str]
) -> Event:
    day, time_precision = event_when(record)
    lat, lon, geo_precision = event_point(record, edited)
    kind, sub_kind = event_types(record)
    low, best, high = _fatalities(record)
    actors = [str(name) for name in record.get("actors") or []]
    names = {area.level: area.name for area in geo.locate(lon, lat).areas}
    key = natural_key(document, candidate)
    source = document_source(document)
    row = EventRecord(
        line=0, natural_key=key, event_date=day, time_precision=time_precision,
        disorder_type=DISORDER.get(kind, ""), event_type=kind, sub_event_type=sub_kind,
        actor1=actors[0] if actors else UNIDENTIFIED, assoc_actor_1="", inter1="",
        actor2=actors[1] if len(actors) > 1 else "", assoc_actor_2="", inter2="", interaction="",
        civilian_targeting=kind == "Violence against civilians", country="",
        admin1=names.get(1, ""), admin2=names.get(2, ""), admin3=names.get(3, ""),
        location=str(get(record, "location.name") or "")[:200], latitude=lat, longitude=lon,
        geo_precision=geo_precision, source=source.reference, source_scale="",
        notes="; ".join(str(note) for note in record.get("notes") or []), tags="intake",
        fatalities=best, fatalities_low=low, fatalities_high=high, sensitivity=Sensitivity(document.sensitivity),
    )  # fmt: skip
    batch = ImportBatch.objects.create(
        kind="review", file_name=f"intake candidate {candidate.pk}", sha256=document.content_sha256, user=user
    )
    EventWriter(batch, deduplicate=False).write([row], EventsOutcome(file=batch.file_name))
    event = Event.objects.get(natural_key=key)
    # The writer serves imports, which belong to the whole mission; this event is the document's.
    Event.objects.filter(pk=event.pk).update(owner_id=document.owner_id)
    event.owner_id = document.owner_id
    _audit_made(user, event, candidate)
    return event


def _fatalities(record: Mapping[str, Any]) -> tuple[int, int, int]:
    best = get(record, "fatalities.best")
    low = get(record, "fatalities.low")
    high = get(record, "fatalities.high")
    best = int(best) if best is not None else int(low or 0)
    low = int(low) if low is not None else best
    high = int(high) if high is not None else best
    if not low <= best <= high:
        raise EditRefused("fatalities.best", f"low {low}, best {best} and high {high} must rise in that order")
    return low, best, high


def make_deployment(
    viewer: Viewer,
    user: User | None,
    candidate: Candidate,
    document: Document,
    *,
    record: Mapping[str, Any],
    chosen: object,
) -> Model:
    contributor = _contributor(record.get("country"))
    text, precision = record.get("date"), FORCES_PRECISION.get(str(record.get("date_precision")))
    if not text or precision is None:
        raise EditRefused("date", "a deployment needs its date (YYYY-MM-DD, YYYY-MM or YYYY)")
    day = first_day(str(text))
    key = natural_key(document, candidate)
    label, owner = int(document.sensitivity), document.owner_id
    personnel = record.get("personnel")
    described = f"from intake document {document.pk}, candidate {candidate.pk}"
    made: Pledge | MovementReport
    if record.get("movement") == "pledge":
        made = Pledge.objects.create(
            contributor=contributor, date=day, date_precision=precision, personnel=personnel,
            description=described, sensitivity=label, owner_id=owner, natural_key=key,
        )  # fmt: skip
    else:
        if personnel is None:
            raise EditRefused("personnel", "an arrival or a departure needs its number of personnel")
        contingent = _contingent(viewer, contributor, chosen)
        movement = Movement.objects.filter(
            contributor=contributor, contingent=contingent, kind=record["movement"], date=day
        ).first() or Movement.objects.create(
            contributor=contributor, contingent=contingent, kind=record["movement"], date=day,
            date_precision=precision, description=described, natural_key=key,
        )  # fmt: skip
        made = MovementReport.objects.create(
            movement=movement, personnel=int(personnel), reported_on=day, confidence=Confidence.MEDIUM,
            preferred=not movement.reports.filter(preferred=True).exists(), note=described,
            sensitivity=label, owner_id=owner, natural_key=key,
        )  # fmt: skip
    made.sources.add(document_source(document))
    _audit_made(user, made, candidate)
    return made


def _contributor(country: object) -> Contributor:
    if not country:
        raise EditRefused("country", "a deployment needs its contributing country")
    try:
        iso2 = parse_country(str(country)).iso2
    except ValueError:
        iso2 = ""
    found = Contributor.objects.filter(Q(iso2=iso2) | Q(name__iexact=str(country).strip())).first()
    if found is None:
        raise EditRefused(
            "country", f"{country} is not a contributor in the force registry: import it first (ulinzi import strength)"
        )
    return found


def _contingent(viewer: Viewer, contributor: Contributor, chosen: object) -> Contingent:
    """The contingent the movement belongs to: the one chosen, or the contributor's only one."""
    mine = readable(Contingent.objects.filter(contributor=contributor), viewer, RecordType.CONTINGENT)
    if chosen not in (None, ""):
        try:
            found = mine.filter(pk=int(str(chosen))).first()
        except ValueError:
            found = None
        if found is None:
            raise EditRefused(CONTINGENT, f"no contingent of {contributor} that you may read has id {chosen!r}")
        return found
    options = list(mine[:2])
    if len(options) == 1:
        return options[0]
    if not options:
        raise EditRefused(CONTINGENT, f"{contributor} has no contingent in the force registry: import one first")
    raise EditRefused(CONTINGENT, f"{contributor} has several contingents: choose one (its id)")


def make_claim(viewer: Viewer, user: User | None, document: Document, record: Mapping[str, Any]) -> Model:
    start = get(record, "period.start") or record.get("date")
    end = get(record, "period.end") or record.get("date") or start
    if not start:
        raise EditRefused("date", "a claim needs its date or its period (YYYY, YYYY-MM or YYYY-MM-DD)")
    if record.get("metric") is None:
        raise EditRefused("metric", "a claim needs its metric")
    if record.get("value") is None:
        raise EditRefused("value", "a claim needs its figure")
    pcode = str(get(record, "location.pcode") or "")
    spans = tuple(Evidence(int(s["start"]), int(s["end"]), str(s["text"])) for s in record.get("evidence") or [])
    quote = document.text[min(s.start for s in spans) : max(s.end for s in spans)] if spans else ""
    actors = [str(name) for name in record.get("actors") or []]
    unit = str(record.get("unit") or "")
    try:
        new = NewClaim(
            metric=str(record["metric"]), value=float(record["value"]), source=document_source(document).reference,
            start=ledger.When.parse(str(start), "period.start"), end=ledger.When.parse(str(end), "period.end"),
            qualifier=ledger.qualifier_of(record.get("qualifier")), unit="" if unit in PEOPLE_UNITS else unit,
            area=pcode if pcode and AdminArea.objects.filter(pcode=pcode).exists() else "",
            area_name=str(record.get("area") or get(record, "location.name") or ""),
            actor=actors[0] if actors else "", speaker=str(record.get("speaker") or ""),
            quote=quote if len(quote) <= MAX_QUOTE else "", evidence=spans, document_id=document.pk,
            sensitivity=Sensitivity(document.sensitivity), owner=document.owner_id,
        )  # fmt: skip
        return create_claim(viewer, new, by=user, user=user)
    except (ClaimRefused, ledger.InvalidFigure) as refused:
        raise EditRefused(refused.field, refused.reason) from None


def _audit_made(user: User | None, made: Model, candidate: Candidate) -> None:
    detail = {"operation": "created from intake candidate", "candidate": candidate.pk}
    label = int(getattr(made, "sensitivity", candidate.sensitivity))
    audit.record(user, Action.CHANGE, made._meta.label_lower, [made.pk], label, detail=detail)


def actor_ids(names: Iterable[object]) -> list[int]:
    """Stored actors named in the record, under any alias; names no actor has are left out."""
    keys = {actor_key(str(name)): str(name) for name in names if str(name).strip()}
    found = dict(ActorAlias.objects.filter(key__in=list(keys)).values_list("key", "actor_id"))
    by_name = dict(Actor.objects.filter(name__in=list(keys.values())).values_list("name", "pk"))
    return [found.get(key) or by_name[name] for key, name in keys.items() if key in found or name in by_name]


class ActorNames:
    """The deduplication rule's view of actors: anonymous ones dropped, each named actor counted
    also as every coalition it belonged to on the day (as the importers' matcher does)."""

    def __init__(self, pks: Iterable[int]) -> None:
        self.pks = sorted(set(pks))
        rows = Actor.objects.filter(pk__in=self.pks).values_list("pk", "name", "kind")
        self.anonymous = {
            pk
            for pk, name, kind in rows
            if kind == ActorKind.CIVILIANS or actor_key(name).startswith(("unidentified", "unknown"))
        }
        self.memberships = list(
            CoalitionMembership.objects.filter(member_id__in=self.pks).values_list(
                "member_id", "coalition_id", "valid_from", "valid_to"
            )
        )

    def named(self, pks: Iterable[int], day: date) -> frozenset[int]:
        named = {pk for pk in pks if pk not in self.anonymous}
        named |= {
            coalition
            for member, coalition, since, until in self.memberships
            if member in named and (since is None or since <= day) and (until is None or day <= until)
        }
        return frozenset(named)
