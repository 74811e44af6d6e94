"""智能客服 on the portal, phone or desktop (channels.assistant_chat)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from yiwang.channels.assistant_chat import chat
from yiwang.channels.guards import public
from yiwang.channels.portal.guards import channel_of


@public
@require_http_methods(["GET", "POST"])
def assistant(request: HttpRequest) -> HttpResponse:
    return chat(
        request, template="channels/portal/assistant.html", channel=channel_of(request), here=request.path
    )
