"""API schemas for applications and cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field

from yiwang.cases.actions.dispatch import CASE_HANDLERS
from yiwang.cases.models import SuspensionKind
from yiwang.cases.selectors import APPLICATION_ACTIONS
from yiwang.core.schemas import Out, Timestamp


class ApplicantIn(Schema):
    kind: Literal["person", "legal"] = "person"
    name: str = Field("", max_length=100)
    id_number: str | None = Field(None, max_length=18, description="自然人：公民身份号码")
    uscc: str | None = Field(None, max_length=18, description="法人：统一社会信用代码")
    legal_representative: str | None = Field(None, max_length=50)
    legal_representative_id_number: str | None = Field(None, max_length=18)


class MaterialIn(Schema):
    material: int = Field(..., description="材料 id（见事项或一件事详情）")
    document: UUID | None = Field(None, description="已上传文件的 id（POST /documents）")
    licence: str | None = Field(None, max_length=120, description="申请人持有的电子证照标识")
    pledge: bool = Field(False, description="以告知承诺代替该材料")


class ApplicationIn(Schema):
    # Exactly one of item and bundle, non-empty (cases.targets.application_target): stated so that a client, and the
    # schemathesis run, know it from the schema.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["item"], "properties": {"item": {"type": "string", "minLength": 1}}},
                {"required": ["bundle"], "properties": {"bundle": {"type": "string", "minLength": 1}}},
            ]
        }
    )

    item: str | None = Field(None, max_length=36, description="事项实施编码")
    bundle: str | None = Field(None, max_length=40, description="一件事编码")
    members: list[Annotated[str, Field(max_length=36)]] | None = Field(
        None, max_length=50, description="一件事中勾选的可选事项编码"
    )
    applicant: ApplicantIn | None = Field(None, description="窗口代办时必填；本人申请时取登录账号")
    form: dict[str, Any] = Field(default_factory=dict)
    materials: list[MaterialIn] = Field(default_factory=list, max_length=200)
    channel: Literal["web", "mobile", "window", "kiosk", "api"] = "api"
    sharing_consent: bool = Field(False, description="授权办理部门为本次申请查询、调取本人电子证照和数据")


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(
        ...,
        max_length=30,
        # A string, so an unknown action is the service's `unknown_action` field error; the enum states
        # the contract in the OpenAPI document.
        json_schema_extra={"enum": [str(action) for action in CASE_HANDLERS]},
        description="accept | refuse | request_supplement | supplement | "
        "start_review | suspend | resume | extend | approve | deny | complete | withdraw",
    )
    reason: str | None = Field(None, max_length=1000)
    kind: str | None = Field(
        None,
        max_length=30,
        json_schema_extra={"enum": [*SuspensionKind.values, None]},
        description="suspend：特别程序种类",
    )
    items: list[dict[str, Any]] | None = Field(
        None, max_length=200, description="request_supplement：[{material, reason}]"
    )
    materials: list[MaterialIn] | None = Field(None, max_length=200, description="supplement：补正材料")
    result: dict[str, Any] | None = Field(None, description="complete：{name, number, note, data}")
    channel: Literal["web", "mobile", "window", "kiosk", "api"] = "api"


class ApplicationActionIn(ActionIn):
    action: str = Field(
        ...,
        max_length=30,
        json_schema_extra={"enum": [str(action) for action in APPLICATION_ACTIONS]},
        description="accept | refuse | request_supplement | supplement | withdraw",
    )


class CodeLabel(Out):
    code: str
    label: str


class EventOut(Out):
    case: str
    action: CodeLabel
    from_status: str
    to_status: CodeLabel
    actor: str | None
    role: str
    channel: str
    reason: str
    data: dict[str, Any]
    at: Timestamp


class DeadlinesOut(Out):
    received_on: date
    supplement_deadline: date
    accepted_on: date | None
    deemed_accepted: bool
    promised_days: int
    statutory_days: int
    promised_limit: str = Field(
        description="承诺时限的文字表述，含依法延长的工作日，如“3 个工作日（已延长 10 个工作日）”"
    )
    statutory_limit: str = Field(description="法定时限的文字表述，含依法延长的工作日")
    promised_due: date | None
    statutory_due: date | None
    working_days_used: int | None
    working_days_left: int | None
    suspended_days: int
    extension_days: int
    warning: str


class CaseSummaryOut(Out):
    number: str
    application: str
    item: CodeLabel
    item_version: int
    department: CodeLabel
    status: CodeLabel
    case_type: CodeLabel
    deadlines: DeadlinesOut


class CasePage(Out):
    items: list[CaseSummaryOut]
    count: int
    next: str | None


class ProvidedMaterialOut(Out):
    material: int
    name: str
    way: Literal["document", "licence", "pledge", "form"]
    document: UUID | None
    licence: str | None
    from_library: bool = Field(description="免提交：从电子证照库自动获取，申请人未提交")
    note: str
    supplemented: bool


class SupplementOut(Out):
    items: list[dict[str, Any]]
    note: str
    issued_at: Timestamp
    answered_at: Timestamp | None


class SuspensionOut(Out):
    kind: CodeLabel
    reason: str
    started_on: date
    ended_on: date | None
    working_days: int
    result: str


class CaseOut(CaseSummaryOut):
    allowed_actions: list[str]
    data: dict[str, Any]
    result: dict[str, Any]
    waiting_for: list[str]
    supplement_request: SupplementOut | None
    suspensions: list[SuspensionOut]
    events: list[EventOut]


class AgentOut(Out):
    """经办人: the natural person applying for a legal person (a founder, a person acting for a company)."""

    name: str
    id_number: str


class ApplicantOut(Out):
    kind: str
    name: str
    id_type: str
    id_number: str = Field(description="公民身份号码或统一社会信用代码；拟设立企业在设立登记办结前为空")
    agent: AgentOut | None = None


class NoticeOut(Out):
    kind: str
    title: str
    url: str


class ApplicationOut(Out):
    number: str
    title: str
    item: str | None
    bundle: str | None
    status: CodeLabel
    channel: CodeLabel
    applicant: ApplicantOut
    form: dict[str, Any]
    created_at: Timestamp
    materials: list[ProvidedMaterialOut]
    cases: list[CaseSummaryOut]
    events: list[EventOut]
    notices: list[NoticeOut]


class ApplicationPage(Out):
    items: list[ApplicationOut]
    count: int
    next: str | None
