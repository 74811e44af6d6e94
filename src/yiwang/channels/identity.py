"""身份与实名: switch between "个人" and a company one holds a mandate of, and the real-name page
(实名认证): where the account stands, how to verify it, and online verification where a provider exists."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts.acting import ACTING_SESSION_KEY, acting_start, acting_stop, may_act, signed_in_account
from yiwang.accounts.models import User, UserKind
from yiwang.accounts.policy import Permission, PolicyForbidden, allows
from yiwang.accounts.selectors import REAL_NAME_HOW, is_real_name_verified, mandates_of
from yiwang.accounts.services import real_name_verify_online
from yiwang.accounts.verification import Verdict, get_provider
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.channels.guards import page_requires
from yiwang.core.errors import DomainError
from yiwang.notifications.selectors import unread_count


def identity(request: HttpRequest) -> dict[str, Any]:
    """Context processor: who is signed in, for whom they work now, what they may switch to, and their
    inbox (站内信) with its unread count for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    person = signed_in_account(request)
    if user.kind == UserKind.STAFF:
        return {
            "signed_in_person": person,
            "acting_for": None,
            "mandates": [],
            "real_name_verified": True,
            **_inbox(user, "workbench:messages" if allows(user, Permission.WORKBENCH) else ""),
        }
    acting = person.pk != user.pk
    return {
        **_inbox(user, "portal:messages"),
        "signed_in_person": person,
        "acting_for": user if acting else None,
        "mandates": list(mandates_of(person)) if may_act(person) else [],
        "real_name_verified": is_real_name_verified(person),
        "superseded": person.superseded_at is not None,
    }


def _inbox(user: User, url_name: str) -> dict[str, Any]:
    """The inbox link and its unread count. The count is asked when a page's header shows it, once
    (a fragment, a PDF or a kiosk page never does): one COUNT over the inbox index."""

    @cache
    def unread() -> int:
        return unread_count(user)

    return {"inbox_url": reverse(url_name) if url_name else "", "inbox_unread": unread}


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@page_requires(Permission.ACCOUNT_SELF)
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """切换身份: `entity` = a company's account id to work for it, or "self" for 个人."""
    person = signed_in_account(request)
    choice = request.POST.get("entity", "self")
    if choice == "self" or not choice.isdigit():
        acting_stop(request)
        messages.info(request, f"已切换为个人身份：{person.name}")
        return redirect(_back(request, "/me/applications/"))
    try:
        entity = acting_start(request, person=person, entity_id=int(choice))
    except PolicyForbidden as exc:
        messages.error(request, exc.message)
        return redirect(_back(request, "/me/applications/"))
    messages.success(request, f"已切换为企业身份：{entity.name}（经办人 {person.name}）")
    return redirect(_back(request, "/me/applications/"))


@page_requires(Permission.ACCOUNT_SELF)
@require_http_methods(["GET", "POST"])
def real_name(request: HttpRequest) -> HttpResponse:
    """实名认证: status, the ways to verify, and 在线核验 when the platform has a provider."""
    person: User = signed_in_account(request)
    status = 200
    if request.method == "POST" and not person.is_real_name_verified:
        try:
            verdict = real_name_verify_online(user=person)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status < 500 else 503
        else:
            if verdict == Verdict.MATCH:
                audit.record(
                    action=AuditAction.REAL_NAME_VERIFY,
                    obj=person,
                    actor=person,
                    detail={"method": "provider"},
                )
                messages.success(request, "实名核验通过，账号已完成实名认证。")
                return redirect("channels:real_name")
            messages.error(
                request, "实名核验未通过：账号登记的姓名与公民身份号码不一致。请到政务服务中心窗口办理。"
            )
            status = 422
    person.refresh_from_db()
    context = {
        "nav": "security",
        "person": person,
        "how": REAL_NAME_HOW,
        "online": get_provider() is not None and person.kind == UserKind.PERSON and bool(person.id_number),
        "acting": ACTING_SESSION_KEY in request.session,
    }
    return render(request, "channels/real_name.html", context, status=status)
