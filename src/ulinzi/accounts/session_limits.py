"""How long a signed-in session lives, checked by the server on every request.

NIST SP 800-63B asks at AAL2 for re-authentication after 12 hours whatever the activity, and
after 30 minutes idle; at AAL3, the level for the most sensitive data, after 15 minutes idle.
Ulinzi applies the first two to every session (``ULINZI_SESSION_MAX_HOURS``,
``ULINZI_SESSION_IDLE_MINUTES``) and the 15-minute limit to a session once it has been shown a
strictly confidential (P3) or critical (P4) record. The times live in the server-side session
(the cookie carries only its key), so a client cannot stretch them.

Which records a request showed is learnt from the audit log, which records every read of a
confidential record in the request that serves it: a detail page or API operation that is
audited is covered here without a line of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit.models import Action, AuditEntry

LOGGED_IN_AT = "ulinzi_logged_in_at"
LAST_SEEN_AT = "ulinzi_last_seen_at"
SENSITIVE_SINCE = "ulinzi_sensitive_since"
# Showing a record at this label or above shortens the session's idle limit.
SENSITIVE_FROM = Sensitivity.STRICTLY_CONFIDENTIAL
SENSITIVE_IDLE = timedelta(minutes=15)


@dataclass(frozen=True)
class Limits:
    lifetime: timedelta
    idle: timedelta
    sensitive_idle: timedelta = SENSITIVE_IDLE

    @classmethod
    def configured(cls) -> Limits:
        return cls(
            lifetime=timedelta(hours=settings.SESSION_MAX_HOURS),
            idle=timedelta(minutes=settings.SESSION_IDLE_MINUTES),
        )


@dataclass(frozen=True)
class SessionTimes:
    """A session's clock, in seconds since the epoch (JSON-serialisable, as sessions must be)."""

    logged_in_at: float | None
    last_seen_at: float | None
    sensitive_since: float | None

    @classmethod
    def of(cls, session: SessionBase) -> SessionTimes:
        return cls(
            _seconds(session.get(LOGGED_IN_AT)),
            _seconds(session.get(LAST_SEEN_AT)),
            _seconds(session.get(SENSITIVE_SINCE)),
        )


def ended_because(times: SessionTimes, now: float, limits: Limits) -> str | None:
    """Why the session is over, or None while it may go on.

    >>> limits = Limits(lifetime=timedelta(hours=12), idle=timedelta(minutes=30))
    >>> start = 1_700_000_000.0
    >>> busy = SessionTimes(logged_in_at=start, last_seen_at=start + 12 * 3600 - 60, sensitive_since=None)
    >>> ended_because(busy, start + 12 * 3600, limits) is None
    True
    >>> ended_because(busy, start + 12 * 3600 + 1, limits)
    'it is older than 12 hours'
    >>> ended_because(SessionTimes(start, start, start), start + 15 * 60 + 1, limits)
    'it was idle for more than 15 minutes after showing strictly confidential records'
    """
    if times.logged_in_at is None:
        return "it was opened before session limits were recorded"
    if now - times.logged_in_at > limits.lifetime.total_seconds():
        return f"it is older than {_hours(limits.lifetime)}"
    last_seen = times.last_seen_at if times.last_seen_at is not None else times.logged_in_at
    sensitive = times.sensitive_since is not None and limits.sensitive_idle < limits.idle
    idle = limits.sensitive_idle if sensitive else limits.idle
    if now - last_seen > idle.total_seconds():
        after = " after showing strictly confidential records" if sensitive else ""
        return f"it was idle for more than {_minutes(idle)}{after}"
    return None


def session_ended_because(request: HttpRequest) -> str | None:
    return ended_because(SessionTimes.of(request.session), _now(), Limits.configured())


@dataclass
class ShownLabels:
    """The labels of the records one request showed, as the audit log recorded them."""

    highest: Sensitivity | None = None

    def note(self, label: Sensitivity) -> None:
        if self.highest is None or label > self.highest:
            self.highest = label


_shown_in_this_request: ContextVar[ShownLabels | None] = ContextVar("ulinzi_shown_labels", default=None)


@contextmanager
def watching_reads() -> Iterator[ShownLabels]:
    """Collect what the request being served shows, for ``note_activity`` once it is answered."""
    shown = ShownLabels()
    token = _shown_in_this_request.set(shown)
    try:
        yield shown
    finally:
        _shown_in_this_request.reset(token)


def note_activity(session: SessionBase, shown: ShownLabels) -> None:
    """Stamp the request on the session: its time, and whether it showed a sensitive record."""
    now = _now()
    session[LAST_SEEN_AT] = now
    if shown.highest is not None and shown.highest >= SENSITIVE_FROM and SENSITIVE_SINCE not in session:
        session[SENSITIVE_SINCE] = now


def end_sessions_of(user_id: int) -> int:
    """Delete every live session of an account, wherever it was opened; returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user_id):
            session.delete()
            ended += 1
    return ended


@receiver(user_logged_in, dispatch_uid="ulinzi-session-start")
def _start_the_clock(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Every log-in (the form, the admin's, a test's force_login) starts the session's clock."""
    if request is None:
        return
    now = _now()
    request.session[LOGGED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session.pop(SENSITIVE_SINCE, None)


@receiver(post_save, sender=AuditEntry, dispatch_uid="ulinzi-session-shown-labels")
def _note_audited_read(sender: Any, instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    shown = _shown_in_this_request.get()
    if shown is not None and created and instance.action == Action.READ:
        shown.note(Sensitivity(instance.label))


def _now() -> float:
    return timezone.now().timestamp()


def _seconds(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} hour" + ("" if hours == 1 else "s")


def _minutes(span: timedelta) -> str:
    minutes = span.total_seconds() / 60
    return f"{minutes:g} minute" + ("" if minutes == 1 else "s")
