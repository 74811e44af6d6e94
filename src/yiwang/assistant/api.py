"""Catalog search API (事项检索): public, no login. The question is answered by the catalog index;
the guides themselves are served by catalog.api."""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from yiwang.accounts.policy import public
from yiwang.assistant import selectors
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
