from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.test import Client

from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.models import ApiToken
from ulinzi.accounts.roles import CLEARANCE, Role, highest_role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import clearance_of, create_account, issue_token, role_of, user_for_token
from ulinzi.cli import main
from ulinzi.incidents.models import Actor, Event


def test_labels_parse_from_codes_and_names():
    assert Sensitivity.parse("P0") is Sensitivity.PUBLIC
    assert Sensitivity.parse("p3") is Sensitivity.STRICTLY_CONFIDENTIAL
    assert Sensitivity.parse("confidential") is Sensitivity.CONFIDENTIAL
    with pytest.raises(ValueError, match="not a sensitivity label"):
        Sensitivity.parse("P9")


def test_partners_are_cleared_for_internal_aggregates_only():
    assert CLEARANCE[Role.PARTNER] is Sensitivity.INTERNAL
    assert all(CLEARANCE[role] > Sensitivity.INTERNAL for role in Role if role is not Role.PARTNER)


def test_the_widest_role_wins():
    assert highest_role({Role.PARTNER, Role.ANALYST}) is Role.ANALYST
    assert highest_role(set()) is None


@pytest.mark.django_db
def test_every_role_group_exists_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.django_db
def test_accounts_get_random_passwords_hashed_with_argon2():
    first = create_account("one", Role.ANALYST)
    second = create_account("two", Role.ANALYST)
    assert first.password != second.password and len(first.password) >= 20
    assert User.objects.get(username="one").password.startswith("argon2")


@pytest.mark.django_db
def test_roles_and_clearance_follow_groups(alice, charlie, admin):
    assert (role_of(alice), clearance_of(alice)) == (Role.ANALYST, Sensitivity.CONFIDENTIAL)
    assert role_of(charlie) is Role.PARTNER
    assert clearance_of(admin) is Sensitivity.CRITICAL
    assert clearance_of(AnonymousUser()) is None


@pytest.mark.django_db
def test_a_deactivated_user_has_no_role(alice):
    alice.is_active = False
    alice.save()
    assert role_of(alice) is None


@pytest.mark.django_db
def test_tokens_are_stored_only_as_digests(alice):
    token = issue_token(alice, "script")
    stored = ApiToken.objects.get(name="script")
    assert token not in (stored.digest, stored.prefix)
    assert user_for_token(token) == alice
    assert user_for_token(token + "x") is None
    assert ApiToken.objects.get(name="script").last_used_at is not None


def test_organisations_and_memberships_from_the_command_line(db, capsys) -> None:
    assert main(["organisation", "add", "mss-hq", "--name", "Mission headquarters", "--kind", "mission"]) == 0
    assert main(["organisation", "add", "Not A Slug!", "--name", "x", "--kind", "partner"]) == 1
    assert main(["account", "create", "wanjiru", "--role", "commander", "--organisation", "nowhere"]) == 1
    assert "no organisation has the code 'nowhere'" in capsys.readouterr().out
    assert not User.objects.filter(username="wanjiru").exists()  # nothing half-made
    assert main(["account", "create", "wanjiru", "--role", "commander", "--organisation", "mss-hq"]) == 0
    viewer = viewer_of(User.objects.get(username="wanjiru"))
    assert (viewer.organisation, viewer.mission_wide) == ("mss-hq", True)
    assert main(["account", "move", "wanjiru"]) == 0
    assert viewer_of(User.objects.get(username="wanjiru")).organisation is None


def test_a_token_reads_only_unless_issued_to_write(alice) -> None:
    actor = Actor.objects.create(name="Gang A (Haiti)")
    event = Event.objects.create(
        natural_key="scope:1", event_date=date(2024, 3, 2), event_type="Battles", sub_event_type="Armed clash",
        actor1=actor, latitude=18.52, longitude=-72.33,
    )  # fmt: skip
    read_only = Client(headers={"Authorization": f"Bearer {issue_token(alice, 'reporting script')}"})
    writer = Client(headers={"Authorization": f"Bearer {issue_token(alice, 'editing script', write=True)}"})
    assert read_only.get("/api/events").status_code == 200
    body = {"state": "corroborated", "note": "checked"}
    refused = read_only.post(f"/api/events/{event.pk}/verification", body, content_type="application/json")
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]
    assert writer.post(f"/api/events/{event.pk}/verification", body, content_type="application/json").status_code == 200
    assert ApiToken.objects.get(name="reporting script").scope == "read"
    assert main(["token", "create", "alice", "--name", "cli", "--write"]) == 0
    assert ApiToken.objects.get(name="cli").scope == "write"
