"""The versioned REST API: one NinjaAPI that mounts each bounded context's router."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from yiwang.accounts.api import router as accounts_router
from yiwang.api.errors import field_errors
from yiwang.api.licence_reads import router as licence_reads_router
from yiwang.assistant.api import router as search_router
from yiwang.cases.api import router as cases_router
from yiwang.cases.pledges_api import router as pledges_router
from yiwang.cases.reports_api import router as reports_router
from yiwang.catalog.api import router as catalog_router
from yiwang.core.errors import DomainError
from yiwang.documents.api import router as documents_router
from yiwang.feedback.api import router as feedback_router
from yiwang.feedback.requests_api import router as requests_router
from yiwang.licences.api import router as licences_router
from yiwang.notifications.api import router as notifications_router
from yiwang.sharing.api import router as sharing_router

ERROR_STATUSES = {
    "400": "请求格式错误",
    "401": "未登录或令牌无效",
    "403": "无权执行",
    "404": "对象不存在或无权查看",
    "409": "状态冲突（不允许的动作，或已被他人处理）",
    "413": "上传内容过大",
    "422": "内容未通过校验（fields 列出每个字段的问题）",
    "429": "请求过于频繁",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "机器可读的错误代码"},
        "message": {"type": "string", "description": "中文说明"},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}


class YiwangAPI(NinjaAPI):
    """Every operation documents the shared error body for every error status, so clients (and the
    schemathesis run in the test suite) can rely on it."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                            },
                        },
                    )
        return schema


class LocalTimeEncoder(NinjaJSONEncoder):
    """Every moment in the site's zone with its offset (+08:00), as shared/API.md promises: the
    database hands back UTC, which the default encoder would write with a "Z"."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class LocalTimeRenderer(JSONRenderer):
    encoder_class = LocalTimeEncoder


api = YiwangAPI(
    title="一网通办 Yiwang API",
    version="1.0.0",
    description="一网通办平台开放接口：事项目录、申办、办件、电子证照。错误体统一为 {code, message, fields}。",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    renderer=LocalTimeRenderer(),
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"  # RFC 9110: a 401 names the scheme that would be accepted
    return response


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = error_response(request, exc.status, exc.code, exc.message, exc.fields)
    retry_after = getattr(exc, "retry_after", None)  # a throttle or a quota says when to come back
    if exc.status == 429 and retry_after:
        response["Retry-After"] = str(int(retry_after))
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(request, 422, "validation_failed", "请求参数未通过校验", field_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "not_authenticated", "请先登录或提供有效的访问令牌")


# ninja's own HttpErrors carry English text ("Cannot parse request body", "CSRF check Failed"); ours are
# DomainErrors, so every HttpError is answered by its status, in Chinese.
_HTTP_ERRORS = {
    400: ("malformed_request", "请求体不是有效的 JSON（须为 UTF-8 编码的 JSON 文本）"),
    401: ("not_authenticated", "请先登录或提供有效的访问令牌"),
    403: ("forbidden", "CSRF 校验未通过：以网页会话调用时须带 X-CSRFToken 请求头"),
    404: ("not_found", "对象不存在或无权查看"),
    405: ("method_not_allowed", "该接口不支持此请求方法"),
    409: ("conflict", "状态冲突"),
    413: ("too_large", "请求体过大"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_ERRORS.get(exc.status_code, ("error", "请求未能完成"))
    return error_response(request, exc.status_code, code, message)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "对象不存在或无权查看")


# Applications and cases first: Django tries the API's paths in this order on every call, and those
# are the busiest (a status read tried seventeen paths before reaching its own).
api.add_router("/", cases_router)
api.add_router("/", accounts_router)
api.add_router("/", search_router)
api.add_router("/", catalog_router)
api.add_router("/", documents_router)
api.add_router("/", licences_router)
api.add_router("/", licence_reads_router)  # after the library's: its `{identifier}.pdf` first
api.add_router("/", sharing_router)
api.add_router("/", pledges_router)
api.add_router("/", reports_router)
api.add_router("/", notifications_router)
api.add_router("/", feedback_router)
api.add_router("/", requests_router)
