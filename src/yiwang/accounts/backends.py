"""Sign-in by ID number or mobile number (实名登录): found through blind indexes, never stored as a name."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.http import HttpRequest

from yiwang.accounts import policy
from yiwang.accounts.models import User, UserKind
from yiwang.core import protection

# The shape only: a login of this shape names the accounts holding the number (`login_accounts`).
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


def login_accounts(login: str) -> list[str]:
    """The usernames a typed login may sign in: the accounts holding an ID or mobile number (verified
    first), else the login itself (a username, or a number nobody holds, normalised). The sign-in
    throttle (accounts.lockout) counts per account through this, whichever identifier was typed."""
    if login and _is_number(login):
        number = protection.normalise(login)
        return _holders(number) or [number]
    return [login]


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
            for holder in login_accounts(username):
                user = super().authenticate(request, username=holder, password=password, **kwargs)
                if user is not None:
                    return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        """The policy's permissions (`policy.<name>`) for any user, the anonymous one too."""
        allowed = policy.allows_perm(user_obj, perm)
        return super().has_perm(user_obj, perm, obj) if allowed is None else allowed
