"""``ulinzi run`` as ``make run`` starts it: a real server process on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(tmp_path: Path, *args: str, **extra: str) -> Iterator[tuple[int, list[str]]]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "ULINZI_VAR_DIR": str(tmp_path / "var"),
        "ULINZI_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "ULINZI_PORT": str(port),
        **extra,
    }
    process = subprocess.Popen(  # noqa: S603  our own command
        [sys.executable, "-m", "ulinzi.cli", "run", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if "is running on" in line:
                break
        else:
            pytest.fail("ulinzi run stopped before serving:\n" + "\n".join(lines))
        wait_for(port)
        yield port, lines
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stdout is not None:
            process.stdout.close()


def wait_for(port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"nothing listens on port {port}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers)


def test_first_run_loads_the_demo_and_prints_credentials_once(tmp_path, shared_data):
    with serving(tmp_path, ULINZI_DEMO_DATA=str(shared_data)) as (port, lines):
        output = "\n".join(lines)
        assert "loaded: MSS deployment timeline" in output
        assert "username:  admin" in output
        assert "password:  " in output
        assert "API token: ulz_" in output
        status, headers = fetch(port, "/")
        assert (status, headers["Location"]) == (302, "/login/?next=/")
        assert fetch(port, "/api/forces/strength")[0] == 401
    began = time.perf_counter()
    with serving(tmp_path, ULINZI_DEMO_DATA=str(shared_data)) as (port, lines):
        assert "password" not in "\n".join(lines)
        assert fetch(port, "/login/")[0] == 200
    print(f"second start served after {time.perf_counter() - began:.1f} s")  # noqa: T201  a figure, not a limit


def test_production_behind_a_trusted_proxy_serves_instead_of_looping(tmp_path):
    production = {"ULINZI_PRODUCTION": "1", "ULINZI_TRUSTED_PROXY": "127.0.0.1"}
    with serving(tmp_path, "--no-demo", **production) as (port, _):
        status, headers = fetch(port, "/login/")
        assert status == 301
        assert headers["Location"].startswith("https://")
        status, headers = fetch(port, "/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
