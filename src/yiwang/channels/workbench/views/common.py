"""What every workbench page shares: the staff navigation and the page-number parser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from yiwang.accounts.policy import Permission, allows
from yiwang.accounts.roles import StaffRole

MAX_PAGE = 10_000

# Where each post works, in the order the header lists them, with the permission its page requires:
# a link is shown only to whom the policy lets open it.
NAV: list[tuple[str, str, str, Permission]] = [
    ("desk", "综合窗口", "workbench:desk", Permission.DESK),
    ("queue", "部门办件", "workbench:queue", Permission.QUEUE),
    ("pledges", "承诺核查", "workbench:pledge_checks", Permission.PLEDGE_CHECKS),
    ("overview", "监察总览", "workbench:overview", Permission.OVERVIEW),
    ("hotline", "热线受理", "workbench:hotline", Permission.HOTLINE),
    ("requests", "诉求办理", "workbench:requests", Permission.REQUESTS),
    ("ratings", "差评整改", "workbench:ratings", Permission.RATING_HANDLE),
    ("feedback_oversight", "好差评监察", "workbench:feedback_oversight", Permission.REQUEST_SUPERVISE),
    ("evaluator", "评价器", "workbench:evaluator", Permission.RATING_TABLET),
]


def nav_links(user: Any, current: str) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": label, "url": reverse(name), "current": key == current}
        for key, label, name, permission in NAV
        if allows(user, permission)
    ]


def work_area(user: Any) -> str:
    """The list a post comes to a case or an application from: the breadcrumb leads back to it."""
    for key, permission in (
        ("desk", Permission.DESK),
        ("queue", Permission.QUEUE),
        ("overview", Permission.OVERVIEW),
    ):
        if allows(user, permission):
            return key
    return "home"


def page_context(request: HttpRequest, nav: str, **extra: Any) -> dict[str, Any]:
    links = nav_links(request.user, nav)
    # The breadcrumb's first step: the current area if this user may open it, else the workbench home.
    crumb = next((link for link in links if link["current"]), None)
    return {"nav": nav, "nav_links": links, "crumb": crumb, **extra}


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


def channel_of(user: Any) -> str:
    """The channel an action is recorded under: the window for the comprehensive window; none for departments."""
    return "window" if user.has_role(StaffRole.WINDOW_CLERK) else ""
