"""“Who used my data”: GET /me/data-uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import ApiRequest, Permission, api_requires
from yiwang.core.pagination import paginate
from yiwang.sharing.selectors import (
    data_use_basis_label,
    data_use_is_own,
    data_use_outcome_label,
    data_uses_of,
)

router = Router(tags=["数据共享"], auth=api_auth)


class DataUseOut(Schema):
    at: datetime
    department: str
    user: str
    case: str
    reason: str
    licence: str
    action: str
    fields: list[str]
    outcome: str
    outcome_label: str
    basis: str
    own: bool = Field(description="本人申请时从证照库调取（免提交），而非部门查询")
    refusal: str


class DataUsePage(Schema):
    items: list[DataUseOut]
    count: int
    next: str | None


class PageIn(Schema):
    page: int = Field(1, ge=1, le=10_000)


@router.get(
    "/me/data-uses",
    response=DataUsePage,
    summary="谁用了我的数据：每一次查询、调取（含被拒绝的，含本人申请时的免提交调取）；须已实名认证",
)
@api_requires(Permission.DATA_USES_OWN)
def my_data_uses(request: ApiRequest, filters: Query[PageIn]) -> dict[str, Any]:
    page = paginate(request, data_uses_of(request.auth), filters.page)
    return {
        "items": [
            {
                "at": timezone.localtime(u.at),
                "department": u.department_name,
                "user": "本人" if data_use_is_own(u) else _masked_name(u.actor_name),
                "case": u.case_number,
                "reason": u.reason,
                "licence": u.licence_identifier,
                "action": u.action,
                "fields": u.fields,
                "outcome": u.outcome,
                "outcome_label": data_use_outcome_label(u),
                "basis": data_use_basis_label(u),
                "own": data_use_is_own(u),
                "refusal": u.refusal,
            }
            for u in page.rows
        ],
        "count": page.count,
        "next": page.next_url,
    }


def _masked_name(name: str) -> str:
    """Staff are named by surname only: the holder sees which office, not a person to look up."""
    return f"{name[0]}**" if name else ""
