"""``ulinzi claims add|list`` in process: what is recorded, what is refused, what the ledger prints."""

from __future__ import annotations

import pytest

from tests.claims.factories import make_event
from ulinzi.audit.models import AuditEntry
from ulinzi.claims.models import Claim
from ulinzi.cli import main

pytestmark = pytest.mark.django_db

ADD = ["claims", "add", "--metric", "killed", "--value", "5,000", "--qualifier", "gt", "--area", "XX0101"]
PERIOD = ["--from", "2024-02", "--to", "2025-01-26", "--source", "https://example.org/article"]


def test_a_claim_is_recorded_from_the_command_line(areas, capsys):
    assert main([*ADD, *PERIOD, "--actor", "Viv Ansanm", "--speaker", "A minister", "--sensitivity", "P0"]) == 0
    claim = Claim.objects.get()
    assert (claim.value, claim.actor_name, claim.speaker, claim.sensitivity) == (5000.0, "Viv Ansanm", "A minister", 0)
    assert capsys.readouterr().out == (
        f"recorded claim {claim.pk} (P0): over 5,000 killed in Alpha from 2024-02 to 2025-01-26\n"
    )
    entry = AuditEntry.objects.get(object_type="claims.claim")
    assert entry.actor.startswith("operator:")


def test_a_claim_is_confidential_unless_labelled(areas):
    assert main([*ADD, *PERIOD]) == 0
    assert Claim.objects.get().sensitivity == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--area", "XX9999"], "area: no administrative area has the P-code 'XX9999'"),
        (["--from", "2025-03"], "period: it starts (2025-03) after it ends (2025-01-26)"),
        (["--to", "26/01/2025"], "to: '26/01/2025' is not a date"),
        (["--owner", "nobody"], "owner: no organisation has the code 'nobody'"),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(areas, capsys, change, message):
    assert main([*ADD, *PERIOD, *change]) == 1
    out = capsys.readouterr().out
    assert out.startswith(message) and out.rstrip().endswith("nothing was recorded")
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--metric", "deaths"], "argument --metric: invalid choice: 'deaths'"),
        (["--value", "many"], "argument --value: 'many' is not a number"),
        (["--qualifier", "roughly"], "argument --qualifier: invalid choice: 'roughly'"),
        (["--sensitivity", "secret"], "argument --sensitivity: 'secret' is not a sensitivity label"),
    ],
)
def test_malformed_arguments_are_usage_errors(areas, capsys, change, message):
    with pytest.raises(SystemExit) as stopped:
        main([*ADD, *PERIOD, *change])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
    assert Claim.objects.count() == 0


def test_the_ledger_prints_conflicts_and_the_event_check(areas, capsys):
    make_event(fatalities=12)
    main([*ADD, *PERIOD, "--sensitivity", "P0"])
    main([*ADD[:5], "3000", "--qualifier", "approx", "--area", "XX0101", *PERIOD, "--sensitivity", "P0"])
    capsys.readouterr()
    assert main(["claims", "list", "--metric", "killed", "--area", "XX0101"]) == 0
    out = capsys.readouterr().out
    first, second = Claim.objects.order_by("pk")
    assert f"#{second.pk} about 3,000 killed in Alpha from 2024-02 to 2025-01-26 (https://example.org/article)" in out
    assert "events on record sum to 12 fatalities over 1 event for that period and area (0% of the claim)" in out
    assert f"#{second.pk} and #{first.pk}: conflict: about 3,000 and over 5,000 cannot both be true" in out
    assert "1 conflict" in out


def test_an_empty_ledger_says_so(db, capsys):
    assert main(["claims", "list"]) == 0
    assert capsys.readouterr().out == "no claims match\n"
