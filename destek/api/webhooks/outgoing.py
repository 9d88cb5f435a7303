"""One POST to a webhook URL, with the SSRF guard: http(s) only, the host's every address must
be public (loopback and private networks only where the settings allow them: debug and tests),
the connection goes to the address that was checked (no second DNS answer), redirects are not
followed and every step has a timeout."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeURL(ValueError):
    """The URL may not be called: wrong scheme, or an address inside our network."""


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if settings.WEBHOOK_ALLOW_PRIVATE and (address.is_loopback or address.is_private):
        return True
    return address.is_global and not address.is_multicast


def resolve(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, checked address) for ``url``, or UnsafeURL."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeURL("only http and https URLs")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeURL(f"cannot resolve {parts.hostname}") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses or not all(_allowed(address) for address in addresses):
        raise UnsafeURL(f"{parts.hostname} is not a public address")
    return parts.scheme, parts.hostname, port, str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, address: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, address: str, *args, **kwargs) -> None:
        super().__init__(*args, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    try:
        scheme, host, port, address = resolve(url)
    except UnsafeURL as exc:
        return Outcome(None, str(exc))
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(address, host, port, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # drain a little; the answer's body is not kept
        return Outcome(response.status)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:255])
    finally:
        connection.close()
