"""What every workbench page shares: the staff navigation and the page-number parser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from yiwang.catalog.codes import StaffRole

MAX_PAGE = 10_000

# Where each post works, in the order the header lists them.
NAV: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("desk", "综合窗口", "workbench:desk", (StaffRole.WINDOW_CLERK,)),
    ("queue", "部门办件", "workbench:queue", (StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD)),
    (
        "pledges",
        "承诺核查",
        "workbench:pledge_checks",
        (StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD, StaffRole.SUPERVISOR),
    ),
    ("overview", "监察总览", "workbench:overview", (StaffRole.SUPERVISOR,)),
]


def nav_links(user: Any, current: str) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": label, "url": reverse(name), "current": key == current}
        for key, label, name, roles in NAV
        if any(user.has_role(role) for role in roles)
    ]


def page_context(request: HttpRequest, nav: str, **extra: Any) -> dict[str, Any]:
    return {"nav": nav, "nav_links": nav_links(request.user, nav), **extra}


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


def channel_of(user: Any) -> str:
    """The channel an action is recorded under: the window for the comprehensive window; none for departments."""
    return "window" if user.has_role(StaffRole.WINDOW_CLERK) else ""
