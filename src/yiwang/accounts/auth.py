"""API authentication: `Authorization: Bearer <token>`, or the page session (with CSRF) for the portal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from yiwang.accounts.acting import entity_for_request
from yiwang.accounts.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            user = entity_for_request(request, user)  # X-Acting-Entity: a company the person acts for
            request.user = user
        return user


# Handlers that need a logged-in caller use `auth=api_auth`; ninja tries each in turn.
api_auth = [BearerToken(), django_auth]
