"""The second factor, walked through the real log-in form: who needs one, enrolling, verifying,
replays, throttling, the API, bearer tokens, and resetting a lost device."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]  # django-otp ships no type information

from tests.accounts.second_factor import ENROL, VERIFY, code_at, current_step, enrol, key_on_page, log_in, next_code
from tests.conftest import session_client
from ulinzi.accounts import mfa, qr, roles
from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import NewAccount, create_account
from ulinzi.cli import build_parser

pytestmark = pytest.mark.django_db

WRONG_CODE = "did not match"
THROTTLED = "Too many wrong codes"


@pytest.fixture
def dora() -> NewAccount:
    """An analyst (P2) who has not enrolled yet, with the password she logs in with."""
    return create_account("dora", Role.ANALYST)


@pytest.fixture
def pat() -> NewAccount:
    """A partner (P1): a second factor is hers to choose."""
    return create_account("pat", Role.PARTNER)


def account_user(account: NewAccount) -> User:
    return User.objects.get(username=account.username)


def enrolled(account: NewAccount) -> Client:
    """A new session, past the password only, of an account that enrolled in an earlier one."""
    first = Client()
    log_in(first, account)
    enrol(first)
    client = Client()
    log_in(client, account)
    return client


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_the_rule_follows_the_clearance_not_a_list_of_roles(monkeypatch):
    required = {role for role in Role if mfa.second_factor_required(role)}
    assert required == {Role.ADMIN, Role.COMMANDER, Role.ANALYST, Role.MONITOR}
    assert not mfa.second_factor_required(None)
    # A role given confidential clearance needs a second factor from then on.
    monkeypatch.setitem(roles.CLEARANCE, Role.PARTNER, Sensitivity.CONFIDENTIAL)
    assert mfa.second_factor_required(Role.PARTNER)


def test_an_analyst_without_a_device_is_sent_to_enrol_and_reaches_nothing_else(dora):
    client = Client()
    log_in(client, dora)
    assert client.get("/")["Location"] == f"{VERIFY}?next=/"
    assert client.get(f"{VERIFY}?next=/")["Location"] == f"{ENROL}?next=%2F"
    for page in ("/map/", "/events/", "/force/", "/admin/", "/login/"):
        response = client.get(page)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, VERIFY), page
    assert client.post("/events/1/reports/1/split/")["Location"].startswith(VERIFY)

    page = client.get(ENROL).content.decode()
    assert 'aria-label="Capabilities"' not in page  # no links to pages it cannot open yet
    assert "Log out" in page


def test_the_enrolment_page_shows_the_key_as_text_link_and_server_drawn_qr_code(dora):
    client = Client()
    log_in(client, dora)
    page = client.get(ENROL).content.decode()
    key = key_on_page(page)
    found = re.search(r'data-testid="totp-uri"[^>]*>([^<]+)<', page)
    assert found is not None
    link = found.group(1).replace("&amp;", "&")
    assert link.startswith(f"otpauth://totp/Ulinzi%3Adora?secret={base64.b32encode(key).decode()}&")
    assert link.endswith("&issuer=Ulinzi")
    assert f'd="{qr.svg_path(qr.encode(link))}"' in page  # the QR code is the link's
    assert "<script" not in page and "style=" not in page
    # A reload shows the same key: the person may have scanned it already.
    assert key_on_page(client.get(ENROL).content.decode()) == key
    # Another session of the same account (someone else with the password) gets another key.
    other = Client()
    log_in(other, dora)
    assert key_on_page(other.get(ENROL).content.decode()) != key


def test_a_first_code_confirms_the_device_and_opens_the_page_first_asked_for(dora):
    client = Client()
    log_in(client, dora)
    key = key_on_page(client.get(ENROL).content.decode())
    code = code_at(key, current_step())
    refused = client.post(ENROL, {"code": wrong(code), "next": "/map/"})
    assert (refused.status_code, WRONG_CODE in refused.content.decode()) == (200, True)
    assert "digits" in client.post(ENROL, {"code": "12ab56"}).content.decode()
    TOTPDevice.objects.filter(user__username="dora").update(throttling_failure_count=0)

    response = client.post(ENROL, {"code": code, "next": "/map/"})
    assert response["Location"] == "/map/"
    assert client.get("/map/").status_code == 200
    assert TOTPDevice.objects.filter(user__username="dora", confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(user__username="dora", confirmed=False).exists()
    # Enrolled and verified: the page now only says so, and shows no key.
    page = client.get(ENROL).content.decode()
    assert "Your account has a second factor" in page and "totp-secret" not in page


def test_an_enrolled_account_enters_its_code_at_every_log_in(dora):
    client = enrolled(dora)
    assert client.get("/events/")["Location"] == f"{VERIFY}?next=/events/"
    assert client.get(ENROL)["Location"].startswith(VERIFY)  # no second device behind its back
    page = client.get(f"{VERIFY}?next=/events/")
    assert 'autocomplete="one-time-code"' in page.content.decode()
    code = next_code(account_user(dora))
    assert WRONG_CODE in client.post(VERIFY, {"code": wrong(code)}).content.decode()
    TOTPDevice.objects.filter(user__username="dora").update(throttling_failure_count=0)
    before = client.cookies["sessionid"].value
    response = client.post(VERIFY, {"code": code, "next": "/events/"})
    assert response["Location"] == "/events/"
    assert client.cookies["sessionid"].value != before  # a new session key once verified
    assert client.get("/events/").status_code == 200


def test_a_next_address_off_the_site_is_not_followed(dora):
    client = enrolled(dora)
    response = client.post(VERIFY, {"code": next_code(account_user(dora)), "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"


def test_a_used_code_cannot_be_replayed(dora):
    client = Client()
    log_in(client, dora)
    used = enrol(client)
    client.post("/logout/")
    log_in(client, dora)
    response = client.post(VERIFY, {"code": used})
    assert WRONG_CODE in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    # Refused for being used, not for being malformed: a fresh code goes through.
    TOTPDevice.objects.filter(user__username="dora").update(throttling_failure_count=0)
    assert client.post(VERIFY, {"code": next_code(account_user(dora))})["Location"] == "/"


def test_wrong_codes_are_throttled_by_django_otp(dora, settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1
    assert TOTPDevice().throttling_enabled
    # Thirty seconds per wrong code for this test, so a slow machine cannot outwait the first one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    client = enrolled(dora)
    code = next_code(account_user(dora))
    client.post(VERIFY, {"code": wrong(code)})
    throttled = client.post(VERIFY, {"code": code})
    assert throttled.status_code == 429
    assert THROTTLED in throttled.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    device = TOTPDevice.objects.get(user__username="dora")
    assert device.throttling_failure_count == 1  # a try refused while throttled is not counted
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(seconds=31)
    )
    assert client.post(VERIFY, {"code": code})["Location"] == "/"


def test_a_partner_needs_no_second_factor_but_may_enrol_one(pat):
    client = Client()
    log_in(client, pat)
    assert client.get("/").status_code == 200
    page = client.get(ENROL).content.decode()
    assert "Optional for your role" in page
    assert client.post(ENROL, {"code": code_at(key_on_page(page), current_step())})["Location"] == "/"
    assert client.get("/").status_code == 200
    # Enrolled: from now on the partner's log-ins ask for the code too.
    again = Client()
    log_in(again, pat)
    assert again.get("/")["Location"] == f"{VERIFY}?next=/"


def test_the_api_refuses_a_session_before_its_second_factor_but_not_a_bearer_token(dora):
    client = Client()
    log_in(client, dora)
    refused = client.get("/api/events")
    assert refused.status_code == 401
    assert "second factor" in refused.json()["detail"]
    assert client.get("/api/openapi.json").status_code == 401
    # The same browser sending a token is served as the token's account: a token is a second
    # secret of its own, held by a script.
    with_token = client.get("/api/events", headers={"Authorization": f"Bearer {dora.token}"})
    assert with_token.status_code == 200
    bad_token = client.get("/api/events", headers={"Authorization": "Bearer ulz_not-a-token"})
    assert bad_token.status_code == 401


def test_an_administrator_logging_in_at_the_admin_is_asked_for_the_second_factor():
    account = create_account("ada", Role.ADMIN, superuser=True)
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "ada", "password": account.password})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"
    enrol(client)
    assert client.get("/admin/").status_code == 200


def test_resetting_a_lost_device_ends_the_sessions_and_asks_to_enrol_again(dora):
    client = Client()
    log_in(client, dora)
    enrol(client)
    waiting = Client()
    log_in(waiting, dora)  # a session that never passed the code: it must not enrol the new device
    args = build_parser().parse_args(["account", "reset-mfa", "dora"])
    assert args.handler(args) == 0
    assert not TOTPDevice.objects.filter(user__username="dora").exists()
    assert client.get("/")["Location"] == "/login/?next=/"
    assert waiting.get(ENROL)["Location"].startswith("/login/")
    log_in(client, dora)
    assert client.get(f"{VERIFY}?next=/")["Location"] == f"{ENROL}?next=%2F"
    unknown = build_parser().parse_args(["account", "reset-mfa", "nobody"])
    assert unknown.handler(unknown) == 1


def test_removing_a_device_in_the_admin_ends_the_sessions_it_verified(dora, admin):
    client = Client()
    log_in(client, dora)
    enrol(client)
    device = TOTPDevice.objects.get(user__username="dora")
    page = session_client(admin).post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302
    assert client.get("/")["Location"] == "/login/?next=/"


def test_the_device_admin_is_for_administrators_and_never_shows_a_key(dora, admin, alice):
    client = Client()
    log_in(client, dora)
    enrol(client)
    device = TOTPDevice.objects.get(user__username="dora")
    assert session_client(alice).get("/admin/otp_totp/totpdevice/").status_code == 302
    administrator = session_client(admin)
    assert administrator.get("/admin/otp_totp/totpdevice/").status_code == 200
    change = administrator.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in change
    assert administrator.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert administrator.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403


@pytest.mark.refused("web:mfa-verify", "web:mfa-enrol")
def test_the_second_factor_pages_refuse_anonymous_callers_and_accounts_without_a_role(anonymous, roleless):
    for page in (VERIFY, ENROL):
        response = anonymous.get(page)
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={page}")
        assert anonymous.post(page, {"code": "123456"}).status_code == 302
    client = Client()
    client.post("/login/", {"username": "nobody", "password": "a long enough password 123"})
    for page in (VERIFY, ENROL):
        assert client.get(page).status_code == 403
        assert client.post(page, {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=roleless).exists()
