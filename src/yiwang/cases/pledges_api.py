"""告知承诺 API: the department's post-verification queue, conclusions, credit marks and repair."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import ApiRequest, Permission, allows, api_requires
from yiwang.accounts.selectors import holder_code
from yiwang.cases import pledges
from yiwang.cases.models import CreditMark, PledgeCheck, PledgeCheckStatus
from yiwang.core.masking import mask_id_number
from yiwang.core.pagination import paginate

router = Router(tags=["告知承诺"], auth=api_auth)


class PledgeCheckOut(Schema):
    id: int
    case: str
    application: str
    material: str
    pledge_text: str
    applicant: str
    department: str
    due_on: date
    overdue: bool
    status: str
    status_label: str
    method: str
    note: str
    checked_at: datetime | None


class PledgeCheckPage(Schema):
    items: list[PledgeCheckOut]
    count: int
    next: str | None


class CheckFilters(Schema):
    status: Literal["", "pending", "truthful", "false"] = ""
    page: int = Field(1, ge=1, le=10_000)


class ConcludeIn(Schema):
    truthful: bool
    method: str = Field(..., max_length=20, description="数据共享 / 部门协查 / 现场核查")
    note: str = Field(..., max_length=1000)


def check_out(check: PledgeCheck) -> dict[str, Any]:
    labels = dict(PledgeCheckStatus.choices)
    return {
        "id": check.pk,
        "case": check.case.number,
        "application": check.case.application.number,
        "material": check.material.material.name,
        "pledge_text": check.material.pledge_text,
        "applicant": check.case.application.applicant_name,
        "department": check.department.name,
        "due_on": check.due_on,
        "overdue": check.status == PledgeCheckStatus.PENDING and check.due_on < timezone.localdate(),
        "status": check.status,
        "status_label": str(labels[check.status]),
        "method": check.method,
        "note": check.note,
        "checked_at": check.checked_at,
    }


@router.get("/pledge-checks", response=PledgeCheckPage, summary="事后核查任务（本部门，按期限排序）")
@api_requires(Permission.PLEDGE_CHECKS)
def list_checks(request: ApiRequest, filters: Query[CheckFilters]) -> dict[str, Any]:
    page = paginate(request, pledges.pledge_checks_for(request.auth, status=filters.status), filters.page)
    return {"items": [check_out(c) for c in page.rows], "count": page.count, "next": page.next_url}


@router.post(
    "/pledge-checks/{check_id}/conclude",
    response=PledgeCheckOut,
    summary="核查结论：承诺不实时撤销决定、记录失信，暂停其适用告知承诺",
)
@api_requires(Permission.PLEDGE_CONCLUDE)
def conclude(request: ApiRequest, check_id: int, payload: ConcludeIn) -> dict[str, Any]:
    check = pledges.pledge_check_conclude(
        actor=request.auth,
        check_id=check_id,
        truthful=payload.truthful,
        method=payload.method,
        note=payload.note,
    )
    return check_out(check)


class CreditMarkOut(Schema):
    id: int
    holder_name: str
    holder_code: str
    case: str
    reason: str
    created_at: datetime
    repaired_at: datetime | None
    repair_note: str


class RepairIn(Schema):
    note: str = Field(..., max_length=1000)


def mark_out(mark: CreditMark) -> dict[str, Any]:
    code = mark.holder_code
    return {
        "id": mark.pk,
        "holder_name": mark.holder_name,
        "holder_code": mask_id_number(code) if code[:17].isdigit() else code,
        "case": mark.case.number,
        "reason": mark.reason,
        "created_at": mark.created_at,
        "repaired_at": mark.repaired_at,
        "repair_note": mark.repair_note,
    }


@router.get(
    "/credit-marks", response=list[CreditMarkOut], summary="失信记录：本人的，或（监察、部门负责人）全部"
)
@api_requires(Permission.CREDIT_MARKS)
def list_marks(request: ApiRequest) -> list[dict[str, Any]]:
    user = request.auth
    marks = CreditMark.objects.select_related("case").order_by("-created_at")
    if not allows(user, Permission.CREDIT_REPAIR):  # those who review repairs see every mark
        marks = marks.filter(holder_code=holder_code(user).upper() or "-")
    return [mark_out(m) for m in marks[:200]]


@router.post("/credit-marks/{mark_id}/repair", response=CreditMarkOut, summary="信用修复")
@api_requires(Permission.CREDIT_REPAIR)
def repair(request: ApiRequest, mark_id: int, payload: RepairIn) -> dict[str, Any]:
    return mark_out(pledges.credit_mark_repair(actor=request.auth, mark_id=mark_id, note=payload.note))
