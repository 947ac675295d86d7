"""The second factor: who must pass one, enrolling an authenticator app, and verifying a session.

Every role whose clearance reaches confidential records (P2 and above) must prove a second factor
at each log-in: a six-digit time-based code (TOTP, RFC 6238) from an authenticator app. The rule
follows the clearance, not a list of roles, so a new role with P2 clearance needs it from day
one. Other accounts may enrol; once they have, their sessions verify too.

django-otp keeps the devices (one secret each, stored on the server), rejects a code at or before
the last one accepted (no replay), and backs off exponentially after wrong codes (1, 2, 4, 8 …
seconds per device). This module is the typed edge over it: Ulinzi's other modules go through
it rather than import django-otp. API bearer tokens are not asked for a code: a token is itself a second secret, held
by a script rather than a person.
"""

from __future__ import annotations

import base64
import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import django_otp  # type: ignore[import-untyped]  # django-otp ships no type information
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]  # django-otp ships no type information

from ulinzi.accounts import qr
from ulinzi.accounts.roles import CLEARANCE, Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import role_of
from ulinzi.accounts.session_limits import end_sessions_of

# From this clearance up, an account must pass a second factor: it reads confidential records.
SECOND_FACTOR_FROM = Sensitivity.CONFIDENTIAL
# The device a session is enrolling, so a reloaded page shows the same secret and no other
# session (someone else holding the password) ever sees it.
PENDING_DEVICE_SESSION_KEY = "ulinzi_pending_totp_device"
CODE_DIGITS = 6
DEVICE_NAME = "authenticator app"


def second_factor_required(role: Role | None) -> bool:
    return role is not None and CLEARANCE[role] >= SECOND_FACTOR_FROM


def is_verified(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this request's session passed a second factor (OTPMiddleware sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def confirmed_devices(user: User | AnonymousUser) -> list[Any]:
    if not isinstance(user, User):
        return []
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True))


def has_confirmed_device(user: User | AnonymousUser) -> bool:
    if not isinstance(user, User):
        return False
    return bool(TOTPDevice.objects.devices_for_user(user, confirmed=True).exists())


def must_pass_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether a signed-in session must still enter a code before it may do anything else.

    An account without a role is left alone: it may do nothing anyway, and says so with a 403.
    """
    if not isinstance(user, User) or not user.is_authenticated or is_verified(user):
        return False
    role = role_of(user)
    if role is None:
        return False
    return second_factor_required(role) or has_confirmed_device(user)


def session_lost_its_device(request: HttpRequest) -> bool:
    """Whether the session was verified by a device that has since been removed (reset by an
    administrator, deleted in the admin): such a session ends, so a new device is only ever
    enrolled after a fresh log-in with the password."""
    had_device = django_otp.DEVICE_ID_SESSION_KEY in request.session
    return had_device and request.user.is_authenticated and not is_verified(request.user)


class Outcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"
    NO_DEVICE = "no device"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    retry_after: datetime | None = None  # when a throttled device takes codes again


def verify_session(request: HttpRequest, code: str) -> Verdict:
    """Check a code against the account's devices; on success mark the session verified and give
    it a new key (the session now carries more privilege than the one an observer may have seen)."""
    user = request.user
    assert isinstance(user, User)
    devices = confirmed_devices(user)
    if not devices:
        return Verdict(Outcome.NO_DEVICE)
    open_devices = [device for device in devices if device.verify_is_allowed()[0]]
    if not open_devices:
        # The first device to take codes again lets the person try again.
        until = min(device.verify_is_allowed()[1]["locked_until"] for device in devices)
        return Verdict(Outcome.THROTTLED, until)
    for device in open_devices:
        accepted = django_otp.verify_token(user, device.persistent_id, code)
        if accepted is not None:
            _remember(request, accepted)
            return Verdict(Outcome.VERIFIED)
    return Verdict(Outcome.WRONG)


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret as text, as a link and as a QR code of the link."""

    secret: str  # base32, in groups of four for reading aloud or typing
    uri: str
    code: qr.QrCode

    @property
    def qr_path(self) -> str:
        return qr.svg_path(self.code)


def pending_enrolment(request: HttpRequest) -> Enrolment:
    """The unconfirmed device this session is enrolling, created on the first visit."""
    user = request.user
    assert isinstance(user, User)
    device = _pending_device(request, user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    secret = base64.b32encode(device.bin_key).decode()
    grouped = " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))
    uri = str(device.config_url)
    return Enrolment(grouped, uri, qr.encode(uri))


def confirm_enrolment(request: HttpRequest, code: str) -> Verdict:
    """Confirm the pending device with its first code; the session is then verified by it.

    Refused when the account already has a confirmed device (enrolled meanwhile in another
    session): replacing a device takes an administrator's reset.
    """
    user = request.user
    assert isinstance(user, User)
    device = _pending_device(request, user)
    if device is None or has_confirmed_device(user):
        return Verdict(Outcome.NO_DEVICE)
    allowed, throttle = device.verify_is_allowed()
    if not allowed:
        return Verdict(Outcome.THROTTLED, throttle.get("locked_until"))
    with transaction.atomic():
        accepted = django_otp.verify_token(user, device.persistent_id, code)
        if accepted is None:
            return Verdict(Outcome.WRONG)
        accepted.confirmed = True
        accepted.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    del request.session[PENDING_DEVICE_SESSION_KEY]
    _remember(request, accepted)
    return Verdict(Outcome.VERIFIED)


def remove_devices(user: User) -> int:
    """Remove every second-factor device of an account (it lost its phone, say); the next log-in
    enrols a new one. Returns how many were removed."""
    with transaction.atomic():
        devices = list(django_otp.devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
    return len(devices)


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="ulinzi-device-removed")
def _end_sessions_when_a_device_goes(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Removing an enrolled device, by ``ulinzi account reset-mfa`` or in the admin, ends every
    session of its account, including ones still waiting for a code: otherwise a session opened
    with a stolen password could enrol the replacement device."""
    if instance.confirmed:
        end_sessions_of(instance.user_id)


def _pending_device(request: HttpRequest, user: User) -> Any:
    pending = request.session.get(PENDING_DEVICE_SESSION_KEY)
    if not isinstance(pending, int):
        return None
    return TOTPDevice.objects.filter(pk=pending, user=user, confirmed=False).first()


def _remember(request: HttpRequest, device: Any) -> None:
    request.session.cycle_key()
    django_otp.login(request, device)
