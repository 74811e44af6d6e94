"""诉求 API (咨询 · 求助 · 投诉 · 建议 · 举报): intake, tracking by 查询码, and every stage of a request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field, StrictBool

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import ApiRequest, Permission, api_requires, public
from yiwang.accounts.roles import StaffRole
from yiwang.audit.context import client_ip
from yiwang.core.errors import Forbidden, NotFound
from yiwang.core.pagination import paginate
from yiwang.feedback import desk, intake, selectors
from yiwang.feedback.api import NOT_BLANK, PHONE, optional_auth
from yiwang.feedback.models import (
    RequestChannel,
    RequestType,
    ServiceRequest,
    Stage,
)

router = Router(tags=["诉求"])
RequestNumber = Path(..., min_length=1, max_length=40)


class RequestIn(Schema):
    type: RequestType = Field(
        ..., description="consult 咨询 / help 求助 / complaint 投诉 / suggestion 建议 / report 举报"
    )
    text: str = Field(..., min_length=5, max_length=2000, pattern=NOT_BLANK)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20, pattern=PHONE, description="手机号码或固定电话（可不填）")
    anonymous: StrictBool = False
    item: str = Field("", max_length=40, description="涉及的事项编码（可不填）")
    case: str = Field("", max_length=40, description="涉及的办件编号（可不填）")
    channel: Literal["portal", "mobile", "kiosk", "api"] = "api"


class RequestEventOut(Schema):
    action: str
    stage: str
    department: str | None
    note: str
    at: datetime


class RequestOut(Schema):
    number: str
    type: str
    type_label: str
    stage: str
    stage_label: str
    title: str
    text: str
    department: str | None
    department_name: str | None
    item: str | None
    case: str | None
    received_at: datetime
    due: date
    sign_due: date | None
    answer: str
    answered_at: datetime | None
    extension: str
    redone: bool
    satisfied: StrictBool | None
    auto_routed: bool
    suggested: list[dict[str, Any]]
    contact_name: str = Field(description="联系人（举报人信息对承办部门不显示）")
    events: list[RequestEventOut]


class IntakeOut(RequestOut):
    tracking_code: str = Field(description="查询码：凭它查询进度、评价答复；只显示这一次，请妥善保存")


def _request(request: ServiceRequest, viewer: Any) -> dict[str, object]:
    show = selectors.submitter_visible(viewer, request)
    staff_view = viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.kind == "staff"
    return {
        "number": request.number,
        "type": request.type,
        "type_label": request.get_type_display(),
        "stage": request.stage,
        "stage_label": request.get_stage_display(),
        "title": request.title,
        "text": request.text,
        "department": request.department.code if request.department else None,
        "department_name": request.department.name if request.department else None,
        "item": request.item.code if request.item is not None else None,
        "case": request.case.number if request.case is not None else None,
        "received_at": request.received_at,
        "due": request.due,
        "sign_due": request.sign_due,
        "answer": request.answer,
        "answered_at": request.answered_at,
        "extension": request.extension,
        "redone": request.redone,
        "satisfied": request.satisfied,
        "auto_routed": request.auto_routed,
        "suggested": request.suggested if staff_view else [],
        "contact_name": request.contact_name if show else "",
        "events": [
            {
                "action": e.action,
                "stage": e.stage,
                "department": e.department.name if e.department is not None else None,
                "note": e.note if staff_view or e.action in ("answer", "receive") else "",
                "at": e.at,
            }
            for e in request.events.select_related("department")
        ],
    }


@public
@router.post(
    "/requests", response={201: IntakeOut}, auth=optional_auth, summary="提交咨询、求助、投诉、建议或举报"
)
def create_request(request: HttpRequest, payload: RequestIn) -> Status:
    user = getattr(request, "auth", None)
    user = user if user is not None and user.is_authenticated else None
    hotline = user is not None and user.has_role(StaffRole.HOTLINE_OPERATOR)
    made = intake.request_create(
        type=payload.type,
        text=payload.text,
        channel=RequestChannel.HOTLINE if hotline else payload.channel,
        submitter=None if hotline else user,
        taken_by=user if hotline else None,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        anonymous=payload.anonymous,
        item_code=payload.item,
        case_number=payload.case,
    )
    return Status(201, {**_request(made.request, user), "tracking_code": made.tracking_code})


class TrackIn(Schema):
    code: str = Field(..., max_length=20, description="提交时得到的查询码，如 ABCDE-FGHJK")


@public
@router.post("/requests/track", response=RequestOut, summary="凭查询码查询诉求进度")
def track_request(request: HttpRequest, payload: TrackIn) -> dict[str, object]:
    found = intake.request_track(code=payload.code, client_address=client_ip(request))
    if found is None:
        raise NotFound("查询码不正确", code="request_not_found")
    return _request(found, None)


class JudgeIn(Schema):
    satisfied: StrictBool
    note: str = Field("", max_length=2000, description="不满意时请说明原因")
    code: str = Field("", max_length=20, description="查询码（未登录时必填）")


@public
@router.post(
    "/requests/{number}/judgement",
    response=RequestOut,
    auth=optional_auth,
    summary="对答复评价：满意或不满意",
)
def judge_request(request: HttpRequest, payload: JudgeIn, number: str = RequestNumber) -> dict[str, object]:
    user = getattr(request, "auth", None)
    user = user if user is not None and user.is_authenticated else None
    found = None
    if payload.code:
        found = intake.request_track(code=payload.code, client_address=client_ip(request))
        found = found if found is not None and found.number == number else None
    elif user is not None:
        found = selectors.request_of(user, number)
        if (
            found is not None
            and found.submitter_id != user.pk
            and not user.has_role(StaffRole.HOTLINE_OPERATOR)
        ):
            raise Forbidden("not_submitter", "只有提交人（或回访的热线坐席）可以评价答复")
    if found is None:
        raise NotFound("未找到该诉求", code="request_not_found")
    judged = desk.request_judge(number=number, satisfied=payload.satisfied, note=payload.note, actor=user)
    return _request(judged, user)


class RequestFilters(Schema):
    stage: Stage | None = None
    page: int = Field(1, ge=1, le=10_000)


class RequestPage(Schema):
    items: list[RequestOut]
    count: int
    next: str | None


@router.get(
    "/requests", response=RequestPage, auth=api_auth, summary="可见的诉求（提交人：本人的；部门：本部门的）"
)
@api_requires(Permission.ACCOUNT_SELF)
def list_requests(request: ApiRequest, filters: Query[RequestFilters]) -> dict[str, object]:
    rows = ServiceRequest.objects.filter(selectors.request_visible_to(request.auth)).distinct()
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    page = paginate(
        request, rows.select_related("department", "item", "case").order_by("-received_at"), filters.page
    )
    return {
        "items": [_request(r, request.auth) for r in page.rows],
        "count": page.count,
        "next": page.next_url,
    }


@router.get("/requests/{number}", response=RequestOut, auth=api_auth, summary="诉求详情")
@api_requires(Permission.ACCOUNT_SELF)
def get_request(request: ApiRequest, number: str = RequestNumber) -> dict[str, object]:
    found = selectors.request_of(request.auth, number)
    if found is None:
        raise NotFound("未找到该诉求", code="request_not_found")
    return _request(found, request.auth)


class RouteIn(Schema):
    department: str = Field(..., max_length=32)
    item: str = Field("", max_length=40)


@router.post("/requests/{number}/dispatch", response=RequestOut, auth=api_auth, summary="派单")
@api_requires(Permission.DISPATCH)
def route_request(request: ApiRequest, payload: RouteIn, number: str = RequestNumber) -> dict[str, object]:
    found = desk.request_route(
        actor=request.auth, number=number, department_code=payload.department, item_code=payload.item
    )
    return _request(found, request.auth)


@router.post("/requests/{number}/sign", response=RequestOut, auth=api_auth, summary="签收")
@api_requires(Permission.REQUEST_HANDLE)
def sign_request(request: ApiRequest, number: str = RequestNumber) -> dict[str, object]:
    return _request(desk.request_sign(actor=request.auth, number=number), request.auth)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000, pattern=NOT_BLANK)


@router.post(
    "/requests/{number}/return", response=RequestOut, auth=api_auth, summary="退回派单员（非本部门职责）"
)
@api_requires(Permission.REQUEST_HANDLE)
def return_request(request: ApiRequest, payload: ReasonIn, number: str = RequestNumber) -> dict[str, object]:
    return _request(
        desk.request_return(actor=request.auth, number=number, reason=payload.reason), request.auth
    )


class ExtensionIn(Schema):
    days: int = Field(..., ge=1, le=60, description="工作日；上限为本地设置（默认 15）")
    reason: str = Field(..., max_length=2000, pattern=NOT_BLANK)


@router.post("/requests/{number}/extension", response=RequestOut, auth=api_auth, summary="申请延期（限一次）")
@api_requires(Permission.REQUEST_HANDLE)
def ask_extension(
    request: ApiRequest, payload: ExtensionIn, number: str = RequestNumber
) -> dict[str, object]:
    found = desk.request_extension_ask(
        actor=request.auth, number=number, days=payload.days, reason=payload.reason
    )
    return _request(found, request.auth)


class ExtensionDecisionIn(Schema):
    approve: StrictBool
    note: str = Field("", max_length=2000)


@router.post("/requests/{number}/extension/decision", response=RequestOut, auth=api_auth, summary="审批延期")
@api_requires(Permission.DISPATCH)
def decide_extension(
    request: ApiRequest, payload: ExtensionDecisionIn, number: str = RequestNumber
) -> dict[str, object]:
    found = desk.request_extension_decide(
        actor=request.auth, number=number, approve=payload.approve, note=payload.note
    )
    return _request(found, request.auth)


class AnswerIn(Schema):
    answer: str = Field(..., max_length=2000, pattern=NOT_BLANK)


@router.post("/requests/{number}/answer", response=RequestOut, auth=api_auth, summary="答复")
@api_requires(Permission.REQUEST_HANDLE)
def answer_request(request: ApiRequest, payload: AnswerIn, number: str = RequestNumber) -> dict[str, object]:
    return _request(
        desk.request_answer(actor=request.auth, number=number, answer=payload.answer), request.auth
    )


class SupervisionConclusionIn(Schema):
    conclusion: str = Field(..., max_length=2000, pattern=NOT_BLANK)


@router.post("/requests/{number}/conclusion", response=RequestOut, auth=api_auth, summary="督办办结")
@api_requires(Permission.REQUEST_SUPERVISE)
def conclude_request(
    request: ApiRequest, payload: SupervisionConclusionIn, number: str = RequestNumber
) -> dict[str, object]:
    found = desk.request_conclude(actor=request.auth, number=number, conclusion=payload.conclusion)
    return _request(found, request.auth)
