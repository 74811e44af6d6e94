"""Who may use the portal's applicant pages: signed-in applicants (natural or legal persons), not staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.accounts.policy import Permission
from yiwang.cases.models import Channel
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


# Words in a User-Agent that only phones, tablets and the mobile apps' built-in browsers send, lower
# case. OpenHarmony (HarmonyOS NEXT) tablets send neither "Mobile" nor "Android"; Android tablets send
# no "Mobile".
MOBILE_AGENT_WORDS = (
    "mobi",
    "android",
    "iphone",
    "ipad",
    "ipod",
    "harmonyos",
    "openharmony",
    "micromessenger",
    "alipayclient",
    "dingtalk",
    "windows phone",
)


def channel_of(request: HttpRequest) -> str:
    """申请渠道: 掌上办 (mobile) for phones and tablets, 网上办（PC） (web) otherwise.

    The client hint `Sec-CH-UA-Mobile: ?1` (Chromium browsers) says "phone" even when the User-Agent
    is trimmed; "?0" proves nothing (Android tablets send it), so the User-Agent decides then.
    """
    if request.headers.get("Sec-CH-UA-Mobile", "").strip() == "?1":
        return Channel.MOBILE
    agent = request.headers.get("User-Agent", "").lower()
    return Channel.MOBILE if any(word in agent for word in MOBILE_AGENT_WORDS) else Channel.WEB


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
