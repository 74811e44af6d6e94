"""Sign-in by ID number (实名登录): the number is found through its blind index, never stored as a name."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from yiwang.accounts.models import User, UserKind
from yiwang.core import protection

# The shape only: a mistyped number must not be kept in clear by the lockout counter either.
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def _looks_like_id_number(text: str) -> bool:
    return bool(_ID_SHAPE.fullmatch(protection.normalise(text)))


def account_username(login: str) -> str:
    """The username an entered login stands for: an ID number becomes its account's username."""
    if not login or not _looks_like_id_number(login):
        return login
    number = protection.normalise(login)
    username = User.objects.filter(kind=UserKind.PERSON, id_number=number).values_list("username", flat=True)
    # No such account: count the failures under a keyed digest, not the number itself.
    return username.first() or f"id:{protection.blind_index(number)[:24]}"


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """AXES_USERNAME_CALLABLE: lockouts are per account whichever identifier was typed."""
    login = (credentials or {}).get("username") or (request.POST.get("username") if request else "") or ""
    return account_username(str(login))


class IdentifierBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username:
            username = account_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)
