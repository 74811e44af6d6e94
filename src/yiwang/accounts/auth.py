"""API authentication: `Authorization: Bearer <token>`, or the page session (with CSRF) for the portal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from yiwang.accounts.acting import entity_for_request
from yiwang.accounts.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            user = entity_for_request(request, user)  # X-Acting-Entity: a company the person acts for
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The page session; the class keeps ninja's name, which is the OpenAPI security scheme's.

    CSRF guards a session's cookie, so it is checked only when there is a session user: a call with no
    credentials at all is 401 (not ninja's 403 "CSRF check Failed").
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# Handlers that need a logged-in caller use `auth=api_auth`; ninja tries each in turn.
api_auth = [BearerToken(), SessionAuth()]
