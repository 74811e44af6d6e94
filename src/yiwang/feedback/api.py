"""好差评 API: rating a case (signed in, or with the link's token), the window's 评价器, the department's
差评整改 and appeals, the published figures."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import BeforeValidator, Field, StrictBool

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import ApiRequest, Permission, api_requires, public
from yiwang.cases.access import visible_cases
from yiwang.cases.models import Case
from yiwang.cases.notify import case_number_of_rate_token
from yiwang.core.errors import Forbidden, NotFound
from yiwang.feedback import ratings, rectification, rules, selectors
from yiwang.feedback.models import (
    AppealReason,
    Outcome,
    Rating,
)
from yiwang.feedback.options import indicators, options

router = Router(tags=["好差评"])

NOT_BLANK = r"\S"  # some text, not only spaces
# A mobile number (optionally +86) or a fixed line with or without its area code; or nothing.
PHONE = r"^$|^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$|^\d{7,8}$"


def _anyone(request: HttpRequest) -> Any:
    """Optional sign-in: the caller when credentials came, else an anonymous user."""
    return AnonymousUser()


optional_auth = [*api_auth, _anyone]

CaseNumber = Path(..., min_length=1, max_length=40)


# 好差评


class RatingOptionOut(Schema):
    code: str
    label: str
    level: int


class OptionsOut(Schema):
    levels: dict[int, str]
    options: list[RatingOptionOut]
    indicators_online: dict[str, str]
    indicators_onsite: dict[str, str]


@public
@router.get("/ratings/options", response=OptionsOut, summary="评价等级、选项代码与分项指标")
def rating_options(request: HttpRequest) -> dict[str, object]:
    return {
        "levels": {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"},
        "options": [o.__dict__ for o in options().values()],
        "indicators_online": dict(indicators(False)),
        "indicators_onsite": dict(indicators(True)),
    }


OptionCode = StrEnum("OptionCode", [(f"O{code}", code) for code in options()])  # type: ignore[misc]
Stars = Annotated[int, Field(ge=1, le=5)]
OnlineIndicator = Literal["overall", "efficiency", "guide", "convenience", "usability"]
OnsiteIndicator = Literal["overall", "efficiency", "skill", "attitude"]


class RatingIn(Schema):
    level: int = Field(..., ge=1, le=5, description="星级：5 非常满意 … 1 非常不满意")
    options: list[OptionCode] = Field(  # type: ignore[valid-type]
        [], max_length=20, description="评价选项代码，须属于所选等级，如 110；差评须选原因或填写内容"
    )
    indicators: dict[OnlineIndicator, Stars] = Field(
        {}, description='分项评价：指标 → 星级，如 {"efficiency": 4}'
    )
    text: str = Field("", max_length=500)
    channel: Literal["pc", "mobile", "qr", "kiosk", "sms"] = Field("pc", description="评价渠道")
    token: str = Field("", max_length=300, description="短信或站内信评价链接中的 t 参数（未登录时必填）")


class RatingOut(Schema):
    id: int
    case: str | None
    level: int
    level_label: str
    gb_code: int = Field(description="GB/T 39046 评价等级代码（1 非常满意 … 5 非常不满意）")
    options: list[str]
    indicators: dict[str, int]
    text: str
    channel: str
    created_at: datetime
    rerating: bool = Field(description="是否为追评")
    rectification: str | None = Field(description="差评整改状态")


def _rating(rating: Rating) -> dict[str, object]:
    task = getattr(rating, "task", None) if rating.previous_id is None else None
    return {
        "id": rating.pk,
        "case": rating.case.number if rating.case is not None else None,
        "level": rating.level,
        "level_label": rating.get_level_display(),
        "gb_code": 6 - rating.level,
        "options": rating.options,
        "indicators": rating.indicators,
        "text": rating.text,
        "channel": rating.channel,
        "created_at": rating.created_at,
        "rerating": rating.previous_id is not None,
        "rectification": task.get_status_display() if task else None,
    }


def _rating_reads(cases: Any) -> Any:
    """What rating a case reads of it: not the application's form and sealed identifiers."""
    return cases.select_related("application", "item_version", "department").only(
        *(f.name for f in Case._meta.concrete_fields),
        "application__number",
        "application__applicant_user",
        "application__agent_user",
        "application__applicant_name",
        "application__region_code",
        "item_version__name",
        "item_version__item",
        "department__name",
    )


