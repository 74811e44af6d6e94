"""评价办件 (一事一评) on the portal and the phone: `/rate/<办件编号>/`.

Opened from the link in the 办结 SMS or inbox message (`?t=` carries the signed case number, which
stands for the applicant: no sign-in needed), or by the signed-in applicant from the application page.
Without a token the page is the applicant's only: sign in first, then their own cases (404 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission, declare
from yiwang.cases.access import is_own_application, visible_cases
from yiwang.cases.models import Case, Channel
from yiwang.cases.notify import case_number_of_rate_token
from yiwang.channels.guards import page_requires
from yiwang.channels.portal.guards import channel_of, not_found
from yiwang.channels.rating_form import rating_page
from yiwang.feedback.models import RatingChannel

TOKEN_MAX = 300


def rate_url(number: str) -> str:
    return reverse("portal:rate", args=[number])


def rating_channel(request: HttpRequest) -> str:
    """移动端 for phones and tablets (and the apps' browsers), PC端 otherwise."""
    return RatingChannel.MOBILE if channel_of(request) == Channel.MOBILE else RatingChannel.PC


def _token(request: HttpRequest) -> str:
    return request.GET.get("t", "")[:TOKEN_MAX]


def link_or_applicant(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The link's token lets anyone holding it in; without one, the policy's RATE (sign in first)."""
    signed_in = page_requires(Permission.RATE)(view)

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _token(request):
            return view(request, *args, **kwargs)
        return signed_in(request, *args, **kwargs)  # type: ignore[return-value]

    return declare(Permission.RATE)(guarded)


def _bad_link(request: HttpRequest) -> HttpResponse:
    context = {"next": request.path}
    return render(request, "channels/portal/rate_link_invalid.html", context, status=403)


@link_or_applicant
@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, number: str) -> HttpResponse:
    token = _token(request)
    user = request.user if isinstance(request.user, User) and request.user.is_authenticated else None
    cases = Case.objects.select_related("application", "item_version", "department")
    if token:
        if case_number_of_rate_token(token) != number:
            return _bad_link(request)
        case = cases.filter(number=number).first()
    else:
        assert user is not None
        case = (
            visible_cases(user)
            .select_related("application", "item_version", "department")
            .filter(number=number)
            .first()
        )
    if case is None:
        return not_found(request, "未找到该办件，或它不属于当前登录的账号。")
    mine = user is not None and is_own_application(user, case.application)
    context = {
        "nav": "mine" if mine else "",
        "application_number": case.application.number if mine else "",
        "via_link": bool(token),
    }
    return rating_page(
        request,
        case,
        rater=user,
        via_link=bool(token),
        channel=rating_channel(request),
        template="channels/portal/rate.html",
        context=context,
    )
