"""站内信 API (`/me/messages`), a citizen's SMS choices, and the SMS provider's delivery receipts."""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import ApiRequest, Permission, api_requires, public
from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.core.pagination import paginate
from yiwang.notifications import selectors, services
from yiwang.notifications.delivery import receipts_apply
from yiwang.notifications.gateway import RECEIPT_PATH, signature_valid
from yiwang.notifications.kinds import CITIZEN_SMS_KINDS
from yiwang.notifications.models import Message, MessageKind

router = Router(tags=["消息通知"])


class InboxMessageOut(Schema):
    id: int
    kind: str = Field(description="消息类型，如 case_accepted 受理、case_completed 办结、deadline_red 超期")
    kind_label: str
    title: str
    body: str
    link: str = Field(description="相关页面（如办件详情）的站内地址")
    subject: str = Field(description="相关办件编号")
    created_at: datetime
    read: bool


class InboxPage(Schema):
    items: list[InboxMessageOut]
    count: int
    unread: int
    next: str | None


class MessageFilters(Schema):
    unread: bool = Field(False, description="只看未读")
    page: int = Field(1, ge=1, le=10_000)


def _message(message: Message) -> dict[str, object]:
    return {
        "id": message.pk,
        "kind": message.kind,
        "kind_label": message.get_kind_display(),
        "title": message.title,
        "body": message.body,
        "link": message.link,
        "subject": message.subject,
        "created_at": message.created_at,
        "read": message.read_at is not None,
    }


@router.get("/me/messages", response=InboxPage, auth=api_auth, summary="我的站内信（最新的在前）")
@api_requires(Permission.ACCOUNT_SELF)
def list_messages(request: ApiRequest, filters: Query[MessageFilters]) -> dict[str, object]:
    page = paginate(request, selectors.inbox(request.auth, unread_only=filters.unread), filters.page)
    return {
        "items": [_message(m) for m in page.rows],
        "count": page.count,
        "unread": selectors.unread_count(request.auth),
        "next": page.next_url,
    }


@router.post("/me/messages/{message_id}/read", response=InboxMessageOut, auth=api_auth, summary="标为已读")
@api_requires(Permission.ACCOUNT_SELF)
def read_message(request: ApiRequest, message_id: int = Path(..., ge=1, le=2**62)) -> dict[str, object]:
    if not services.message_mark_read(user=request.auth, message_id=message_id):
        raise NotFound("消息不存在", code="message_not_found")
    message = selectors.message_of(request.auth, message_id)
    assert message is not None
    return _message(message)


class ReadAllOut(Schema):
    marked: int


@router.post("/me/messages/read-all", response=ReadAllOut, auth=api_auth, summary="全部标为已读")
@api_requires(Permission.ACCOUNT_SELF)
def read_all(request: ApiRequest) -> dict[str, int]:
    return {"marked": services.messages_mark_all_read(user=request.auth)}


class SmsChoices(Schema):
    muted: list[MessageKind] = Field(
        ...,
        max_length=20,
        description=f"不接收短信的消息类型：{'、'.join(CITIZEN_SMS_KINDS)}（其他类型本就不发短信，忽略）",
    )


class SmsChoicesOut(Schema):
    muted: list[str]
    kinds: dict[str, str] = Field(description="可选择的消息类型及名称")


def _choices(muted: list[str]) -> dict[str, object]:
    labels = dict(MessageKind.choices)
    return {"muted": muted, "kinds": {k: labels[k] for k in CITIZEN_SMS_KINDS}}


@router.get("/me/sms-preferences", response=SmsChoicesOut, auth=api_auth, summary="短信订阅设置")
@api_requires(Permission.ACCOUNT_SELF)
def get_sms_choices(request: ApiRequest) -> dict[str, object]:
    return _choices(services.sms_muted(request.auth))


@router.put(
    "/me/sms-preferences", response=SmsChoicesOut, auth=api_auth, summary="设置哪些消息不发短信（站内信照常）"
)
@api_requires(Permission.ACCOUNT_SELF)
def set_sms_choices(request: ApiRequest, payload: SmsChoices) -> dict[str, object]:
    preference = services.sms_preference_set(
        user=request.auth, muted=[str(kind) for kind in payload.muted if kind in CITIZEN_SMS_KINDS]
    )
    return _choices(list(preference.muted))


class ReceiptsOut(Schema):
    code: str
    updated: int


class ReceiptSignatureInvalid(DomainError):
    """The receipt is not the provider's: anyone may call the address, only a valid signature counts."""

    status = 403


@public
@router.post(
    "/notifications/sms/receipts", response=ReceiptsOut, summary="短信状态回执（短信网关回调，须签名）"
)
def sms_receipts(request: HttpRequest) -> dict[str, object]:
    body = request.body
    headers = {
        name: request.headers.get(name, "") for name in ("X-Sms-Timestamp", "X-Sms-Nonce", "X-Sms-Signature")
    }
    if not signature_valid(settings.YIWANG_SMS_SECRET, headers, path=RECEIPT_PATH, body=body):
        raise ReceiptSignatureInvalid("signature_invalid", "回执签名无效或已过期")
    try:
        receipts = json.loads(body)
    except ValueError:
        raise ValidationFailed({"body": ["回执须为 JSON 数组"]}, code="invalid_receipts") from None
    if (
        not isinstance(receipts, list)
        or not all(isinstance(r, dict) for r in receipts)
        or len(receipts) > 1000
    ):
        raise ValidationFailed({"body": ["回执须为对象数组（每次至多 1000 条）"]}, code="invalid_receipts")
    with transaction.atomic():
        updated = receipts_apply(receipts)
    return {"code": "OK", "updated": updated}
