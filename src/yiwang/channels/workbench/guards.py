"""Who may open a workbench page: signed-in staff, and for some pages staff in given posts.

Which cases and applications they see, and what they may do to them, is the case engine's
policy (`cases.access`); these guards only keep applicants and the wrong posts off staff pages
with a page that says why, instead of a bare 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.policy import Permission, who_may
from yiwang.channels.guards import denied, page_requires
from yiwang.core.errors import DomainError

View = Callable[..., HttpResponseBase]


class StaffRequest(HttpRequest):
    """A request that passed `staff_only`: its user is a signed-in staff member."""

    user: User


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "channels/workbench/forbidden.html", {"message": message}, status=403)


def not_found(request: HttpRequest, error: DomainError | None = None) -> HttpResponse:
    message = error.message if error else "未找到该页面"
    return render(request, "channels/workbench/not_found.html", {"message": message}, status=404)


def is_staff_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.kind == UserKind.STAFF)


NOT_STAFF = "工作台仅供政务服务工作人员使用。办事请前往一网通办门户，或到政务服务中心综合窗口办理。"


def staff_only(permission: Permission = Permission.WORKBENCH, *, why: str = "") -> Callable[[View], View]:
    """Signed-in staff whose post holds `permission` (accounts.policy); others get a page saying why
    (`why`, else who the page is for). Applicants are turned away even where the permission is also
    theirs (DOCUMENT_READ: their own uploads, read through the portal and the API)."""

    def refuse(request: HttpRequest, message: str) -> HttpResponse:
        if not is_staff_user(request.user):
            return forbidden(request, NOT_STAFF)
        return forbidden(request, why or f"此页面仅供{who_may(permission)}使用，您的岗位没有这项职责。")

    def decorate(view: View) -> View:
        guarded = page_requires(permission, forbidden=refuse)(view)

        @wraps(guarded)  # keeps the declared permission for the policy matrix
        def staff(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not is_staff_user(request.user):
                return denied(forbidden(request, NOT_STAFF))
            return guarded(request, *args, **kwargs)

        return staff

    return decorate
