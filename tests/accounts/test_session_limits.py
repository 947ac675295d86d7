"""Session limits checked by the server (R-08): 12 hours from log-in however active, 30 minutes
idle, 15 minutes idle once the session has been shown a P3 or P4 record.

The clock is moved by writing the session's own timestamps into the past, as the server keeps
them, or by freezing ``timezone.now`` where the session store's expiry must stay untouched.
"""

from __future__ import annotations

import doctest
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import session_client
from tests.web.test_events_pages import make_event
from ulinzi.accounts import session_limits
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.session_limits import LAST_SEEN_AT, LOGGED_IN_AT, SENSITIVE_SINCE, Limits, SessionTimes

pytestmark = pytest.mark.django_db

HOUR, MINUTE = 3600.0, 60.0


def move_back(client: Client, *, logged_in: float = 0.0, last_seen: float = 0.0) -> None:
    """Pretend the log-in and the last request happened this many seconds ago."""
    session = client.session
    now = timezone.now().timestamp()
    session[LOGGED_IN_AT] = now - logged_in
    session[LAST_SEEN_AT] = now - last_seen
    session.save()


def ended(client: Client) -> bool:
    """Whether the session is over: a page sends the browser back to the log-in form."""
    response = client.get("/")
    if response.status_code == 200:
        return False
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")
    return True


def test_the_rules_hold_on_a_plain_clock():
    result = doctest.testmod(session_limits)
    assert (result.attempted > 0, result.failed) == (True, 0)
    limits = Limits(lifetime=timedelta(hours=12), idle=timedelta(minutes=30))
    start = 1_000_000.0
    assert (
        session_limits.ended_because(SessionTimes(start, start + 29 * MINUTE, None), start + 59 * MINUTE, limits)
        is None
    )
    assert session_limits.ended_because(SessionTimes(start, start, None), start + 30 * MINUTE + 1, limits) == (
        "it was idle for more than 30 minutes"
    )
    assert session_limits.ended_because(SessionTimes(None, start, None), start, limits) is not None
    # A configured idle limit shorter than 15 minutes stays the limit after a sensitive read.
    short = Limits(lifetime=timedelta(hours=12), idle=timedelta(minutes=10))
    assert "10 minutes" in (session_limits.ended_because(SessionTimes(start, start, start), start + 601, short) or "")


def test_a_session_ends_12_hours_after_log_in_however_active(alice):
    client = session_client(alice)
    move_back(client, logged_in=12 * HOUR - 5, last_seen=MINUTE)
    assert not ended(client)
    move_back(client, logged_in=12 * HOUR + 1, last_seen=MINUTE)
    assert ended(client)
    assert ended(client)  # logged out on the server, not just turned away once


def test_the_lifetime_is_configurable(alice, settings):
    settings.SESSION_MAX_HOURS = 1
    client = session_client(alice)
    move_back(client, logged_in=HOUR + 1)
    assert ended(client)


def test_the_api_answers_401_with_the_reason(alice):
    client = session_client(alice)
    move_back(client, logged_in=12 * HOUR + 1)
    response = client.get("/api/events")
    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has ended: it is older than 12 hours. Log in again."
    assert client.get("/api/events").status_code == 401


def test_a_session_idle_30_minutes_ends(alice):
    client = session_client(alice)
    move_back(client, logged_in=HOUR, last_seen=30 * MINUTE - 5)
    assert not ended(client)
    move_back(client, logged_in=HOUR, last_seen=30 * MINUTE + 1)
    assert ended(client)


def test_every_request_counts_as_activity(alice):
    client = session_client(alice)
    move_back(client, logged_in=HOUR, last_seen=20 * MINUTE)
    assert not ended(client)
    assert client.session[LAST_SEEN_AT] >= timezone.now().timestamp() - 5


def test_a_session_from_before_the_limits_ends(alice):
    client = session_client(alice)
    session = client.session
    del session[LOGGED_IN_AT]
    session.save()
    assert ended(client)


def test_a_log_in_starts_the_clock(alice):
    client = session_client(alice)  # force_login sends the same signal as the form
    assert client.session[LOGGED_IN_AT] >= timezone.now().timestamp() - 60


def test_opening_a_p3_event_shortens_the_idle_limit_to_15_minutes(cora):
    event = make_event(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    client = session_client(cora)
    assert client.get(f"/events/{event.pk}/").status_code == 200
    assert SENSITIVE_SINCE in client.session
    move_back(client, logged_in=HOUR, last_seen=15 * MINUTE - 5)
    assert not ended(client)
    move_back(client, logged_in=HOUR, last_seen=15 * MINUTE + 1)
    assert ended(client)


def test_reading_a_p3_event_through_the_api_shortens_it_too(cora):
    event = make_event(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    client = session_client(cora)
    assert client.get(f"/api/events/{event.pk}").status_code == 200
    move_back(client, logged_in=HOUR, last_seen=15 * MINUTE + 1)
    response = client.get("/api/events")
    assert response.status_code == 401
    assert "idle for more than 15 minutes after showing strictly confidential records" in response.json()["detail"]


def test_confidential_reads_keep_the_30_minute_limit_until_a_list_shows_a_p3_event(cora):
    event = make_event(sensitivity=int(Sensitivity.CONFIDENTIAL))
    client = session_client(cora)
    assert client.get(f"/events/{event.pk}/").status_code == 200
    assert client.get("/events/").status_code == 200
    assert SENSITIVE_SINCE not in client.session
    move_back(client, logged_in=HOUR, last_seen=16 * MINUTE)
    assert not ended(client)
    make_event(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    assert client.get("/events/").status_code == 200  # a list that shows it is a read of it
    assert SENSITIVE_SINCE in client.session


def test_a_refused_p3_read_does_not_count(alice):
    event = make_event(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    client = session_client(alice)  # an analyst: P2 clearance
    assert client.get(f"/events/{event.pk}/").status_code == 404
    assert SENSITIVE_SINCE not in client.session


def test_the_15_minute_limit_with_a_frozen_clock(cora):
    event = make_event(sensitivity=int(Sensitivity.STRICTLY_CONFIDENTIAL))
    client = session_client(cora)
    client.get(f"/events/{event.pk}/")
    quiet_until = timezone.now() + timedelta(minutes=14, seconds=50)
    with mock.patch("django.utils.timezone.now", return_value=quiet_until):
        assert not ended(client)
    with mock.patch("django.utils.timezone.now", return_value=quiet_until + timedelta(minutes=15, seconds=1)):
        assert ended(client)
