"""决定与办结: approve or deny a case under review, then complete it with its result — which issues
its e-licence and starts the bundle members that were waiting for it, with the data they need."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.cases.actions.checks import authorise, clean_reason
from yiwang.cases.actions.clock import clock_started
from yiwang.cases.founding import entity_establish, uscc_assign
from yiwang.cases.handover import handover_errors, handover_materials, handover_spec, handover_values
from yiwang.cases.models import Case
from yiwang.cases.states import Action, CaseStatus
from yiwang.cases.status import application_refresh_status
from yiwang.cases.transition import transition
from yiwang.catalog.models import BundleDependency
from yiwang.core.errors import ValidationFailed
from yiwang.licences.services import licence_issue


@transaction.atomic
def case_approve(*, actor: User, case: Case, reason: str = "", channel: str = "") -> Case:
    """准予: grant the application."""
    role = authorise(actor, case, Action.APPROVE)
    return transition(
        case,
        action=Action.APPROVE,
        to_status=CaseStatus.APPROVED,
        actor=actor,
        role=role,
        channel=channel,
        reason=clean_reason(reason, required=False, label="审批意见"),
        decided_at=timezone.now(),
    )


@transaction.atomic
def case_deny(*, actor: User, case: Case, reason: str, channel: str = "") -> Case:
    """不予: deny the application, with the reason the decision states."""
    role = authorise(actor, case, Action.DENY)
    return transition(
        case,
        action=Action.DENY,
        to_status=CaseStatus.DENIED,
        actor=actor,
        role=role,
        channel=channel,
        reason=clean_reason(reason, required=True, label="不予许可"),
        decided_at=timezone.now(),
    )


@transaction.atomic
def case_complete(*, actor: User, case: Case, result: Any = None, channel: str = "") -> Case:
    """办结: close the case with its result; waiting bundle members whose prerequisites are done start."""
    role = authorise(actor, case, Action.COMPLETE)
    # 企业设立登记: the case's result makes the company's USCC; the officer types none.
    establishing = case.status == CaseStatus.APPROVED and case.item_version.establishes_entity
    produced = {"uscc": uscc_assign(region_code=case.department.region_code)} if establishing else {}
    cleaned = _result(case, result, produced=produced)
    case = transition(
        case,
        action=Action.COMPLETE,
        to_status=CaseStatus.COMPLETED,
        actor=actor,
        role=role,
        channel=channel,
        completed_at=timezone.now(),
        result=cleaned,
        step_due=None,
    )
    if establishing:
        entity_establish(case, uscc=produced["uscc"])
    _issue_licence(case)
    _start_dependents(case)
    return case


def _issue_licence(case: Case) -> None:
    """An approved item whose result is an e-licence issues it into the library (signed) as it completes."""
    licence = licence_issue(case=case)
    if licence is not None:
        case.result = {**case.result, "licence_identifier": licence.identifier}
        Case.objects.filter(pk=case.pk).update(result=case.result)


def _result(case: Case, result: Any, *, produced: dict[str, Any]) -> dict[str, Any]:
    """The case's result as stored: the decision, the document's name and number, and its data —
    with what the next bundle members need (handover) and what completion produces itself."""
    if result is None:
        result = {}
    if not isinstance(result, dict):
        raise ValidationFailed({"result": ["应为 JSON 对象"]})
    data = result.get("data") or {}
    if not isinstance(data, dict):
        raise ValidationFailed({"result.data": ["应为 JSON 对象"]})
    cleaned: dict[str, Any] = {
        "decision": "approved" if case.status == CaseStatus.APPROVED else "denied",
        "name": str(result.get("name") or case.item_version.result_name or "")[:100],
        "number": str(result.get("number") or "")[:100],
        "note": str(result.get("note") or "")[:1000],
        "data": data,
    }
    typed = sorted(name for name in produced if data.get(name) not in (None, ""))
    if typed:
        raise ValidationFailed(
            {f"result.data.{name}": ["由办结时自动生成，无需填写"] for name in typed},
            code="result_data_produced",
        )
    if case.status == CaseStatus.APPROVED and case.bundle_member_id:
        spec = handover_spec(case)
        problems = handover_errors(spec, data)
        if problems:
            raise ValidationFailed(
                problems, message="后续事项需要的办理结果数据未填写或不正确", code="handover_data_invalid"
            )
        cleaned["data"] = {**data, **handover_values(spec, data)}
    cleaned["data"] = {**cleaned["data"], **produced}
    return cleaned


def _start_dependents(done: Case) -> None:
    """The bundle members waiting for `done` whose prerequisites are all completed start now, with
    the data and materials handed over; one whose prerequisite was denied is refused."""
    if done.bundle_member_id is None:
        return
    dependents = BundleDependency.objects.filter(requires_id=done.bundle_member_id).values("member_id")
    waiting = Case.objects.select_related("item_version").filter(
        application_id=done.application_id, bundle_member_id__in=dependents, status=CaseStatus.WAITING
    )
    today = timezone.localdate()
    for case in waiting:
        prerequisites = Case.objects.filter(
            application_id=done.application_id,
            bundle_member_id__in=BundleDependency.objects.filter(member_id=case.bundle_member_id).values(
                "requires_id"
            ),
        )
        if any(p.status != CaseStatus.COMPLETED for p in prerequisites):
            continue
        failed = [p for p in prerequisites if p.result.get("decision") == "denied"]
        if failed:
            transition(
                case,
                action=Action.REFUSE,
                to_status=CaseStatus.REFUSED,
                actor=None,
                role="system",
                reason=f"前置事项 {failed[0].item_version.name} 未获准予，本事项无法办理",
            )
            continue
        handover: dict[str, Any] = {}
        for dependency in BundleDependency.objects.filter(member_id=case.bundle_member_id).select_related(
            "requires"
        ):
            source = next(p for p in prerequisites if p.bundle_member_id == dependency.requires_id)
            for name in dependency.handover_fields:
                value = source.result.get("data", {}).get(name, source.data.get(name))
                if value is not None:
                    handover[name] = value
        for source in prerequisites:
            handover_materials(source, case)
        transition(
            case,
            action=Action.START,
            to_status=CaseStatus.ACCEPTED,
            actor=None,
            role="system",
            reason="前置事项已办结，数据已移交",
            event_data={"handover": handover},
            **clock_started(case, today, data={**case.data, **handover}),
        )
    application_refresh_status(done.application)
