"""Catalog API: public, no login. Handlers parse, call a selector, present."""

from __future__ import annotations

from typing import Annotated, Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from yiwang.accounts.policy import public
from yiwang.catalog import presenters, selectors
from yiwang.catalog.schemas import BundleOut, BundleSummaryOut, DepartmentOut, ItemGuideOut, ItemsPage
from yiwang.core.pagination import paginate

router = Router(tags=["事项目录"])

# As long as the codes can be (catalog.models), so an over-long one is a 422 naming the parameter.
ItemCode = Annotated[str, Path(max_length=36)]
BundleCode = Annotated[str, Path(max_length=40)]


@public
@router.get("/departments", response=list[DepartmentOut], summary="部门列表")
def list_departments(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {name: getattr(d, name) for name in DepartmentOut.model_fields}
        for d in selectors.departments_with_items()
    ]


class ItemFilters(Schema):
    q: str = Field("", max_length=100, description="关键词，如“护照”")
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


@public
@router.get("/items/{code}", response=ItemGuideOut, summary="事项办事指南（现行版本）")
def get_item(request: HttpRequest, code: ItemCode) -> dict[str, object]:
    return presenters.item_guide(selectors.item_guide(code))


class BundleFilters(Schema):
    q: str = Field(
        "",
        max_length=100,
        description="关键词，如“退休”；按名称、简介和组成事项（名称、常用叫法）匹配，匹配多的在前",
    )


@public
@router.get("/bundles", response=list[BundleSummaryOut], summary="一件事列表（可按关键词检索）")
def list_bundles(request: HttpRequest, filters: Query[BundleFilters]) -> list[dict[str, object]]:
    # The search filters with EXISTS, not a join, so the member count below stays right.
    bundles = selectors.bundle_search(q=filters.q).annotate(
        published_members=Count("members", filter=Q(members__item__published_version__isnull=False))
    )
    return [presenters.bundle_summary(b, member_count=b.published_members) for b in bundles]


@public
@router.get("/bundles/{code}", response=BundleOut, summary="一件事详情：组成事项、合并表单、材料清单")
def get_bundle(request: HttpRequest, code: BundleCode) -> dict[str, object]:
    return presenters.bundle_detail(selectors.bundle_detail(code))