def _case_to_rate(request: HttpRequest, number: str, token: str) -> tuple[Case, bool]:
    """The case and whether the caller came by the link (token) rather than as its signed-in applicant."""
    user = getattr(request, "auth", None)
    if token:
        if case_number_of_rate_token(token) != number:
            raise Forbidden("token_invalid", "评价链接无效或已过期，请登录后评价")
        case = _rating_reads(Case.objects.all()).filter(number=number).first()
        if case is None:
            raise NotFound("未找到该办件", code="case_not_found")
        return case, True
    if user is None or not user.is_authenticated:
        # as for any case the caller may not see: not found
        raise NotFound("未找到该办件：请登录后评价，或使用短信、站内信中的评价链接", code="case_not_found")
    case = _rating_reads(visible_cases(user)).filter(number=number).first()
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return case, False


class CaseRatingOut(Schema):
    case: str
    item: str
    department: str
    rateable_until: date | None
    rating: RatingOut | None
    may_rate: bool
    may_rerate: bool


@public
@router.get("/cases/{number}/rating", response=CaseRatingOut, auth=optional_auth, summary="办件的评价情况")
def case_rating(
    request: HttpRequest, number: str = CaseNumber, token: str = Query("", max_length=300)
) -> dict[str, object]:
    case, _ = _case_to_rate(request, number, token)
    first = selectors.first_rating(case)
    current = selectors.case_rating(case)
    closes = rules.rating_closes_on(case)
    task = getattr(first, "task", None) if first else None
    return {
        "case": case.number,
        "item": case.item_version.name,
        "department": case.department.name,
        "rateable_until": closes,
        "rating": _rating(current) if current else None,
        "may_rate": first is None and closes is not None and rules.today() <= closes,
        "may_rerate": bool(task and task.fixed_at and not Rating.objects.filter(previous=first).exists()),
    }


@public
@router.post(
    "/cases/{number}/rating", response={201: RatingOut}, auth=optional_auth, summary="评价办件（一事一评）"
)
def rate_case(request: HttpRequest, payload: RatingIn, number: str = CaseNumber) -> Status:
    case, via_link = _case_to_rate(request, number, payload.token)
    user = getattr(request, "auth", None)
    rating = ratings.rating_submit(
        case=case,
        rater=user if user is not None and user.is_authenticated else None,
        level=payload.level,
        chosen=payload.options,
        marks=payload.indicators,
        text=payload.text,
        channel=payload.channel,
        via_link=via_link,
    )
    return Status(201, _rating(rating))


@public
@router.post(
    "/cases/{number}/rating/again", response={201: RatingOut}, auth=optional_auth, summary="整改后追评"
)
def rerate_case(request: HttpRequest, payload: RatingIn, number: str = CaseNumber) -> Status:
    case, via_link = _case_to_rate(request, number, payload.token)
    first = selectors.first_rating(case)
    if first is None:
        raise NotFound("该办件尚未评价", code="rating_not_found")
    user = getattr(request, "auth", None)
    rating = ratings.rerate(
        rating=first,
        rater=user if user is not None and user.is_authenticated else None,
        level=payload.level,
        chosen=payload.options,
        marks=payload.indicators,
        text=payload.text,
        channel=payload.channel,
        via_link=via_link,
    )
    return Status(201, _rating(rating))


class FiguresOut(Schema):
    ratings: int
    good: int
    bad: int
    good_rate: float | None = Field(description="好评率")
    rectified_rate: float | None = Field(description="差评整改率")


class DepartmentFiguresOut(FiguresOut):
    department: str
    department_name: str
    requests: int
    requests_on_time_rate: float | None = Field(description="诉求按期办结率")


