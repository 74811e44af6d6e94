"""Applications and cases API (shared/API.md). Handlers parse, call one service, present."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Header, Path, Query, Router, Schema
from pydantic import Field

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import ApiRequest, Permission, api_requires
from yiwang.audit.services import personal_data_read
from yiwang.cases import presenters, selectors
from yiwang.cases.actions.dispatch import application_act, case_act
from yiwang.cases.schemas import (
    ActionIn,
    ApplicationActionIn,
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    CaseOut,
    CasePage,
)
from yiwang.cases.states import CaseStatus
from yiwang.cases.submission.submit import application_submit
from yiwang.core.pagination import paginate
from yiwang.core.schemas import answer

router = Router(tags=["申办与办件"], auth=api_auth)


# 申办编号 or 办件编号 (cases.numbers): bounded, so an over-long one is a 422 naming the parameter.
CaseNumber = Annotated[str, Path(max_length=40)]


@router.post("/applications", response={201: ApplicationOut}, summary="提交申请（单个事项或一件事）")
@api_requires(Permission.APPLY)
def submit_application(
    request: ApiRequest,
    payload: ApplicationIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=100),
) -> HttpResponse:
    submission = application_submit(
        actor=request.auth,
        item=payload.item,
        bundle=payload.bundle,
        members=payload.members,
        applicant=payload.applicant.model_dump(exclude_none=True) if payload.applicant else None,
        form=payload.form,
        materials=[m.model_dump(exclude_none=True) for m in payload.materials],
        channel=payload.channel,
        idempotency_key=idempotency_key,
        sharing_consent=payload.sharing_consent,
    )
    detail = presenters.application_detail(submission.application, request.auth, stored=submission.stored)
    return answer(ApplicationOut, detail, status=201)


class ApplicationFilters(Schema):
    page: int = Field(1, ge=1, le=10_000)


@router.get("/applications", response=ApplicationPage, summary="我的办件（工作人员：职责范围内的申办）")
@api_requires(Permission.CASE_READ)
def list_applications(request: ApiRequest, filters: Query[ApplicationFilters]) -> HttpResponse:
    page = paginate(request, selectors.application_list(request.auth), filters.page)
    personal_data_read(
        actor=request.auth,
        obj=None,
        view="api.applications",
        label=f"申办列表第 {filters.page} 页",
        detail={"applications": [a.number for a in page.rows]},
    )
    return answer(
        ApplicationPage,
        {
            "items": [presenters.application_detail(a, request.auth) for a in page.rows],
            "count": page.count,
            "next": page.next_url,
        },
    )


@router.get("/applications/{number}", response=ApplicationOut, summary="申办详情：状态、办件、过程、文书")
@api_requires(Permission.CASE_READ)
def get_application(request: ApiRequest, number: CaseNumber) -> HttpResponse:
    application, cases = selectors.application_for_status(request.auth, number)
    personal_data_read(actor=request.auth, obj=application, view="api.application")
    return answer(ApplicationOut, presenters.application_detail(application, request.auth, cases=cases))


@router.post(
    "/applications/{number}/actions",
    response=ApplicationOut,
    summary="申办整体动作：一件事整体受理、一次性补正告知、补正、撤回",
)
@api_requires(Permission.CASE_ACT)
def act_on_application(request: ApiRequest, number: CaseNumber, payload: ApplicationActionIn) -> HttpResponse:
    application = application_act(
        actor=request.auth, number=number, action=payload.action, body=_body(payload), channel=payload.channel
    )
    return answer(ApplicationOut, presenters.application_detail(application, request.auth))


@router.get(
    "/applications/{number}/notices/{kind}.pdf",
    url_name="application_notice",
    summary="文书 PDF：acceptance 受理通知书 / refusal 不予受理通知书 / supplement 补正材料一次性告知书 / "
    "extension 延长审批期限告知书 / completion 办结通知书",
)
@api_requires(Permission.CASE_READ)
def get_notice(
    request: ApiRequest,
    number: CaseNumber,
    kind: Literal["acceptance", "refusal", "supplement", "extension", "completion"],
) -> HttpResponse:
    from yiwang.cases.notices import notice_pdf

    application = selectors.load_application(request.auth, number)
    filename, content = notice_pdf(application, kind)
    personal_data_read(actor=request.auth, obj=application, view="api.notice", detail={"notice": kind})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


class CaseFilters(Schema):
    department: str = Field("", max_length=32)
    status: Literal[tuple(["", *CaseStatus.values])] = ""  # type: ignore[valid-type]
    warning: Literal["", "normal", "yellow", "red"] = ""
    page: int = Field(1, ge=1, le=10_000)


@router.get("/cases", response=CasePage, summary="办件列表（仅职责范围内；按承诺办结日期排序）")
@api_requires(Permission.CASE_READ)
def list_cases(request: ApiRequest, filters: Query[CaseFilters]) -> HttpResponse:
    cases = selectors.case_list(
        request.auth, department=filters.department, status=filters.status, warning=filters.warning
    )
    page = paginate(request, cases, filters.page)
    return answer(
        CasePage,
        {
            "items": [presenters.case_summary(c) for c in page.rows],
            "count": page.count,
            "next": page.next_url,
        },
    )


@router.get("/cases/{number}", response=CaseOut, summary="办件详情：状态、期限、预警、过程")
@api_requires(Permission.CASE_READ)
def get_case(request: ApiRequest, number: CaseNumber) -> HttpResponse:
    case = selectors.case_detail(request.auth, number)
    personal_data_read(actor=request.auth, obj=case, view="api.case")
    return answer(CaseOut, presenters.case_detail(case, request.auth))


@router.post(
    "/cases/{number}/actions", response=CaseOut, summary="办件动作（状态不允许或已被他人处理时返回 409）"
)
@api_requires(Permission.CASE_ACT)
def act_on_case(request: ApiRequest, number: CaseNumber, payload: ActionIn) -> HttpResponse:
    case = case_act(
        actor=request.auth, number=number, action=payload.action, body=_body(payload), channel=payload.channel
    )
    return answer(CaseOut, presenters.case_detail(case, request.auth))


def _body(payload: ActionIn) -> dict[str, Any]:
    body = payload.model_dump(exclude_none=True)
    if "materials" in body:
        body["materials"] = [{k: v for k, v in m.items() if v is not None} for m in body["materials"]]
    return body
