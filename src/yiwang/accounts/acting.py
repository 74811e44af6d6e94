"""Acting for a legal person (企业身份切换): a natural person with a mandate works in the company's name.

Pages: the choice is kept in the session (`ACTING_SESSION_KEY`) and `ActingEntityMiddleware` makes
`request.user` the company for the request, keeping the person as `request.acting_person`. API: the
header `X-Acting-Entity: <USCC>` does the same for one call (`entity_for_request`). Either way the
mandate is checked on every request, so a revoked mandate ends the switch at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.policy import PolicyForbidden
from yiwang.accounts.selectors import is_real_name_verified, mandate_for, mandates_of

ACTING_SESSION_KEY = "yiwang_acting_entity"
ACTING_HEADER = "HTTP_X_ACTING_ENTITY"


def may_act(person: User) -> bool:
    """Only a verified natural person acts for companies: a mandate is a real person's."""
    return person.kind == UserKind.PERSON and is_real_name_verified(person)


def acting_start(request: HttpRequest, *, person: User, entity_id: int) -> User:
    """Switch the session to the company `entity_id`; 403 without an open mandate."""
    mandate = mandate_for(person, entity_id) if may_act(person) else None
    if mandate is None:
        raise PolicyForbidden("no_mandate", "您没有该企业的授权，不能以企业身份办理")
    request.session[ACTING_SESSION_KEY] = mandate.entity_id
    return mandate.entity


def acting_stop(request: HttpRequest) -> None:
    request.session.pop(ACTING_SESSION_KEY, None)


def entity_for_request(request: HttpRequest, person: User) -> User:
    """The API caller: the company named by X-Acting-Entity (403 without a mandate), else the person."""
    uscc = request.META.get(ACTING_HEADER, "").strip().upper()
    if not uscc:
        return person
    mandate = mandates_of(person).filter(entity__uscc=uscc).first() if may_act(person) else None
    if mandate is None:
        raise PolicyForbidden("no_mandate", "X-Acting-Entity：您没有该统一社会信用代码所属企业的授权")
    request.acting_person = person  # type: ignore[attr-defined]
    return mandate.entity


class ActingEntityMiddleware:
    """After authentication: the session's chosen company becomes `request.user` while its mandate holds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Not for API calls with a Bearer token (X-Acting-Entity serves them), nor without a session
        # cookie: neither should cost a session read.
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        bearer = request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")
        entity_id = request.session.get(ACTING_SESSION_KEY) if has_session and not bearer else None
        if entity_id is not None:
            person = request.user
            mandate = (
                mandate_for(person, entity_id)  # type: ignore[arg-type]
                if person.is_authenticated and may_act(person)  # type: ignore[arg-type]
                else None
            )
            if mandate is None:
                acting_stop(request)
            else:
                request.acting_person = person  # type: ignore[attr-defined]
                request.user = mandate.entity
        return self.get_response(request)


def signed_in_account(request: HttpRequest) -> User:
    """The account that signed in (the person), whoever it is working for now: for sign-out and security."""
    return getattr(request, "acting_person", None) or request.user  # type: ignore[return-value]
