"""工作台消息 (站内信): a staff member's deadline warnings (临期、超期) and, for heads, the daily summary;
opening a message reads it and leads to the case or the queue."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from yiwang.channels.inbox import link_label, message_link, message_open
from yiwang.channels.workbench.guards import StaffRequest, not_found, staff_only
from yiwang.channels.workbench.views.common import page_context, page_number
from yiwang.core.errors import NotFound
from yiwang.core.pagination import paginate
from yiwang.notifications import selectors, services
from yiwang.notifications.models import MessageKind

# The colour of each kind's badge (workbench.css badge classes); a badge always carries its words.
KIND_TONE: dict[str, str] = {
    MessageKind.DEADLINE_RED: "bad",
    MessageKind.DEADLINE_YELLOW: "warn",
    MessageKind.DAILY_SUMMARY: "info",
}
TABS = [("", "全部"), ("1", "未读")]


@staff_only()
@require_safe
def inbox(request: StaffRequest) -> HttpResponse:
    """消息: newest first, unread ones marked; `?unread=1` shows only those."""
    unread_only = request.GET.get("unread") == "1"
    page = paginate(
        request, selectors.inbox(request.user, unread_only=unread_only), page_number(request.GET.get("page"))
    )
    rows = [
        {"message": m, "unread": m.read_at is None, "tone": KIND_TONE.get(m.kind, "muted")} for m in page.rows
    ]
    context = page_context(
        request,
        "messages",
        rows=rows,
        page=page,
        tabs=[{"value": v, "label": label, "current": (v == "1") == unread_only} for v, label in TABS],
        unread_only=unread_only,
        query=request.GET,
    )
    return render(request, "channels/workbench/messages.html", context)


@staff_only()
@require_safe
def message(request: StaffRequest, message_id: int) -> HttpResponse:
    """One message, marked read now that it is open, with a button to the case or the queue."""
    found = message_open(request.user, message_id)
    if found is None:
        return not_found(request, NotFound("未找到该消息", code="message_not_found"))
    context = page_context(
        request,
        "messages",
        message=found,
        tone=KIND_TONE.get(found.kind, "muted"),
        link=message_link(found),
        link_label=link_label(found),
    )
    return render(request, "channels/workbench/message.html", context)


@staff_only()
@require_POST
def read_all(request: StaffRequest) -> HttpResponse:
    """全部标为已读."""
    marked = services.messages_mark_all_read(user=request.user)
    messages.success(request, f"已将 {marked} 条消息标为已读。" if marked else "没有未读消息。")
    return redirect("workbench:messages")
