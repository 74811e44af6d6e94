"""Reports over cases (统计): how many materials applicants really hand in."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import Permission, api_requires
from yiwang.cases.reports import material_reduction

router = Router(tags=["统计"], auth=api_auth)


class MaterialReductionOut(Schema):
    item: str
    name: str
    required: int = Field(description="办事指南要求的必要材料数")
    applications: int
    uploaded: float = Field(description="平均每件申请人实际提交的材料数")
    from_library: float = Field(description="平均每件通过电子证照免提交的材料数")
    pledged: float = Field(description="平均每件以告知承诺代替的材料数")


@router.get(
    "/reports/materials/{item_code}",
    response=MaterialReductionOut,
    summary="减材料统计：事项要求的材料数与申请人实际提交数（工作人员）",
)
@api_requires(Permission.REPORTS)
def materials_report(request: HttpRequest, item_code: Annotated[str, Path(max_length=36)]) -> dict[str, Any]:
    report = material_reduction(item_code)
    return {name: getattr(report, name) for name in MaterialReductionOut.model_fields}