def _figures(f: selectors.Figures) -> dict[str, object]:
    return {
        "ratings": f.ratings,
        "good": f.good,
        "bad": f.bad,
        "good_rate": f.good_rate,
        "rectified_rate": f.rectified_rate,
    }


def _iso_day(value: object) -> object:
    """A day as YYYY-MM-DD only: not a number of seconds, which pydantic would read as a date too."""
    if not isinstance(value, str | date) or (isinstance(value, str) and not ISO_DAY.fullmatch(value)):
        raise ValueError("日期格式应为 YYYY-MM-DD")
    return value


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDay = Annotated[date, BeforeValidator(_iso_day)]


class FiguresFilters(Schema):
    since: IsoDay | None = Field(None, description="自该日起的评价与诉求（不填为全部）")


@public
@router.get(
    "/ratings/figures", response=list[DepartmentFiguresOut], summary="好差评公示：各部门好评率、差评整改率"
)
def rating_figures(request: HttpRequest, filters: Query[FiguresFilters]) -> list[dict[str, object]]:
    return [
        {
            **_figures(row.figures),
            "department": row.department.code,
            "department_name": row.department.name,
            "requests": row.requests,
            "requests_on_time_rate": row.on_time_rate,
        }
        for row in selectors.public_figures(since=filters.since)
    ]


# 一次一评 (the window's 评价器)


class InvitationIn(Schema):
    case: str = Field("", max_length=40, description="本次办理的办件编号（可不填）")


class InvitationOut(Schema):
    id: int
    case: str | None
    created_at: datetime


@router.post(
    "/rating-invitations",
    response={201: InvitationOut},
    auth=api_auth,
    summary="请窗口前的办事人评价本次服务",
)
@api_requires(Permission.RATING_TABLET)
def invite(request: ApiRequest, payload: InvitationIn) -> Status:
    case = None
    if payload.case:
        case = visible_cases(request.auth).filter(number=payload.case).select_related("item_version").first()
        if case is None:
            raise NotFound("未找到该办件", code="case_not_found")
    invitation = ratings.rating_invite(clerk=request.auth, case=case)
    return Status(
        201, {"id": invitation.pk, "case": case.number if case else None, "created_at": invitation.created_at}
    )


class VisitRatingIn(Schema):
    level: int = Field(..., ge=1, le=5)
    options: list[OptionCode] = Field([], max_length=20)  # type: ignore[valid-type]
    indicators: dict[OnsiteIndicator, Stars] = Field({})
    text: str = Field("", max_length=500)


@router.post(
    "/rating-invitations/{invitation_id}/rating",
    response={201: RatingOut},
    auth=api_auth,
    summary="评价器上提交评价（一次一评，匿名）",
)
@api_requires(Permission.RATING_TABLET)
def rate_visit(
    request: ApiRequest, payload: VisitRatingIn, invitation_id: int = Path(..., ge=1, le=2**62)
) -> Status:
    rating = ratings.rating_visit(
        clerk=request.auth,
        invitation_id=invitation_id,
        level=payload.level,
        chosen=payload.options,
        marks=payload.indicators,
        text=payload.text,
    )
    return Status(201, _rating(rating))


# 差评整改 and 申诉


class TaskOut(Schema):
    id: int
    status: str
    status_label: str
    case: str | None
    item: str
    level: int
    options: list[str]
    text: str
    callback_due: date
    fix_due: date
    callback_note: str
    outcome: str
    result: str
    overdue: bool


def _task(task: Any) -> dict[str, object]:
    rating = task.rating
    today = rules.today()
    return {
        "id": task.pk,
        "status": task.status,
        "status_label": task.get_status_display(),
        "case": rating.case.number if rating.case is not None else None,
        "item": rating.subject,
        "level": rating.level,
        "options": rating.options,
        "text": rating.text,
        "callback_due": task.callback_due,
        "fix_due": task.fix_due,
        "callback_note": task.callback_note,
        "outcome": task.outcome,
        "result": task.result,
        "overdue": task.callback_late(today) or task.fix_late(today),
    }


