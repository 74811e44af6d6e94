"""我的消息 (站内信) on the portal: the inbox, one message (opening it reads it), 全部标为已读, and which
messages also come by SMS. The inbox is the account's own: acting for a company, the company's.

Staff read their messages (deadline warnings, summaries) on the workbench: their links lead there."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yiwang.accounts.models import UserKind
from yiwang.accounts.policy import Permission
from yiwang.channels.guards import current_user, page_requires
from yiwang.channels.inbox import link_label, message_link, message_open
from yiwang.channels.portal.guards import not_found
from yiwang.core.errors import ValidationFailed
from yiwang.core.pagination import paginate
from yiwang.notifications import selectors, services
from yiwang.notifications.kinds import CITIZEN_SMS_KINDS
from yiwang.notifications.models import MessageKind

MAX_PAGE = 10_000
# The colour of each kind's badge (portal.css badge classes).
KIND_TONE: dict[str, str] = {
    MessageKind.CASE_ACCEPTED: "badge-blue",
    MessageKind.CASE_REFUSED: "badge-red",
    MessageKind.SUPPLEMENT_REQUESTED: "badge-amber",
    MessageKind.CASE_EXTENDED: "badge-amber",
    MessageKind.CASE_COMPLETED: "badge-green",
}


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


def _is_staff(request: HttpRequest) -> bool:
    return current_user(request).kind == UserKind.STAFF


@page_requires(Permission.ACCOUNT_SELF)
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """我的消息: newest first, unread ones marked; `?unread=1` shows only those."""
    if _is_staff(request):
        return redirect("workbench:messages")
    user = current_user(request)
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.inbox(user, unread_only=unread_only), _page_number(request))
    rows = [
        {"message": m, "unread": m.read_at is None, "tone": KIND_TONE.get(m.kind, "badge-plain")}
        for m in page.rows
    ]
    context = {
        "nav": "messages",
        "tab": "messages",
        "page": page,
        "rows": rows,
        "unread_only": unread_only,
        "query": request.GET,
    }
    return render(request, "channels/portal/messages.html", context)


@page_requires(Permission.ACCOUNT_SELF)
@require_safe
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    """One message, marked read now that it is open, with a button to the page it is about."""
    if _is_staff(request):
        return redirect("workbench:message", message_id=message_id)
    found = message_open(current_user(request), message_id)
    if found is None:
        return not_found(request, "未找到该消息，或它不属于当前登录的账号。")
    context = {
        "nav": "messages",
        "tab": "messages",
        "message": found,
        "tone": KIND_TONE.get(found.kind, "badge-plain"),
        "link": message_link(found),
        "link_label": link_label(found),
    }
    return render(request, "channels/portal/message.html", context)


@page_requires(Permission.ACCOUNT_SELF)
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    """全部标为已读."""
    if _is_staff(request):
        return redirect("workbench:messages")
    marked = services.messages_mark_all_read(user=current_user(request))
    messages.success(request, f"已将 {marked} 条消息标为已读。" if marked else "没有未读消息。")
    return redirect("portal:messages")


class SmsChoicesForm(forms.Form):
    """The kinds of message the account also wants by SMS (checked), of those a citizen may choose."""

    sms = forms.MultipleChoiceField(
        choices=[(kind, MessageKind(kind).label) for kind in CITIZEN_SMS_KINDS],
        required=False,
        error_messages={"invalid_choice": "未知的消息类型：%(value)s，请刷新页面后重新选择。"},
    )


@page_requires(Permission.ACCOUNT_SELF)
@require_http_methods(["GET", "POST"])
def sms_settings(request: HttpRequest) -> HttpResponse:
    """短信通知设置: a checkbox per kind; unchecked kinds are not sent by SMS (the inbox gets them all)."""
    if _is_staff(request):
        return redirect("workbench:messages")  # staff warnings never go by SMS: nothing to choose
    user = current_user(request)
    errors: list[str] = []
    if request.method == "POST":
        form = SmsChoicesForm(request.POST)
        if form.is_valid():
            wanted = set(form.cleaned_data["sms"])
            try:
                services.sms_preference_set(
                    user=user, muted=[k for k in CITIZEN_SMS_KINDS if k not in wanted]
                )
            except ValidationFailed as exc:
                errors = [m for messages_ in exc.fields.values() for m in messages_] or [exc.message]
            else:
                messages.success(request, "短信通知设置已保存。站内信照常接收全部消息。")
                return redirect("portal:message_settings")
        else:
            errors = [str(e) for e in form.errors.get("sms", [])] or ["提交的内容无效，请重新选择。"]
        checked = {k for k in request.POST.getlist("sms") if k in CITIZEN_SMS_KINDS}
    else:
        muted = set(services.sms_muted(user))
        checked = {k for k in CITIZEN_SMS_KINDS if k not in muted}
    context = {
        "nav": "messages",
        "tab": "messages",
        "choices": [
            {"kind": kind, "label": MessageKind(kind).label, "checked": kind in checked}
            for kind in CITIZEN_SMS_KINDS
        ],
        "errors": errors,
    }
    return render(request, "channels/portal/message_settings.html", context, status=422 if errors else 200)
