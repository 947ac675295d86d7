"""Shared fixtures: the personas every access test uses, and suite-wide rules.

Personas (docs/security.md): ``admin``; ``alice`` an analyst; ``cora`` a commander; ``charlie``
a partner organisation; plus an anonymous client. A skipped test fails the run: a skip in CI
proves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import django_otp  # type: ignore[import-untyped]  # django-otp ships no type information
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]  # as above

from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import create_account, issue_token
from ulinzi.geo.importers.boundaries.importer import import_boundaries

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def areas(fixtures_dir: Path) -> None:
    """Three made-up communes (XX0101 Alpha, XX0102 Beta, XX0103 Gamma) in department XX01."""
    import_boundaries(fixtures_dir / "three_areas.geojson")


@pytest.fixture
def shared_data() -> Path:
    """The real public data beside the checkout; CI always has it, so it is never skipped."""
    assert SHARED_DATA.is_dir(), f"{SHARED_DATA} is missing: clone the repository beside ../shared"
    return SHARED_DATA


MakeUser = Callable[[str, Role], User]


@pytest.fixture
def make_user(db: None) -> MakeUser:
    def make(username: str, role: Role) -> User:
        account = create_account(username, role, superuser=role is Role.ADMIN)
        return User.objects.get(username=account.username)

    return make


@pytest.fixture
def admin(make_user: MakeUser) -> User:
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def alice(make_user: MakeUser) -> User:
    return make_user("alice", Role.ANALYST)


@pytest.fixture
def cora(make_user: MakeUser) -> User:
    return make_user("cora", Role.COMMANDER)


@pytest.fixture
def charlie(make_user: MakeUser) -> User:
    return make_user("charlie", Role.PARTNER)


@pytest.fixture
def roleless(db: None) -> User:
    return User.objects.create_user(username="nobody", password="a long enough password 123")


def token_client(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user, 'test', write=True)}"})


def session_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    verify_second_factor(client, user)
    return client


def verify_second_factor(client: Client, user: User) -> None:
    """Give the user a confirmed authenticator and mark the client's session verified by it, as
    the second-factor page does (django_otp.login), so pages and the API serve it."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test authenticator", defaults={"confirmed": True})
    request = HttpRequest()
    request.session = client.session
    request.user = User.objects.get(pk=user.pk)
    django_otp.login(request, device)
    request.session.save()


@pytest.fixture
def anonymous() -> Client:
    return Client()


def backend_name() -> str:
    return str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    stats = terminalreporter.stats
    counts = {key: len(stats.get(key, [])) for key in ("passed", "failed", "error", "skipped")}
    terminalreporter.write_line(
        f"ulinzi: {counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors, "
        f"{counts['skipped']} skipped on {backend_name()}"
    )
    if counts["skipped"]:
        terminalreporter.write_line("ulinzi: skipped tests count as failures (a skip proves nothing)", red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
