"""Safe fetching against a real server on loopback: refused by default, every limit enforced."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ulinzi.intake.fetch import FetchRefused, fetch, refusal_for

PAGE = b"<html><body><p>Port-au-Prince, 3 mars 2025 - Les renforts sont arrives.</p></body></html>"
LOCAL = ("127.0.0.1",)


class Handler(BaseHTTPRequestHandler):
    seen_hosts: list[str] = []

    def do_GET(self) -> None:
        Handler.seen_hosts.append(self.headers.get("Host", ""))
        routes = {
            "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
            "/big": (200, {"Content-Type": "text/plain", "Content-Length": "200000"}, b"x" * 200_000),
            "/to-page": (302, {"Location": "/page"}, b""),
            "/to-private": (302, {"Location": "http://192.168.1.10/admin"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/missing": (404, {}, b"no"),
        }
        if self.path == "/big-unannounced":
            self.send_response(200)
            self.end_headers()  # no length: the reader must stop on its own
            self.wfile.write(b"y" * 200_000)
            return
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests assert on answers, not on a request log."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_server_on_loopback_is_refused_by_default(server):
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.1 is a loopback address"):
        fetch(f"{server}/page", max_bytes=10_000, timeout=5)


def test_an_allowed_host_is_fetched(server):
    fetched = fetch(f"{server}/page", max_bytes=10_000, timeout=5, allow_hosts=LOCAL)
    assert fetched.body == PAGE
    assert fetched.content_type.startswith("text/html")
    assert fetched.final_url == fetched.url == f"{server}/page"


def test_a_redirect_is_followed_and_checked(server):
    fetched = fetch(f"{server}/to-page", max_bytes=10_000, timeout=5, allow_hosts=LOCAL)
    assert (fetched.body, fetched.final_url) == (PAGE, f"{server}/page")


def test_a_redirect_to_a_private_address_is_refused(server):
    with pytest.raises(FetchRefused, match=r"192\.168\.1\.10 is a private address"):
        fetch(f"{server}/to-private", max_bytes=10_000, timeout=5, allow_hosts=LOCAL)


def test_more_than_three_redirects_are_refused(server):
    with pytest.raises(FetchRefused, match="more than 3 redirects"):
        fetch(f"{server}/loop", max_bytes=10_000, timeout=5, allow_hosts=LOCAL)


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_a_body_over_the_limit_is_refused(server, path):
    with pytest.raises(FetchRefused, match="10,000-byte limit"):
        fetch(f"{server}{path}", max_bytes=10_000, timeout=5, allow_hosts=LOCAL)


def test_an_error_status_is_refused(server):
    with pytest.raises(FetchRefused, match="HTTP 404"):
        fetch(f"{server}/missing", max_bytes=10_000, timeout=5, allow_hosts=LOCAL)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a.txt", "gopher://example.org/", "javascript:alert(1)"]
)
def test_a_url_that_is_not_http_is_refused(url):
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch(url, max_bytes=10_000, timeout=5)


def test_a_url_with_credentials_is_refused():
    with pytest.raises(FetchRefused, match="user name or password"):
        fetch("http://user:secret@example.org/", max_bytes=10_000, timeout=5)


def test_the_connection_goes_to_the_checked_address_not_a_new_lookup(server):
    """The name never resolves in real DNS: only the checked address can have been used."""
    port = int(server.rsplit(":", 1)[1])
    Handler.seen_hosts.clear()
    pinned = ipaddress.ip_address("127.0.0.1")
    fetched = fetch(
        f"http://news.invalid:{port}/page",
        max_bytes=10_000,
        timeout=5,
        allow_hosts=("news.invalid",),
        resolver=lambda host, port: [pinned],
    )
    assert fetched.body == PAGE
    assert Handler.seen_hosts == [f"news.invalid:{port}"]


def test_a_host_with_one_private_address_among_public_ones_is_refused():
    answers = [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.1.2.3")]
    with pytest.raises(FetchRefused, match=r"10\.1\.2\.3 is a private address"):
        fetch("http://mixed.invalid/", max_bytes=10_000, timeout=5, resolver=lambda host, port: answers)


def test_a_server_that_never_answers_runs_out_of_time():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()  # accepted by the kernel, never read: the request hangs
    try:
        with pytest.raises(FetchRefused, match=r"timed out|ran out"):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", max_bytes=10_000, timeout=0.3, allow_hosts=LOCAL)
    finally:
        listener.close()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0",  # noqa: S104  an address refused, not bound
        "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1",
    ],
)  # fmt: skip
def test_every_kind_of_non_public_address_is_refused(address):
    assert refusal_for(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert refusal_for(ipaddress.ip_address(address)) is None
