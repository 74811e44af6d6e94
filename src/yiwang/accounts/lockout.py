"""The answer to a locked-out login: the API's JSON error body, or the portal's page."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        body = {
            "code": "account_locked",
            "message": f"登录失败次数过多，账号已暂时锁定，请 {minutes} 分钟后再试",
        }
        return HttpResponse(
            json.dumps(body, ensure_ascii=False), status=429, content_type="application/json; charset=utf-8"
        )
    return render(request, "channels/locked_out.html", {"minutes": minutes}, status=429)
