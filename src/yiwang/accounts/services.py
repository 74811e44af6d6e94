"""Account writes: API tokens, signing out everywhere."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from yiwang.accounts.models import ApiToken, User
from yiwang.accounts.tokencache import token_cache
from yiwang.core.compiled import Compiled
from yiwang.core.errors import DomainError


class AuthenticationFailed(DomainError):
    status = 401


class LockedOut(DomainError):
    status = 429


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_token_issue(*, request: HttpRequest | None, username: str, password: str) -> tuple[str, ApiToken]:
    """签发令牌: check the password, return the clear token once (only its digest is kept)."""
    try:
        user = authenticate(request, username=username, password=password)
    except PermissionDenied as exc:  # django-axes: too many failures for this account
        raise LockedOut(
            "account_locked",
            f"登录失败次数过多，账号已暂时锁定，请 {settings.AXES_COOLOFF_TIME.seconds // 60} 分钟后再试",
        ) from exc
    if user is None or not user.is_active:
        raise AuthenticationFailed("invalid_credentials", "用户名或密码错误")
    # A token is a login: last_login is kept and the lockout's failure count is reset, as for a page login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(seconds=settings.YIWANG_API_TOKEN_SECONDS)
    record = ApiToken.objects.create(
        user=user, digest=token_digest(token), expires_at=timezone.now() + lifetime
    )
    return token, record


_TOKEN = Compiled(
    lambda digest, now: (
        ApiToken.objects.filter(digest=digest, revoked_at__isnull=True, expires_at__gt=now)
        .select_related("user")
        .only("expires_at", "user")[:1]
    ),
    str,
    datetime,
)


def api_token_user(token: str, *, now: datetime | None = None) -> User | None:
    """The active user a token belongs to, or None when it is unknown, expired or revoked.

    Runs on every API request: from the token cache (accounts.tokencache) when it may be used, else
    one narrow compiled query for the token and its user (digests are unique); the user's department
    and service point load on first use, which only staff paths need.
    """
    digest = token_digest(token)
    now = now or timezone.now()
    cached = token_cache.usable()
    if cached:
        user = token_cache.get(digest, now)
        if user is not None:
            return user
        generation = token_cache.generation
    found = _TOKEN.first(digest, now)
    if found is None or not found.user.is_active:
        return None
    if cached:
        token_cache.put(digest, found.user, found.expires_at, generation)
    return found.user


def api_token_revoke(*, token: str) -> None:
    ApiToken.objects.filter(digest=token_digest(token), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def sign_out_everywhere(*, user: User) -> int:
    """退出所有设备: end every session of the user (pages, kiosk) and revoke every API token.

    Returns how many tokens were revoked. The caller's own session ends too.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
