"""Sign-in by ID number or mobile number (实名登录): found through blind indexes, never stored as a name."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.http import HttpRequest

from yiwang.accounts.models import User, UserKind
from yiwang.core import protection

# The shape only: a mistyped number must not be kept in clear by the lockout counter either.
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE_SHAPE = re.compile(r"1[3-9][0-9]{9}")


def _looks_like_id_number(text: str) -> bool:
    return bool(_ID_SHAPE.fullmatch(protection.normalise(text)))


def _holders(number: str) -> list[str]:
    """Usernames of the accounts an ID number (or a mobile number) signs in: a verified one first, then
    the unverified ones (several may hold a number until its owner verifies one)."""
    lookup = {"mobile": number} if _MOBILE_SHAPE.fullmatch(number) else {"id_number": number}
    return list(
        User.objects.filter(kind=UserKind.PERSON, **lookup)
        .order_by(F("real_name_verified_at").desc(nulls_last=True), "id")
        .values_list("username", flat=True)[:4]
    )


def _is_number(login: str) -> bool:
    """An ID number or a mobile number: both sign a natural person in, through their blind indexes."""
    return _looks_like_id_number(login) or bool(_MOBILE_SHAPE.fullmatch(login.strip()))


def account_username(login: str) -> str:
    """The username an entered login stands for: an ID number held by one account becomes its
    username; a number held by several (or none) is counted under a keyed digest, never in clear."""
    if not login or not _is_number(login):
        return login
    number = protection.normalise(login)
    holders = _holders(number)
    return holders[0] if len(holders) == 1 else f"id:{protection.blind_index(number)[:24]}"


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
        if username and _is_number(username):
            # The password tells which of the accounts holding the number is the caller's.
            for holder in _holders(protection.normalise(username)) or [username]:
                user = super().authenticate(request, username=holder, password=password, **kwargs)
                if user is not None:
                    return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
