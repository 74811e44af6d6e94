"""Catalog search API (事项检索) and the assistant (智能客服): public, no login. The question is
answered by the catalog index; the guides themselves are served by catalog.api."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from yiwang.accounts.policy import public
from yiwang.assistant import selectors
from yiwang.assistant.conversation import assistant_reply, message_allowed
from yiwang.audit.context import client_ip
from yiwang.catalog import presenters
from yiwang.catalog.schemas import BundleSummaryOut, ItemsPage
from yiwang.core.pagination import paginate

router = Router(tags=["事项目录"])


class ItemFilters(Schema):
    q: str = Field("", max_length=100, description="关键词或一句话，如“护照”“身份证丢了怎么办”；最相关的在前")
    department: str = Field("", max_length=32, description="部门编码")
    audience: Literal["", "1", "2", "3", "4", "5", "6"] = Field(
        "", description="服务对象代码（1 自然人 2 企业法人 …）"
    )
    online_depth: int | None = Field(None, ge=0, le=4, description="最低网上办理深度（0–4，4 为全程网办）")
    way: Literal["", "instant", "online", "nearby", "one_visit"] = Field(
        "", description="四办：instant 马上办 / online 网上办 / nearby 就近办 / one_visit 一次办"
    )
    page: int = Field(1, ge=1, le=10_000)


@public
@router.get("/items", response=ItemsPage, summary="检索已发布事项")
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, object]:
    versions = selectors.item_search(
        q=filters.q,
        department=filters.department,
        audience=filters.audience,
        online_depth=filters.online_depth,
        way=filters.way,
    )
    page = paginate(request, versions, filters.page)
    return {
        "items": [presenters.item_summary(v) for v in page.rows],
        "count": page.count,
        "next": page.next_url,
    }


class BundleFilters(Schema):
    q: str = Field(
        "",
        max_length=100,
        description="关键词或一句话，如“退休”“老人走了要办什么”；最相关的在前",
    )


@public
@router.get("/bundles", response=list[BundleSummaryOut], summary="一件事列表（可按关键词检索）")
def list_bundles(request: HttpRequest, filters: Query[BundleFilters]) -> list[dict[str, object]]:
    # The search filters by code, not by a join, so the member count below stays right.
    bundles = selectors.bundle_search(q=filters.q).annotate(
        published_members=Count("members", filter=Q(members__item__published_version__isnull=False))
    )
    return [presenters.bundle_summary(b, member_count=b.published_members) for b in bundles]


class MessageIn(Schema):
    conversation: uuid.UUID | None = Field(None, description="会话编号；首次提问不填，之后填上次答复中的编号")
    text: str = Field(..., min_length=1, max_length=200, description="问题，如“身份证丢了怎么办”“那要带什么”")
    audience: Literal["", "person", "legal"] = Field(
        "", description="以个人（person）还是企业（legal）身份办理"
    )
    channel: Literal["web", "mobile", "kiosk", "api"] = Field("api", description="提问的渠道")


class ChoiceOut(Schema):
    kind: Literal["item", "bundle"]
    code: str
    name: str
    why: list[str] = Field(description="问题中与之相符的词")


class OptionOut(Schema):
    value: str
    label: str


class MessageOut(Schema):
    conversation: uuid.UUID
    kind: Literal["answer", "choices", "clarify", "decline"] = Field(
        description="answer 答复；choices 不确定，列出最接近的几项；clarify 反问个人还是企业；decline 目录中没有"
    )
    text: str = Field(description="显示给提问人的答复")
    topic: str = Field(description="答复针对的方面：materials、time、fees、where、online、phone 或空")
    service: dict[str, Any] | None = Field(description="所答事项或一件事的办事指南要点（均取自事项目录）")
    choices: list[ChoiceOut]
    options: list[OptionOut]


@public
@router.post(
    "/assistant/messages",
    response=MessageOut,
    tags=["智能客服"],
    summary="向智能客服提问（答复均取自事项目录）",
)
def post_message(request: HttpRequest, payload: MessageIn) -> dict[str, Any]:
    message_allowed(client_ip(request))
    reply = assistant_reply(
        text=payload.text,
        conversation_id=payload.conversation,
        channel=payload.channel,
        audience=payload.audience,
    )
    return {
        "conversation": reply.conversation.pk,
        "kind": reply.kind,
        "text": reply.text,
        "topic": reply.topic,
        "service": reply.service,
        "choices": reply.choices,
        "options": reply.options,
    }
