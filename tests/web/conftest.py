"""Fixtures for the real-browser tests: Debian's Chromium, a live server, the demo data.

The browser is Debian's ``/usr/bin/chromium`` (``scripts/ensure-chromium``), never one that
``playwright install`` downloads: this machine has no network, and neither does the product.
The live server hands the app one request at a time (``OneRequestAtATime``), because it shares
the in-memory test database's single connection between its threads. The page watcher
(``site``) lives beside the tests in test_browser.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from ulinzi.accounts.roles import Role
from ulinzi.accounts.services import NewAccount, create_account
from ulinzi.demo import DemoReport, load_demo

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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


class OneRequestAtATime:
    """Wraps the live server's handler so the app serves one request at a time.

    The test database is in-memory SQLite, so pytest-django hands the server thread the test's
    own connection, and the threaded server shares it between concurrent requests (Django's
    documentation warns this "may sometimes randomly cause the tests to fail"). The Map page
    fetches boundaries, control areas, shares and a chart at once, and every request saves the
    session (SESSION_SAVE_EVERY_REQUEST): "database table is locked", then a 400. A file
    database or PostgreSQL has no such limit; only this harness needs the lock. Sockets are still
    accepted in parallel, so an idle connection the browser opens ahead cannot block the server.
    """

    lock = threading.Lock()

    def __init__(self, build: Callable[[WSGIApplication], WSGIApplication]) -> None:
        self.build = build

    def __call__(self, application: WSGIApplication) -> WSGIApplication:
        handler = self.build(application)

        def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            with self.lock:
                return handler(environ, start_response)

        return serve


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server (same address option), with its handler wrapped in OneRequestAtATime."""
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    # The stubs want a handler class; LiveServerThread.run() only calls it with the app.
    server.thread.static_handler = OneRequestAtATime(server.thread.static_handler)  # type: ignore[assignment]
    server.start()
    yield server
    server.stop()


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
def server_lock() -> threading.Lock:
    """Hold it to write through the ORM in a browser test while the live server serves nothing.

    The test thread shares the in-memory database's connection with the server (see
    OneRequestAtATime), so a write must not interleave with a request the page has in flight.
    """
    return OneRequestAtATime.lock


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
