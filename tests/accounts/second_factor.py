"""Helpers for the second-factor tests: log in through the real forms, read the key off the
enrolment page, and make the codes an authenticator app would show."""

from __future__ import annotations

import base64
import re
import time

from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import hotp  # type: ignore[import-untyped]  # django-otp ships no type information
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]  # as above

from ulinzi.accounts.services import NewAccount

VERIFY = "/account/second-factor/"
ENROL = "/account/second-factor/enrol/"
STEP = 30  # seconds per code (RFC 6238's default, and django-otp's)


def log_in(client: Client, account: NewAccount) -> None:
    response = client.post("/login/", {"username": account.username, "password": account.password})
    assert response.status_code == 302, response.content.decode()


def key_on_page(html: str) -> bytes:
    found = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html)
    assert found is not None, "the enrolment page shows no key"
    return base64.b32decode(found.group(1).replace(" ", ""))


def code_at(key: bytes, step: int) -> str:
    return f"{hotp(key, step):06d}"


def current_step() -> int:
    return int(time.time()) // STEP


def enrol(client: Client) -> str:
    """Enrol an authenticator from the page, as a person would; returns the code it took."""
    code = code_at(key_on_page(client.get(ENROL).content.decode()), current_step())
    response = client.post(ENROL, {"code": code})
    assert response.status_code == 302, response.content.decode()
    return code


def next_code(user: User) -> str:
    """A code the account's device takes now: the first time step after the last one it took
    (django-otp accepts one step either side of its clock, and never a step twice)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return code_at(device.bin_key, max(current_step() + device.drift, device.last_t + 1))
