"""Who may use the portal's applicant pages: signed-in applicants (natural or legal persons), not staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission
from yiwang.channels.guards import page_requires


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """A friendly 403: what the account is, and where to go instead."""
    return render(request, "channels/portal/forbidden.html", {"message": message, "nav": "mine"}, status=403)


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "channels/not_found.html", {"message": message}, status=404)


def _applicant_forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return forbidden(request)  # the page explains the staff / applicant split in its own words


# Sign-in first (to LOGIN_URL with ?next=), then only applicants; staff get the 403 page.
applicant_required = page_requires(Permission.APPLICATIONS_OWN, forbidden=_applicant_forbidden)


def current_user(request: HttpRequest) -> User:
    """The signed-in account (the views behind `applicant_required` are never anonymous)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("not signed in")
    return user


def channel_of(request: HttpRequest) -> str:
    """申请渠道: 掌上办 (mobile) for phones and tablets, 网上办 (web) otherwise — a plain User-Agent check."""
    agent = request.headers.get("User-Agent", "")
    mobile = ("Mobi", "Android", "iPhone", "iPad", "HarmonyOS", "MicroMessenger", "AlipayClient")
    return "mobile" if any(word in agent for word in mobile) else "web"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
