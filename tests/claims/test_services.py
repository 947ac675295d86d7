"""Recording claims, the ledger a viewer reads, and the event check counting only what they may see."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.claims.factories import make_claim, make_event
from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import AuditEntry
from ulinzi.claims import services
from ulinzi.claims.ledger import Relation, When
from ulinzi.claims.models import Claim
from ulinzi.geo.models import AdminArea
from ulinzi.incidents.models import Actor, ActorAlias

pytestmark = pytest.mark.django_db


def test_a_claim_is_stored_with_its_scope_and_source(areas):
    claim = make_claim(area_name="Alpha town", speaker="A minister", quote="over 5,000 people", unit="")
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.metric, stored.value, stored.qualifier, stored.area_id, stored.area_name) == (
        "killed", 5000.0, "gt", "XX0101", "Alpha town",
    )  # fmt: skip
    assert (stored.period_start, stored.start_precision, stored.period_end, stored.end_precision) == (
        date(2024, 2, 1), "month", date(2025, 1, 26), "day",
    )  # fmt: skip
    assert stored.source.reference == "https://example.org/article"
    assert str(stored) == "over 5,000 killed in Alpha town from 2024-02 to 2025-01-26"
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and (entry.object_type, entry.object_ids, entry.action) == (
        "claims.claim",
        str(claim.pk),
        "change",
    )


def test_the_area_name_defaults_to_the_area(areas):
    assert make_claim().area_name == "Alpha"


def test_an_actor_is_matched_under_any_spelling(areas):
    coalition = Actor.objects.create(name="Viv Ansanm", kind="coalition")
    ActorAlias.objects.create(actor=coalition, name="Viv Ansam")
    claim = make_claim(actor="Viv Ansam")
    assert (claim.actor, claim.actor_name) == (coalition, "Viv Ansam")
    assert make_claim(actor="Unknown band").actor is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"metric": "deaths"}, "metric"),
        ({"value": -5.0}, "value"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"area": "XX9999"}, "area"),
        ({"source": "  "}, "source"),
        ({"start": When.parse("2025-02"), "end": When.parse("2025-01")}, "period"),
        ({"owner": "nobody"}, "owner"),
        ({"speaker": "x" * 201}, "speaker"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(areas, overrides, field):
    with pytest.raises(services.ClaimRefused) as refused:
        make_claim(**overrides)
    assert refused.value.field == field
    assert Claim.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="claims.claim").exists()


def test_a_partner_cannot_record_a_claim(areas):
    with pytest.raises(services.ClaimRefused, match="sensitivity: claim records are changed by"):
        services.create_claim(
            Viewer(role=Role.PARTNER),
            services.NewClaim("killed", 1.0, "https://example.org", When.parse("2024"), When.parse("2024"),
                              sensitivity=Sensitivity.PUBLIC),
            by=None,
        )  # fmt: skip


def test_an_analyst_cannot_label_a_claim_above_their_clearance(areas, alice):
    with pytest.raises(services.ClaimRefused) as refused:
        services.create_claim(
            viewer_of(alice),
            services.NewClaim("killed", 1.0, "https://example.org", When.parse("2024"), When.parse("2024"),
                              sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL),
            by=alice,
        )  # fmt: skip
    assert refused.value.field == "sensitivity"


def test_the_ledger_holds_only_what_the_viewer_may_read(areas, charlie: User, alice: User):
    public = make_claim(value=5000.0)
    internal = make_claim(value=3000.0, qualifier="approx", sensitivity=Sensitivity.INTERNAL)
    confidential = make_claim(value=5600.0, qualifier=None, sensitivity=Sensitivity.CONFIDENTIAL)
    partner = services.ledger_of(viewer_of(charlie))
    assert [[entry.claim.pk for entry in group.entries] for group in partner] == [[internal.pk, public.pk]]
    assert [pair.relation for pair in partner[0].group.pairs] == [Relation.CONFLICT]
    analyst = services.ledger_of(viewer_of(alice))
    assert [entry.claim.pk for entry in analyst[0].entries] == [internal.pk, public.pk, confidential.pk]


def test_claims_filter_by_metric_and_by_an_area_or_one_inside_it(areas):
    AdminArea.objects.create(
        pcode="XX01", level=1, geometry="{}", display_geometry="{}", min_lon=0, min_lat=0, max_lon=0, max_lat=0,
        area_km2=1,
    )  # fmt: skip
    alpha = make_claim()
    beta = make_claim(area="XX0102")
    department = make_claim(area="XX01")
    taken = make_claim(metric="kidnapped", value=100.0)
    everyone = Viewer.operator()
    assert set(services.claims(everyone, area="XX01")) == {alpha, beta, department, taken}
    assert list(services.claims(everyone, area="XX0102")) == [beta]
    assert list(services.claims(everyone, metric="kidnapped")) == [taken]


def test_the_event_check_sums_the_deaths_in_the_period_and_area(areas):
    claim = make_claim(value=100.0)
    make_event(fatalities=10)
    make_event(fatalities=30, event_date=date(2025, 1, 26))
    make_event(fatalities=7, event_date=date(2024, 1, 31))  # before the period
    make_event(fatalities=5, adm2_pcode="XX0102", latitude=18.52, longitude=-72.33)  # Beta
    checked = services.event_check(Viewer.operator(), claim)
    assert (checked.event_total, checked.event_count, checked.share) == (40, 2, 40)
    assert checked.sentence.endswith(
        "events on record sum to 40 fatalities over 2 events for that period and area (40% of the claim)."
    )


def test_the_event_check_counts_abductions_for_kidnappings(areas):
    claim = make_claim(metric="kidnapped", value=10.0, qualifier=None)
    for _ in range(3):
        make_event(event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance")
    make_event()  # an armed clash is no kidnapping
    checked = services.event_check(Viewer.operator(), claim)
    assert (checked.event_total, checked.event_count, checked.share) == (3, 3, 30)


def test_a_partner_total_leaves_out_the_events_hidden_from_them(areas, charlie: User, alice: User):
    claim = make_claim(value=100.0)
    make_event(fatalities=10)
    make_event(fatalities=20, sensitivity=int(Sensitivity.CONFIDENTIAL))  # masked for a partner: counted
    make_event(fatalities=40, sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))  # hidden from both
    assert services.event_check(viewer_of(charlie), claim).event_total == 30
    assert services.event_check(viewer_of(alice), claim).event_total == 30
    assert services.event_check(Viewer.operator(), claim).event_total == 70
