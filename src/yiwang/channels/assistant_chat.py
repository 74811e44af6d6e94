"""智能客服 pages: the portal's (phone and desktop) and the kiosk's, on the same conversation service
as `POST /api/v1/assistant/messages`. Plain forms, so they work without JavaScript: each message is a
POST, the conversation so far is kept in the session, and the page is shown again (POST/redirect/GET).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yiwang.assistant.conversation import MAX_TEXT, Reply, assistant_reply, message_allowed
from yiwang.audit.context import client_ip
from yiwang.core.errors import DomainError, NotFound

SESSION_KEY = "assistant"
KEPT_MESSAGES = 30
FOLLOW_UPS = ["要带什么材料", "要多久", "在哪里办", "能网上办吗"]


class MessageForm(forms.Form):
    text = forms.CharField(
        label="您的问题",
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.TextInput(attrs={"placeholder": "如：身份证丢了怎么办", "autocomplete": "off"}),
    )


def _shown(reply: Reply) -> dict[str, Any]:
    """What the page shows of a reply (kept in the session, so only plain data)."""
    service = reply.service or {}
    return {
        "who": "assistant",
        "kind": reply.kind,
        "text": reply.text,
        "service": {
            "kind": service.get("kind", ""),
            "code": service.get("code", ""),
            "name": service.get("name", ""),
            "guide_url": service.get("guide_url", ""),
            "apply_url": (service.get("online") or {}).get("apply_url") or "",
        }
        if service
        else None,
        "choices": [c["name"] for c in reply.choices] if reply.kind == "choices" else [],
        "options": [o["label"] for o in reply.options],
    }


def _ask(request: HttpRequest, kept: dict[str, Any], text: str, channel: str) -> Reply:
    user = request.user if request.user.is_authenticated else None
    if kept["conversation"]:
        try:
            return assistant_reply(
                text=text, conversation_id=uuid.UUID(kept["conversation"]), user=user, channel=channel
            )
        except NotFound:  # the conversation is gone (a database restored): start afresh
            kept["conversation"], kept["messages"] = None, []
    return assistant_reply(text=text, user=user, channel=channel)


def chat(request: HttpRequest, *, template: str, channel: str, here: str) -> HttpResponse:
    """Show the conversation; a POST asks one message (or `restart` begins a new conversation)."""
    kept: dict[str, Any] = request.session.get(SESSION_KEY) or {"conversation": None, "messages": []}
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and "restart" in request.POST:
        request.session.pop(SESSION_KEY, None)
        return redirect(here)
    if request.method == "POST":
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                message_allowed(client_ip(request))
                reply = _ask(request, kept, text, channel)
            except DomainError as exc:
                form.add_error("text", exc.message)
                status = exc.status
            else:
                kept["conversation"] = str(reply.conversation.pk)
                kept["messages"] = [*kept["messages"], {"who": "me", "text": text}, _shown(reply)][
                    -KEPT_MESSAGES:
                ]
                request.session[SESSION_KEY] = kept
                return redirect(f"{here}#latest")
        else:
            status = 422
    context = {
        "nav": "assistant",
        "form": form,
        "messages_shown": kept["messages"],
        "follow_ups": FOLLOW_UPS if kept["messages"] else [],
        "here": here,
    }
    return render(request, template, context, status=status)
