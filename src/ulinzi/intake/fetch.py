"""Fetching one web page or feed without letting a URL reach into the mission's own network.

A URL given to the server is a request the server makes on someone's behalf (server-side request
forgery, OWASP A10): ``http://169.254.169.254/`` reads a cloud's credentials, ``http://127.0.0.1/``
the admin of a service bound to loopback. So the host is resolved once, every address it
resolves to must be a public one, and the connection goes to the address that was checked, never
to a fresh lookup that a hostile DNS server could answer differently (DNS rebinding). Redirects
are followed by hand, at most three, each checked the same way; the body is read in pieces and
abandoned past ``max_bytes``; one deadline covers the whole exchange, redirects included.

Framework-free; the command line decides whether fetching is allowed at all (it is off unless
``ULINZI_INTAKE_FETCH`` is set, docs/intake.md).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
USER_AGENT = "Ulinzi-intake/1 (mission information; one request per document)"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """The URL was not fetched, or not wholly; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    body: bytes


def refusal_for(address: Address) -> str | None:
    """Why an address may not be fetched from, or None for a public one.

    An IPv4 address written as IPv6 (``::ffff:127.0.0.1``) is judged as the IPv4 address it is.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not globally routable", not address.is_global),
    )
    return next((f"{address} is a {name} address" for name, hit in checks if hit), None)


def resolve(host: str, port: int) -> list[Address]:
    """Every address the host resolves to, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchRefused(f"{host} does not resolve: {error.strerror}") from None
    found: list[Address] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_hosts: Collection[str] = (),
    resolver: Callable[[str, int], Sequence[Address]] = resolve,
) -> Fetched:
    """GET ``url``; refuse non-HTTP schemes, non-public addresses (unless the host is in
    ``allow_hosts``), more than three redirects, bodies over ``max_bytes`` and anything slower
    than ``timeout`` seconds in all."""
    deadline = time.monotonic() + timeout
    allowed = {host.lower() for host in allow_hosts}
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        response, connection = _request(current, deadline, allowed, resolver)
        try:
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchRefused(f"HTTP {response.status} redirect without a Location")
                current = urljoin(current, location)
                continue
            if not 200 <= response.status < 300:
                raise FetchRefused(f"HTTP {response.status} {response.reason}")
            body = _read_body(response, connection, max_bytes, deadline)
            return Fetched(url, current, response.getheader("Content-Type", ""), body)
        finally:
            connection.close()
    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")


def _request(
    url: str, deadline: float, allowed: set[str], resolver: Callable[[str, int], Sequence[Address]]
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'}")
    if parts.username or parts.password:
        raise FetchRefused("a URL with a user name or password is not fetched")
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchRefused("the URL names no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchRefused("the URL's port is not a number from 0 to 65535") from None
    address = _checked_address(host, port, allowed, resolver)
    remaining = _remaining(deadline)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(host, port, address, timeout=remaining)
    else:
        connection = _PinnedHTTPConnection(host, port, address, timeout=remaining)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        return connection.getresponse(), connection
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise FetchRefused(f"{host}: {_plain(error)}") from None


def _checked_address(
    host: str, port: int, allowed: set[str], resolver: Callable[[str, int], Sequence[Address]]
) -> Address:
    """The address to connect to: every address of the host must be public, unless it is allowed."""
    try:
        addresses: Sequence[Address] = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = resolver(host, port)
    if not addresses:
        raise FetchRefused(f"{host} does not resolve")
    if host not in allowed:
        for address in addresses:
            refusal = refusal_for(address)
            if refusal is not None:
                raise FetchRefused(f"{host}: {refusal}; only public addresses are fetched")
    return addresses[0]


def _read_body(
    response: http.client.HTTPResponse, connection: http.client.HTTPConnection, max_bytes: int, deadline: float
) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(f"the body is {int(declared):,} bytes, above the {max_bytes:,}-byte limit")
    pieces: list[bytes] = []
    total = 0
    while True:
        if connection.sock is not None:
            connection.sock.settimeout(_remaining(deadline))
        try:
            piece = response.read(CHUNK)
        except (OSError, http.client.HTTPException) as error:
            raise FetchRefused(f"reading the body failed: {_plain(error)}") from None
        if not piece:
            return b"".join(pieces)
        total += len(piece)
        if total > max_bytes:
            raise FetchRefused(f"the body is larger than the {max_bytes:,}-byte limit")
        pieces.append(piece)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused("the time allowed for fetching ran out")
    return left


def _plain(error: BaseException) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    return str(error) or type(error).__name__


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Speaks to ``host`` (its Host header) at the address that was checked, not a new lookup."""

    def __init__(self, host: str, port: int, address: Address, *, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with the certificate checked against the host name (SNI too), not the address."""

    def __init__(self, host: str, port: int, address: Address, *, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        plain = socket.create_connection((str(self.address), self.port), self.timeout)
        self.sock = self._context.wrap_socket(plain, server_hostname=self.host)  # type: ignore[attr-defined]  # the context HTTPSConnection keeps
