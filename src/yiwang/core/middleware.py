"""Request hygiene shared by pages and the API."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")


class RejectNulBytesMiddleware:
    """400 for any NUL character in the path, query or a text body.

    No field of ours can hold one, PostgreSQL cannot store one in text, and a NUL is a classic way
    to cut a string short in another system. Binary uploads (multipart) may contain them legitimately.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            body = {"code": "malformed_request", "message": "请求中含有不允许的空字符（NUL）"}
            return HttpResponse(
                json.dumps(body, ensure_ascii=False),
                status=400,
                content_type="application/json; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(_TEXT_BODIES):
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        return False
