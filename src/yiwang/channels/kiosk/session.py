"""The kiosk's own short sign-in, kept apart from the portal's.

A kiosk PIN is weaker than the web password, so signing in at a kiosk does not log the user into
Django's auth (the portal stays signed out); the session only remembers whose applications the kiosk
may show. kiosk.js signs out after `YIWANG_KIOSK_IDLE_SECONDS` without a touch (touches that make no
request ping the server); the server ends the session on its own a few seconds after the same time
without a request — cookie and server record both — should the screen fail to. Like every portal
session, it also ends when the account's session auth hash changes: 退出所有设备 raises the account's
session epoch, and a new password changes it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.policy import Permission, declare

SESSION_KEY = "kiosk_user_id"
HASH_KEY = "kiosk_user_hash"
# The server keeps the session this much longer than the screen waits, so that kiosk.js's own
# sign-out still finds the session and deletes it, rather than leaving an expired row behind.
GRACE_SECONDS = 10


def idle_seconds() -> int:
    return max(1, int(settings.YIWANG_KIOSK_IDLE_SECONDS))


def _keep_alive(request: HttpRequest) -> None:
    request.session.set_expiry(idle_seconds() + GRACE_SECONDS)


def kiosk_session_start(request: HttpRequest, user: User) -> None:
    request.session.cycle_key()  # a new session id at sign-in: nobody can plant one beforehand
    request.session[SESSION_KEY] = user.pk
    request.session[HASH_KEY] = user.get_session_auth_hash()
    _keep_alive(request)


def kiosk_session_end(request: HttpRequest) -> None:
    request.session.flush()


def kiosk_user(request: HttpRequest) -> User | None:
    """The citizen signed in at this kiosk, if any; each request keeps the session alive again."""
    if not hasattr(request, "_kiosk_user"):
        user = None
        pk = request.session.get(SESSION_KEY)
        if pk is not None:
            user = User.objects.filter(pk=pk, is_active=True, kind=UserKind.PERSON).first()
            if user is not None and not constant_time_compare(
                request.session.get(HASH_KEY, ""), user.get_session_auth_hash()
            ):
                user = None  # signed out everywhere, or a new password, since the kiosk sign-in
            if user is None:
                request.session.flush()
            else:
                _keep_alive(request)
        request._kiosk_user = user  # type: ignore[attr-defined]
    return request._kiosk_user  # type: ignore[attr-defined, no-any-return]


def kiosk_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a kiosk visitor who is not signed in to the kiosk's sign-in, then back here."""

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kiosk_user(request) is None:
            return redirect(f"{reverse('kiosk:login')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    # The kiosk's own sign-in (ID number + PIN), separate from the portal's session login.
    return declare(Permission.KIOSK_SELF)(wrapper)
