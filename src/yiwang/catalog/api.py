"""Catalog API: public, no login. Handlers parse, call a selector, present."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router

from yiwang.accounts.policy import public
from yiwang.catalog import presenters, selectors
from yiwang.catalog.schemas import BundleOut, DepartmentOut, ItemGuideOut

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


@public
@router.get("/items/{code}", response=ItemGuideOut, summary="事项办事指南（现行版本）")
def get_item(request: HttpRequest, code: ItemCode) -> dict[str, object]:
    return presenters.item_guide(selectors.item_guide(code))


@public
@router.get("/bundles/{code}", response=BundleOut, summary="一件事详情：组成事项、合并表单、材料清单")
def get_bundle(request: HttpRequest, code: BundleCode) -> dict[str, object]:
    return presenters.bundle_detail(selectors.bundle_detail(code))
