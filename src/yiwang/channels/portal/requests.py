"""咨询投诉 on the portal: submit a request (anyone; the 查询码 shown once), follow it by 查询码, and — for
the signed-in submitter — 我的诉求 and each request's page, where an answer is judged 满意 / 不满意 (the
link in the REQUEST_ANSWERED message)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from yiwang.accounts.policy import Permission
from yiwang.cases.models import Channel
from yiwang.channels.guards import current_user, page_requires, public
from yiwang.channels.portal.guards import channel_of, not_found
from yiwang.channels.request_form import (
    JudgeForm,
    applicant,
    intake_page,
    judge,
    request_shown,
    track_page,
)
from yiwang.core.pagination import paginate
from yiwang.feedback import selectors
from yiwang.feedback.models import RequestChannel

MAX_PAGE = 10_000


def request_channel(request: HttpRequest) -> str:
    return RequestChannel.MOBILE if channel_of(request) == Channel.MOBILE else RequestChannel.PORTAL


@public
@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """我要咨询投诉: the form; after it, the number and the 查询码."""
    return intake_page(
        request,
        channel=request_channel(request),
        submitter=applicant(request),
        template="channels/portal/request_new.html",
        receipt_template="channels/portal/request_receipt.html",
        context={"nav": "requests"},
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def request_track(request: HttpRequest) -> HttpResponse:
    """诉求查询: by 查询码, no sign-in; failed codes are throttled per client address."""
    return track_page(
        request,
        template="channels/portal/request_track.html",
        context={"nav": "requests"},
        actor=applicant(request),
    )


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


@page_requires(Permission.REQUESTS_OWN)
@require_safe
def my_requests(request: HttpRequest) -> HttpResponse:
    """我的诉求: the signed-in submitter's requests, newest first."""
    rows = selectors.requests_of_submitter(current_user(request))
    page = paginate(request, rows, _page_number(request))
    context = {
        "nav": "requests",
        "tab": "requests",
        "page": page,
        "rows": [request_shown(r) for r in page.rows],
        "query": request.GET,
    }
    return render(request, "channels/portal/my_requests.html", context)


@page_requires(Permission.REQUESTS_OWN)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One of my requests: its progress, the answer, and 满意 / 不满意 once it is answered."""
    user = current_user(request)
    found = selectors.request_of(user, number[:20])
    if found is None or found.submitter_id != user.pk:
        return not_found(request, "未找到该诉求，或它不是当前登录的账号提交的。")
    form = JudgeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if judge(request, found, form, actor=user) is not None:
            return redirect("portal:request_detail", number=found.number)
        status = 422
    context = {
        "nav": "requests",
        "tab": "requests",
        "found": request_shown(found),
        "judge_form": form,
    }
    return render(request, "channels/portal/request_detail.html", context, status=status)
