"""The review service: each kind accepted from the real extractor's candidates, edits, merges,
rejections, and every refusal leaving nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.factories import make_contributor
from tests.intake.conftest import ARTICLE, SECOND_ACCOUNT, Ingest, candidate
from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import AuditEntry
from ulinzi.claims.models import Claim
from ulinzi.forces.models import Contingent, Movement, MovementReport, Pledge
from ulinzi.incidents.models import Actor, Event, EventChange
from ulinzi.intake import review
from ulinzi.intake.models import Candidate, CandidateStatus
from ulinzi.intake.review_fields import EditRefused, apply_edits, segments

pytestmark = pytest.mark.django_db

THREE_KILLED = {"fatalities": {"low": 3, "best": 3, "high": 3}}


def analyst(user: User) -> Viewer:
    return viewer_of(user)


def test_accepting_an_event_writes_it_as_its_document_labels_owns_and_cites_it(alice, areas, take_in: Ingest):
    document = take_in(url="https://example.org/alpha-attack")
    attack = candidate(document, "event", **THREE_KILLED)
    done = review.accept(attack.pk, analyst(alice), alice)
    assert done.record is not None
    event = Event.objects.get(pk=done.record.pk)
    assert event.natural_key == f"intake:{document.content_sha256[:20]}:{attack.pk}"
    assert (event.event_date, event.time_precision, event.event_type) == (date(2025, 1, 19), 1, "Battles")
    assert (event.adm2_pcode, event.admin2, event.fatalities, event.sensitivity) == ("XX0101", "Alpha", 3, 0)
    assert list(event.sources.values_list("reference", flat=True)) == ["https://example.org/alpha-attack"]
    attack.refresh_from_db()
    assert (attack.status, attack.reviewer, attack.outcome) == (CandidateStatus.ACCEPTED, alice, event)
    assert attack.reviewed_at is not None
    assert review.candidates_for(event, analyst(alice)) == [attack]
    logged = set(AuditEntry.objects.values_list("object_type", "object_ids"))
    assert {("intake.candidate", str(attack.pk)), ("incidents.event", str(event.pk))} <= logged


def test_an_event_from_a_labelled_document_keeps_its_label_and_owner_and_cites_no_title(admin, areas, take_in: Ingest):
    document = take_in(label=Sensitivity.STRICTLY_CONFIDENTIAL)
    event = review.accept(candidate(document, "event", **THREE_KILLED).pk, viewer_of(admin), admin).record
    assert isinstance(event, Event)
    assert event.sensitivity == Sensitivity.STRICTLY_CONFIDENTIAL
    assert [s.reference for s in event.sources.all()] == [f"Ulinzi intake document {document.pk}"]


def test_accepting_an_arrival_reports_it_on_the_contributors_contingent(alice, areas, take_in: Ingest):
    contingent = Contingent.objects.create(contributor=make_contributor("KE"), name="Kenya police", sensitivity=0)
    document = take_in()
    arrival = candidate(document, "deployment", movement="arrival")
    report = review.accept(arrival.pk, analyst(alice), alice).record
    assert isinstance(report, MovementReport)
    movement = report.movement
    assert (movement.kind, movement.date, movement.contingent) == ("arrival", date(2025, 1, 20), contingent)
    assert (report.personnel, report.preferred, report.sensitivity) == (200, True, 0)
    assert report.sources.count() == 1


def test_an_arrival_needs_a_contingent_from_the_registry_and_says_which_field(alice, areas, take_in: Ingest):
    document = take_in()
    arrival = candidate(document, "deployment", movement="arrival")
    with pytest.raises(EditRefused) as unknown_country:
        review.accept(arrival.pk, analyst(alice), alice)
    assert unknown_country.value.field == "country"
    kenya = make_contributor("KE")
    with pytest.raises(EditRefused) as no_contingent:
        review.accept(arrival.pk, analyst(alice), alice)
    assert no_contingent.value.field == "contingent"
    first = Contingent.objects.create(contributor=kenya, name="first", sensitivity=0)
    Contingent.objects.create(contributor=kenya, name="second", sensitivity=0)
    with pytest.raises(EditRefused) as several:
        review.accept(arrival.pk, analyst(alice), alice)
    assert several.value.field == "contingent"
    assert not Movement.objects.exists()
    report = review.accept(arrival.pk, analyst(alice), alice, {"contingent": str(first.pk)}).record
    assert isinstance(report, MovementReport)
    assert report.movement.contingent == first


def test_accepting_a_pledge_records_it_for_the_contributor(alice, areas, take_in: Ingest):
    jamaica = make_contributor("JM")
    pledge = review.accept(candidate(take_in(), "deployment", movement="pledge").pk, analyst(alice), alice).record
    assert isinstance(pledge, Pledge)
    assert (pledge.contributor, pledge.personnel, pledge.date, pledge.date_precision) == (
        jamaica,
        150,
        date(2025, 1, 21),
        "day",
    )


def test_accepting_a_claim_links_it_to_its_document_and_spans(alice, areas, take_in: Ingest):
    document = take_in(url="https://example.org/alpha-toll")
    claimed = candidate(document, "claim")
    claim = review.accept(claimed.pk, analyst(alice), alice).record
    assert isinstance(claim, Claim)
    assert claim.document == document
    assert (claim.metric, claim.value, claim.qualifier, claim.unit, claim.area_id) == (
        "killed",
        5000,
        "gt",
        "",
        "XX0101",
    )
    assert (claim.period_start, claim.start_precision) == (date(2024, 2, 1), "month")
    assert [ARTICLE[span["start"] : span["end"]] for span in claim.evidence] == [
        span["text"] for span in claimed.record["evidence"]
    ]
    assert document.claims.get() == claim
    assert claim.source.reference == "https://example.org/alpha-toll"


def test_edits_change_the_record_before_it_is_made(alice, areas, take_in: Ingest):
    attack = candidate(take_in(), "event", **THREE_KILLED)
    edits = {"fatalities": {"best": 4, "high": 5}, "location.pcode": "XX0102", "location.name": "Beta"}
    done = review.accept(attack.pk, analyst(alice), alice, edits)
    assert done.record is not None
    event = Event.objects.get(pk=done.record.pk)
    assert (event.fatalities_low, event.fatalities, event.fatalities_high) == (3, 4, 5)
    assert (event.adm2_pcode, event.location, event.geo_precision) == ("XX0102", "Beta", 3)
    assert set(done.edited) == {"fatalities.best", "fatalities.high", "location.pcode", "location.name"}


@pytest.mark.parametrize(
    ("edits", "field"),
    [
        ({"date": "2025-13-01"}, "date"),
        ({"colour": "red"}, "colour"),
        ({"fatalities": {"best": "many"}}, "fatalities.best"),
        ({"fatalities": {"low": 9}}, "fatalities.best"),
        ({"event_type": "Picnic"}, "event_type"),
        ({"location.pcode": "XX9999", "location.lat": ""}, "location.pcode"),
    ],
)
def test_a_bad_edit_names_its_field_and_writes_nothing(alice, areas, take_in: Ingest, edits, field):
    attack = candidate(take_in(), "event", **THREE_KILLED)
    with pytest.raises(EditRefused) as refused:
        review.accept(attack.pk, analyst(alice), alice, edits)
    assert refused.value.field == field
    attack.refresh_from_db()
    assert attack.status == CandidateStatus.PENDING
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(object_type="intake.candidate").exists()


def test_an_event_without_a_date_is_accepted_only_once_one_is_given(alice, areas, take_in: Ingest):
    attack = candidate(take_in(), "event", **THREE_KILLED)
    attack.record = attack.record | {"date": None, "date_precision": None}
    attack.save()
    with pytest.raises(EditRefused, match="date"):
        review.accept(attack.pk, analyst(alice), alice)
    event = review.accept(attack.pk, analyst(alice), alice, {"date": "2025-01"}).record
    assert isinstance(event, Event)
    assert (event.event_date, event.time_precision) == (date(2025, 1, 1), 3)


def test_a_candidate_is_reviewed_once(alice, areas, take_in: Ingest):
    attack = candidate(take_in(), "event", **THREE_KILLED)
    review.accept(attack.pk, analyst(alice), alice)
    with pytest.raises(review.NotPending):
        review.accept(attack.pk, analyst(alice), alice)
    with pytest.raises(review.NotPending):
        review.reject(attack.pk, analyst(alice), alice, "changed my mind")
    assert Event.objects.count() == 1


def test_a_rejection_needs_a_reason(alice, areas, take_in: Ingest):
    claimed = candidate(take_in(), "claim")
    with pytest.raises(EditRefused) as refused:
        review.reject(claimed.pk, analyst(alice), alice, " no ")
    assert refused.value.field == "reason"
    review.reject(claimed.pk, analyst(alice), alice, "a figure from 2023, repeated")
    claimed.refresh_from_db()
    assert (claimed.status, claimed.reason, claimed.outcome) == ("rejected", "a figure from 2023, repeated", None)


def test_a_second_account_merges_into_the_event_the_deduplication_suggests(alice, areas, take_in: Ingest):
    first = take_in(url="https://example.org/first")
    event = review.accept(candidate(first, "event", **THREE_KILLED).pk, analyst(alice), alice).record
    assert isinstance(event, Event)
    second = candidate(take_in(SECOND_ACCOUNT, url="https://example.org/second"), "event")
    suggested = review.suggestions(second, analyst(alice))
    assert [one.event for one in suggested] == [event]
    assert suggested[0].days_apart <= 1
    review.merge(second.pk, analyst(alice), alice, event.pk)
    second.refresh_from_db()
    assert (second.status, second.outcome, second.reason) == ("merged", event, f"merged into event {event.pk}")
    assert set(event.sources.values_list("reference", flat=True)) == {
        "https://example.org/first",
        "https://example.org/second",
    }
    assert EventChange.objects.filter(event=event, action="merged").count() == 1
    assert len(review.candidates_for(event, analyst(alice))) == 2


def test_suggestions_leave_out_events_the_viewer_may_not_read(alice, admin, areas, take_in: Ingest):
    first = take_in()
    event = review.accept(candidate(first, "event", **THREE_KILLED).pk, viewer_of(admin), admin).record
    assert isinstance(event, Event)
    Event.objects.filter(pk=event.pk).update(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    second = candidate(take_in(SECOND_ACCOUNT), "event")
    assert review.suggestions(second, analyst(alice)) == []
    with pytest.raises(EditRefused) as refused:
        review.merge(second.pk, analyst(alice), alice, event.pk)
    assert refused.value.field == "event_id"
    assert [one.event for one in review.suggestions(second, viewer_of(admin))] == [event]


def test_only_events_merge(alice, areas, take_in: Ingest):
    claimed = candidate(take_in(), "claim")
    actor = Actor.objects.create(name="someone")
    event = Event.objects.create(
        natural_key="t:1", event_date=date(2025, 1, 19), event_type="Battles", sub_event_type="Armed clash",
        actor1=actor, latitude=18.52, longitude=-72.38, sensitivity=0,
    )  # fmt: skip
    with pytest.raises(EditRefused):
        review.merge(claimed.pk, analyst(alice), alice, event.pk)


def test_roles_that_may_not_review_are_refused_and_nothing_is_written(make_user, areas, take_in: Ingest):
    make_contributor("JM")
    document = take_in()
    pledge = candidate(document, "deployment", movement="pledge")
    cora, monitor, charlie = (
        make_user(n, r) for n, r in (("cora", Role.COMMANDER), ("mo", Role.MONITOR), ("ch", Role.PARTNER))
    )
    with pytest.raises(review.ReviewRefused):
        review.accept(pledge.pk, viewer_of(cora), cora)  # reads the queue, reviews nothing
    with pytest.raises(review.ReviewRefused):
        review.accept(pledge.pk, viewer_of(monitor), monitor)  # reviews, but force records are analysis
    with pytest.raises(review.CandidateNotFound):
        review.reject(pledge.pk, viewer_of(charlie), charlie, "not for partners")
    assert not Pledge.objects.exists()
    assert Candidate.objects.get(pk=pledge.pk).status == CandidateStatus.PENDING


def test_an_analyst_cannot_make_a_record_above_their_clearance(alice, areas, take_in: Ingest):
    document = take_in(label=Sensitivity.STRICTLY_CONFIDENTIAL)
    with pytest.raises(review.CandidateNotFound):
        review.accept(candidate(document, "claim").pk, analyst(alice), alice)


def test_edits_keep_one_answer_to_when():
    record = {"kind": "claim", "date": None, "date_precision": "range", "period": {"start": "2024-02", "end": "2025"}}
    edited, changed = apply_edits("claim", record, {"date": "2025-01-26"})
    assert (edited["date"], edited["date_precision"], edited["period"], changed) == (
        "2025-01-26",
        "day",
        None,
        ["date"],
    )
    assert record["period"] == {"start": "2024-02", "end": "2025"}


def test_marks_follow_the_offsets_not_the_words():
    text = "Alpha, then Alpha again"
    assert [(s.text, s.marked) for s in segments(text, [(12, 17)])] == [
        ("Alpha, then ", False),
        ("Alpha", True),
        (" again", False),
    ]
    assert [s.marked for s in segments(text, [(0, 5), (3, 9), (40, 50)])] == [True, False]
