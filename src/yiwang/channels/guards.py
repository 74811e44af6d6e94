"""Page guards over the one policy (accounts.policy): sign in first, then the permission, else a
403 page that says who the page is for. Every page view carries one of these, or `public`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission, allows, declare, who_may
from yiwang.accounts.policy import public as public  # re-exported: pages import their guards here

View = Callable[..., HttpResponseBase]
Forbidden = Callable[[HttpRequest, str], HttpResponse]


def portal_forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "channels/portal/forbidden.html", {"message": message, "nav": "mine"}, status=403)


def page_requires(
    permission: Permission, *, forbidden: Forbidden = portal_forbidden
) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allows(request.user, permission):
                return denied(forbidden(request, f"此页面仅供{who_may(permission)}使用。"))
            return view(request, *args, **kwargs)

        return declare(permission)(guarded)

    return decorate


def denied(response: HttpResponse) -> HttpResponse:
    """Mark a 403 as the policy's (not an object rule's): for operators reading logs, and tests."""
    response["X-Denied-By"] = "policy"
    return response


def current_user(request: HttpRequest) -> User:
    """The signed-in account (the views behind `applicant_required` are never anonymous)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("not signed in")
    return user
