"""Fixtures for the real-browser tests: Debian's Chromium, a live server, the demo data.

The browser is Debian's ``/usr/bin/chromium`` (``scripts/ensure-chromium``), never one that
``playwright install`` downloads: this machine has no network, and neither does the product.
The page watcher (``site``) lives beside the tests in test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import NewAccount, create_account
from ulinzi.demo import DemoReport, load_demo

CHROMIUM = Path("/usr/bin/chromium")
# Flags that keep Chromium off the network (the shared browser-tests note).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at Debian's Chromium, headless and offline."""
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run scripts/ensure-chromium (never `playwright install`)"
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """The live server, so ``page.goto("/force/")`` works.

    Defining it here also replaces pytest-playwright 0.10.0's fallback ``base_url``, a
    session-scoped fixture written as an instance method, which pytest 9.2 deprecates with a
    PytestRemovedIn10Warning that ``filterwarnings = error`` turns into an error for every test.
    """
    return live_server.url


@pytest.fixture(scope="session")
def orm_beside_playwright() -> Iterator[None]:
    """Let the test thread use the ORM while Playwright's sync API holds an event loop.

    Playwright's sync API leaves an asyncio loop registered as running in the test thread from
    the first browser test on, so Django refuses ORM calls there (SynchronousOnlyOperation):
    creating the test database, our fixtures, pytest-django's flush. The test code is
    synchronous and the live server runs in its own thread, so the check can be lifted.

    test_browser.py requests it with ``usefixtures`` so it comes before every other
    session-scoped fixture (the test database may be created by the first browser test). It
    stays until the session ends, because Playwright's loop does too.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def artefacts() -> Path:
    """test-results/ (git-ignored), for screenshots kept after the run."""
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS


@pytest.fixture
def demo(transactional_db: None, shared_data: Path) -> DemoReport:
    """The demo (MSS timeline, curated records, boundaries) in the live server's database."""
    report = load_demo(shared_data)
    assert not report.missing, report.missing
    return report


@pytest.fixture
def admin_account(transactional_db: None) -> NewAccount:
    return create_account("admin", Role.ADMIN, superuser=True)


@pytest.fixture
def partner_account(transactional_db: None) -> NewAccount:
    return create_account("charlie", Role.PARTNER)
