"""Where the current request comes from, for audit entries written deep inside services.

`AuditContextMiddleware` puts the request, its client address, user agent and channel in a context
variable for the length of the request, so `audit.services.record` needs no request argument. The
user is read from the request when an entry is written, not when it arrives: the API's Bearer
authentication sets `request.user` only inside the view.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from yiwang.audit.models import AuditChannel

USER_AGENT_MAX = 300
# Entry points by path prefix; anything else is the public portal.
CHANNEL_PREFIXES = [
    ("/api/", AuditChannel.API),
    ("/workbench/", AuditChannel.WORKBENCH),
    ("/admin/", AuditChannel.ADMIN),
    ("/kiosk/", AuditChannel.KIOSK),
]


@dataclass(frozen=True)
class RequestContext:
    request: HttpRequest | None
    ip_address: str
    user_agent: str
    channel: str


SYSTEM = RequestContext(request=None, ip_address="", user_agent="", channel=AuditChannel.SYSTEM)
_current: ContextVar[RequestContext] = ContextVar("yiwang_audit_context", default=SYSTEM)


def current() -> RequestContext:
    return _current.get()


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The peer's address; behind a proxy listed in YIWANG_TRUSTED_PROXIES, the nearest address in
    X-Forwarded-For that is not one of ours (read from the right: the left end is whatever the client
    chose to send)."""
    networks = _networks(tuple(getattr(settings, "YIWANG_TRUSTED_PROXIES", ())))
    peer = _address(request.META.get("REMOTE_ADDR", ""))

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in networks)

    if trusted(peer):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break  # a malformed hop: trust nothing further left
            peer = address
            if not trusted(address):
                break
    return str(peer) if peer is not None else ""


def channel_of(path: str) -> str:
    return next(
        (channel for prefix, channel in CHANNEL_PREFIXES if path.startswith(prefix)), AuditChannel.PORTAL
    )


class AuditContextMiddleware:
    """Binds the request's origin for audit entries; cleared when the response is returned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(
            RequestContext(
                request=request,
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
                channel=channel_of(request.path),
            )
        )
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


@contextmanager
def command_context() -> Iterator[None]:
    """Entries written inside are marked as coming from the command line, not a sweep."""
    token = _current.set(
        RequestContext(request=None, ip_address="", user_agent="", channel=AuditChannel.COMMAND)
    )
    try:
        yield
    finally:
        _current.reset(token)
