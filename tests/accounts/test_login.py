"""The log-in form does not tell who has an account (R-08), and there is no password reset to abuse."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from tests.test_refusals import url_names
from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import create_account

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "wrong password here"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def attempt(client: Client, username: str, password: str = WRONG_PASSWORD) -> tuple[int, str]:
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code, CSRF_TOKEN.sub("", response.content.decode())


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(alice):
    known = attempt(Client(), "alice")
    unknown = attempt(Client(), "nobody-at-all")
    assert known == unknown
    assert known[0] == 200 and "did not match" in known[1]
    assert "alice" not in known[1] and "nobody-at-all" not in unknown[1]  # the name is not echoed


def test_the_lockout_looks_the_same_for_existing_and_unknown_usernames(alice, settings):
    # Separate addresses, so each username is locked out by its own count, not the address's.
    existing, unknown = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(existing, "alice")
        attempt(unknown, "nobody-at-all")
    locked_existing, locked_unknown = attempt(existing, "alice"), attempt(unknown, "nobody-at-all")
    assert locked_existing == locked_unknown
    assert locked_existing[0] == 429 and "Too many failed attempts" in locked_existing[1]


def test_a_locked_out_account_gives_nothing_away_for_the_right_password(settings):
    account = create_account("lena", Role.PARTNER)
    client = Client(REMOTE_ADDR="192.0.2.3")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "lena")
    right = attempt(Client(REMOTE_ADDR="192.0.2.4"), "lena", account.password)
    assert right == attempt(Client(REMOTE_ADDR="192.0.2.5"), "lena")
    assert right[0] == 429


def test_there_is_no_password_reset():
    names = url_names(get_resolver().url_patterns)
    assert not [name for name in names if "reset" in name or "forgot" in name]
    with pytest.raises(NoReverseMatch):
        reverse("admin_password_reset")
    assert "Forgotten your password" not in Client().get("/admin/login/").content.decode()
