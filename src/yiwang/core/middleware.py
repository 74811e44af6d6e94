"""Request hygiene shared by pages and the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.urls import Resolver404, resolve
from django.utils.html import format_html, format_html_join

from yiwang.core.text import json_needs_check, json_text_problems, pairs_text_problems, printable

_JSON_BODIES = ("application/json",)
_FORM_BODIES = ("application/x-www-form-urlencoded",)
_TEXT_BODIES = ("text/",)
API_PREFIX = "/api/"


def _answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


INVALID_TEXT = "请求中含有无法接受的文字"


def _invalid_text(request: HttpRequest, fields: dict[str, list[str]]) -> HttpResponse:
    """The API's error body; a person at a page gets a page that names the fields to correct."""
    if request.path_info.startswith(API_PREFIX):
        return _answer(422, {"code": "invalid_text", "message": INVALID_TEXT, "fields": fields})
    items = format_html_join("", "<li>{}：{}</li>", ((name, "；".join(ms)) for name, ms in fields.items()))
    page = format_html(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title></head>'
        "<body><main><h1>{}</h1><p>请修改以下内容后重新提交（可能是从其他软件粘贴时带入了不可见的字符）：</p>"
        '<ul>{}</ul><p><a href="javascript:history.back()">返回上一页</a></p></main></body></html>',
        INVALID_TEXT,
        INVALID_TEXT,
        items,
    )
    return HttpResponse(page, status=422, content_type="text/html; charset=utf-8")


class TextInputMiddleware:
    """422 `invalid_text`, naming each field, for text no field of ours can hold (core.text): a NUL or a
    lone surrogate anywhere in the path, the query or a JSON or form body, or an over-long string in a
    JSON body or the query. Runs before any view, so every API operation and page form is covered once.

    A multipart body is read only once the view is known (process_view): an API upload is parsed by its
    handler, whose upload limits answer in the API's error body; a page's, by the CSRF check next anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refusal = self._refusal(request)
        except RequestDataTooBig:
            refusal = _answer(413, {"code": "too_large", "message": "请求体过大"})
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if "\x00" in request.path_info:
            return self._path_refusal(request)
        fields = pairs_text_problems(request.GET.lists())
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(_JSON_BODIES) or content_type.split(";")[0].endswith("+json"):
            fields.update(self._json_problems(request.body))
        elif content_type.startswith(_FORM_BODIES):
            # The length cap is the JSON API's: page forms state their own limits (and the admin edits
            # JSON documents longer than any single API string).
            fields.update(pairs_text_problems(request.POST.lists(), max_length=None))
        elif content_type.startswith(_TEXT_BODIES) and b"\x00" in request.body:
            return _answer(400, {"code": "malformed_request", "message": "请求体中含有不允许的空字符（NUL）"})
        return _invalid_text(request, fields) if fields else None

    def process_view(self, request: HttpRequest, *args: Any) -> HttpResponse | None:
        """The text fields of a page's multipart form (its files may hold anything)."""
        if (
            request.method != "POST"
            or request.path_info.startswith(API_PREFIX)
            or not request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        ):
            return None
        try:
            fields = pairs_text_problems(request.POST.lists(), max_length=None)
        except UnreadablePostError:
            return None  # the client went away: the CSRF check answers that, as it would without us
        return _invalid_text(request, fields) if fields else None

    @staticmethod
    def _json_problems(body: bytes) -> dict[str, list[str]]:
        if not json_needs_check(body):
            return {}
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return {}  # not JSON at all: the API's parser answers that (400 malformed_request)
        return json_text_problems(data)

    @staticmethod
    def _path_refusal(request: HttpRequest) -> HttpResponse:
        """A NUL in the address: named after the path parameter holding it, when the address is one."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        names = [name for name, value in (match.kwargs.items() if match else ()) if "\x00" in str(value)]
        if not names:
            return _answer(
                400, {"code": "malformed_request", "message": "请求地址中含有不允许的空字符（NUL）"}
            )
        return _invalid_text(request, {printable(name): ["不能含有空字符（NUL）"] for name in names})


_API_ERRORS = {
    400: ("malformed_request", "请求格式错误"),
    401: ("not_authenticated", "请先登录或提供有效的访问令牌"),
    403: ("forbidden", "无权执行"),
    404: ("not_found", "接口地址不存在"),
    405: ("method_not_allowed", "该接口不支持此请求方法"),
    413: ("too_large", "请求体过大"),
    500: ("server_error", "服务器内部错误，请稍后再试"),
}


class ApiErrorBodyMiddleware:
    """Every error of the API in its error body (shared/API.md), also those answered before or around
    it: an unknown API address (the site's 404 page), a method it does not take (ninja's plain text),
    Django's 400 for a suspicious request and the 500 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.streaming
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = _API_ERRORS.get(response.status_code, ("error", "请求未能完成"))
        kept = {
            name: response[name] for name in ("Allow", "Retry-After", "WWW-Authenticate") if name in response
        }
        return _answer(response.status_code, {"code": code, "message": message}, kept)