@router.get("/rating-tasks", response=list[TaskOut], auth=api_auth, summary="本部门待整改的差评")
@api_requires(Permission.RATING_HANDLE)
def list_tasks(request: ApiRequest, open_only: bool = Query(True)) -> list[dict[str, object]]:
    if request.auth.department_id is None:
        return []
    return [
        _task(t) for t in selectors.tasks_of_department(request.auth.department_id, open_only=open_only)[:200]
    ]


class NoteIn(Schema):
    note: str = Field(..., max_length=2000, pattern=NOT_BLANK)


class RectifyIn(Schema):
    outcome: Outcome = Field(..., description="immediate 立行立改 / deadline 限期整改 / explained 解释说明")
    result: str = Field(..., max_length=2000, pattern=NOT_BLANK)


class AppealIn(Schema):
    reason: AppealReason = Field(..., description="mistaken 误评 / malicious 恶意差评")
    statement: str = Field(..., max_length=2000, pattern=NOT_BLANK)


TaskId = Path(..., ge=1, le=2**62)


@router.post("/rating-tasks/{task_id}/callback", response=TaskOut, auth=api_auth, summary="登记核实及回访")
@api_requires(Permission.RATING_HANDLE)
def task_callback(request: ApiRequest, payload: NoteIn, task_id: int = TaskId) -> dict[str, object]:
    return _task(rectification.task_callback(actor=request.auth, task_id=task_id, note=payload.note))


@router.post("/rating-tasks/{task_id}/rectification", response=TaskOut, auth=api_auth, summary="反馈整改结果")
@api_requires(Permission.RATING_HANDLE)
def task_rectify(request: ApiRequest, payload: RectifyIn, task_id: int = TaskId) -> dict[str, object]:
    return _task(
        rectification.task_rectify(
            actor=request.auth, task_id=task_id, outcome=payload.outcome, result=payload.result
        )
    )


class AppealOut(Schema):
    id: int
    rating: int
    department: str
    reason: str
    statement: str
    filed_at: datetime
    upheld: StrictBool | None
    decision_note: str


def _appeal(appeal: Any) -> dict[str, object]:
    return {
        "id": appeal.pk,
        "rating": appeal.rating_id,
        "department": appeal.rating.department.code,
        "reason": appeal.reason,
        "statement": appeal.statement,
        "filed_at": appeal.filed_at,
        "upheld": appeal.upheld,
        "decision_note": appeal.decision_note,
    }


@router.post(
    "/rating-tasks/{task_id}/appeal",
    response={201: AppealOut},
    auth=api_auth,
    summary="申诉（误评、恶意差评）",
)
@api_requires(Permission.RATING_APPEAL)
def task_appeal(request: ApiRequest, payload: AppealIn, task_id: int = TaskId) -> Status:
    appeal = rectification.appeal_file(
        actor=request.auth, task_id=task_id, reason=payload.reason, statement=payload.statement
    )
    return Status(201, _appeal(appeal))


@router.get("/rating-appeals", response=list[AppealOut], auth=api_auth, summary="待复核的申诉")
@api_requires(Permission.RATING_APPEAL_DECIDE)
def list_appeals(request: ApiRequest) -> list[dict[str, object]]:
    return [_appeal(a) for a in selectors.appeals_pending()[:200]]


class AppealDecisionIn(Schema):
    upheld: StrictBool
    note: str = Field(..., max_length=2000, pattern=NOT_BLANK)


@router.post("/rating-appeals/{appeal_id}/decision", response=AppealOut, auth=api_auth, summary="复核申诉")
@api_requires(Permission.RATING_APPEAL_DECIDE)
def decide_appeal(
    request: ApiRequest, payload: AppealDecisionIn, appeal_id: int = TaskId
) -> dict[str, object]:
    appeal = rectification.appeal_decide(
        actor=request.auth, appeal_id=appeal_id, upheld=payload.upheld, note=payload.note
    )
    return _appeal(appeal)
