"""办件动作: every action on a case or an application, guarded by the state machine and the access policy.

Each public function is one action, named `case_<action>`; `case_act` dispatches the API's
`{"action": …}` body to them. Rules:
- §32: a 补正 notice lists everything missing, once; not issued within 5 working days of receipt,
  the case counts as accepted on the day of receipt.
- §42: one extension, by a department head, with a reason.
- §45: special procedures stop the clock; their working days are added back.
- Bundles are accepted as a whole at one window; members waiting for another member's result start
  when it is completed, with the handed-over data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.policy import INTAKE
from yiwang.calendar.selectors import add_working_days, working_days_between
from yiwang.cases import access, deadlines
from yiwang.cases.applicants import Applicant, Problems
from yiwang.cases.founding import entity_establish, uscc_assign
from yiwang.cases.handover import handover_errors, handover_materials, handover_spec, handover_values
from yiwang.cases.models import (
    ONLINE_CHANNELS,
    Application,
    ApplicationMaterial,
    Case,
    Channel,
    SupplementRequest,
    Suspension,
    SuspensionKind,
)
from yiwang.cases.pledges import pledge_checks_open
from yiwang.cases.states import BEFORE_ACCEPTANCE, Action, CaseStatus, allowed_actions, is_allowed
from yiwang.cases.status import application_refresh_status
from yiwang.cases.submission import Forbidden, collect_materials, provided_material
from yiwang.cases.transitions_core import ActionNotAllowed, transition
from yiwang.catalog.codes import StaffRole
from yiwang.catalog.models import BundleDependency, Material
from yiwang.core.compiled import Compiled
from yiwang.core.errors import Conflict, NotFound, ValidationFailed

REASON_MAX = 1000


def _reason(reason: str, *, required: bool, label: str) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationFailed({"reason": [f"{label}须写明理由"]}, code="reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [f"理由不能超过 {REASON_MAX} 字"]})
    return reason


def load_case(user: User, number: str, *, for_update: bool = False) -> Case:
    """The case if the user may see it; otherwise 404, whether it exists or not."""
    cases = access.visible_cases(user).select_related(
        "application", "item_version__item", "department", "bundle_member"
    )
    case = cases.filter(number=number).first()
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return case


def _authorise(user: User, case: Case, action: str) -> str:
    """The role the user acts in; 403 if their post may not do this, 409 if the state does not allow it."""
    if action not in access.case_actions_for(user, case):
        raise Forbidden("action_forbidden", f"您的岗位不能对办件 {case.number} 执行“{Action(action).label}”")
    if not is_allowed(action, case.status):
        if case.deemed_accepted and action in (Action.REQUEST_SUPPLEMENT, Action.REFUSE):
            raise ActionNotAllowed(case, action, _deemed_message(case, action))
        raise ActionNotAllowed(case, action)
    return access.role_for(user, action)


def case_actions_available(user: User, case: Case, *, today: date | None = None) -> list[str]:
    """The actions this user can take on this case now: the role, the state machine, and the rules the
    services would otherwise refuse (one 补正 notice, one extension, §32, bundles accepted whole)."""
    today = today or timezone.localdate()
    permitted = access.case_actions_for(user, case)
    system = {Action.PRE_REVIEW, Action.DEEMED_ACCEPT, Action.START, Action.REVOKE}
    actions = [a for a in allowed_actions(case.status) if a in permitted and a not in system]
    late = case.status in BEFORE_ACCEPTANCE and today > case.supplement_deadline  # §32: deemed accepted
    refused: set[str] = set()
    if case.bundle_member_id is not None and not late:
        refused.add(Action.ACCEPT)  # the bundle is accepted as a whole (a late one is accepted already)
    if late or case.has_supplement_request():
        refused.add(Action.REQUEST_SUPPLEMENT)
    if late:
        refused.add(Action.REFUSE)
    if case.extension_days:
        refused.add(Action.EXTEND)
    return [a for a in actions if a not in refused]


def _deemed_message(case: Case, action: str) -> str:
    return (
        f"收件后 {deadlines.SUPPLEMENT_NOTICE_DAYS} 个工作日内未一次性告知补正，依《行政许可法》第三十二条"
        f"自 {case.received_on:%Y-%m-%d} 起视为受理，不能再{Action(action).label}"
    )


def _start_clock(case: Case, start: date, **extra: Any) -> dict[str, Any]:
    dues = deadlines.compute_dues(
        start=start,
        promised_days=case.promised_days,
        statutory_days=case.statutory_days,
        extension_days=case.extension_days,
        suspended_days=case.suspended_days,
    )
    return {
        "promised_due": dues.promised_due,
        "statutory_due": dues.statutory_due,
        "yellow_on": dues.yellow_on,
        "step_due": _step_due(case, start),
        **extra,
    }


def _step_due(case: Case, start: date) -> date | None:
    """The limit of the first review step (the step after intake), from when the clock starts."""
    step = case.item_version.steps.exclude(role=StaffRole.WINDOW_CLERK).order_by("order").first()
    if step is None or step.limit_days == 0:
        return None
    return add_working_days(start, step.limit_days)


def _unmet_prerequisites(case: Case) -> list[Case]:
    if case.bundle_member_id is None:
        return []
    required = BundleDependency.objects.filter(member_id=case.bundle_member_id).values("requires_id")
    return list(
        Case.objects.filter(application_id=case.application_id, bundle_member_id__in=required).exclude(
            status=CaseStatus.COMPLETED
        )
    )


# ---- intake ---------------------------------------------------------------------------------


def deem_accepted_if_due(case: Case, *, today: date | None = None, taken_in_by: User | None = None) -> bool:
    """§32: past the notice deadline with no 补正 notice, the case counts as accepted on receipt.

    `taken_in_by`: the clerk whose accept found the case past the deadline. The acceptance stays the
    law's (a system event), but the clerk's service point keeps the case as if they had accepted it.
    """
    today = today or timezone.localdate()
    if case.status not in BEFORE_ACCEPTANCE or today <= case.supplement_deadline:
        return False
    reason = (
        f"收件后 {deadlines.SUPPLEMENT_NOTICE_DAYS} 个工作日内未一次性告知补正，"
        f"依《行政许可法》第三十二条自收件之日（{case.received_on:%Y-%m-%d}）起视为受理"
    )
    _accept(
        case,
        actor=None,
        role="system",
        channel="",
        start=case.received_on,
        deemed=True,
        action=Action.DEEMED_ACCEPT,
        reason=reason,
        keeper=taken_in_by,
    )
    return True


def _keep_at_point(case: Case, clerk: User | None) -> dict[str, Any]:
    """一窗受理 keeps what it takes in: the case's field for transition(), naming the service point of the
    clerk who accepts it or issues its 补正 notice; an online application records the same point.

    An online application leaves the intake queue every window sees (access.ONLINE_INTAKE) at that
    moment; the recorded point is what keeps it on that window's desk (access: own service point).
    After a 补正 it comes back to the queue, and the window that takes it in then keeps it. One made
    at a window stays with that window. Without a clerk (§32 by the sweep) nothing moves.
    """
    application = case.application
    point_id = clerk.service_point_id if clerk is not None else None
    if point_id is None or application.channel == Channel.WINDOW:
        return {"service_point_id": case.service_point_id or point_id}
    if application.service_point_id != point_id:
        Application.objects.filter(pk=application.pk).update(service_point_id=point_id)
        application.service_point_id = point_id
    return {"service_point_id": point_id}


def _accept(
    case: Case,
    *,
    actor: User | None,
    role: str,
    channel: str,
    start: date,
    deemed: bool,
    action: str = Action.ACCEPT,
    reason: str = "",
    keeper: User | None = None,
) -> Case:
    now = timezone.now()
    common = {
        "accepted_at": now,
        "accepted_on": start,
        "deemed_accepted": deemed,
        "accepted_by": actor,
        **_keep_at_point(case, keeper or actor),
    }
    if _unmet_prerequisites(case):
        # Accepted at the window together with its bundle; its clock starts when the prerequisite is done.
        case = transition(
            case,
            action=action,
            to_status=CaseStatus.WAITING,
            actor=actor,
            role=role,
            channel=channel,
            reason=reason or "等待前置事项办结",
            **common,
        )
    else:
        case = transition(
            case,
            action=action,
            to_status=CaseStatus.ACCEPTED,
            actor=actor,
            role=role,
            channel=channel,
            reason=reason,
            **_start_clock(case, start, **common),
        )
    pledge_checks_open(case, start)
    return case


@transaction.atomic
def case_accept(*, actor: User, case: Case, channel: str = "") -> Case:
    """受理: accept a submitted case and start its legal clock."""
    role = _authorise(actor, case, Action.ACCEPT)
    if case.bundle_member_id is not None:
        raise ActionNotAllowed(case, Action.ACCEPT, "一件事由综合窗口整体受理，请对申办执行受理")
    return _accept(case, actor=actor, role=role, channel=channel, start=timezone.localdate(), deemed=False)


@transaction.atomic
def case_refuse(*, actor: User, case: Case, reason: str, channel: str = "") -> Case:
    """不予受理: refuse to accept, with the reason the notice states."""
    role = _authorise(actor, case, Action.REFUSE)
    reason = _reason(reason, required=True, label="不予受理")
    return transition(
        case,
        action=Action.REFUSE,
        to_status=CaseStatus.REFUSED,
        actor=actor,
        role=role,
        channel=channel,
        reason=reason,
    )


def _supplement_items(case_versions: list[Any], items: Any) -> list[dict[str, Any]]:
    """Validate the list of what is missing: every entry a material of the case with a reason."""
    if not isinstance(items, list) or not items:
        raise ValidationFailed(
            {"items": ["须列出需要补正的全部材料（一次性告知）"]}, code="supplement_items_required"
        )
    materials = {m.id: m for m in Material.objects.filter(version__in=case_versions)}
    problems = Problems()
    cleaned: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, entry in enumerate(items):
        material_id = entry.get("material") if isinstance(entry, dict) else None
        reason = str(entry.get("reason") or "").strip() if isinstance(entry, dict) else ""
        material = materials.get(material_id) if isinstance(material_id, int) else None
        if material is None:
            problems.add(f"items[{i}].material", "不是该办件的申请材料")
        elif material_id in seen:
            problems.add(f"items[{i}].material", "重复列出")
        if not reason or len(reason) > 500:
            problems.add(f"items[{i}].reason", "须说明需要补正的原因（不超过 500 字）")
        if material is not None and reason:
            seen.add(material.id)
            cleaned.append({"material": material.id, "name": material.name, "reason": reason})
    if problems.fields:
        raise ValidationFailed(problems.fields)
    return cleaned


@transaction.atomic
def case_request_supplement(
    *, actor: User, case: Case, items: Any, note: str = "", channel: str = ""
) -> Case:
    """补正告知: tell the applicant everything to correct, in one notice."""
    role = _authorise(actor, case, Action.REQUEST_SUPPLEMENT)
    return _request_supplement(case, actor=actor, role=role, items=items, note=note, channel=channel)


def _request_supplement(case: Case, *, actor: User, role: str, items: Any, note: str, channel: str) -> Case:
    if not is_allowed(Action.REQUEST_SUPPLEMENT, case.status):
        raise ActionNotAllowed(case, Action.REQUEST_SUPPLEMENT)
    if SupplementRequest.objects.filter(case=case).exists():
        raise ActionNotAllowed(case, Action.REQUEST_SUPPLEMENT, "补正材料只能一次性告知，该办件已告知过")
    cleaned = _supplement_items([case.item_version], items)
    note = _reason(note, required=False, label="补正说明")
    SupplementRequest.objects.create(
        case=case, items=cleaned, note=note, issued_at=timezone.now(), issued_by=actor
    )
    return transition(
        case,
        action=Action.REQUEST_SUPPLEMENT,
        to_status=CaseStatus.SUPPLEMENT_REQUESTED,
        actor=actor,
        role=role,
        channel=channel,
        reason=note,
        event_data={"items": cleaned},
        **_keep_at_point(case, actor),
    )


@transaction.atomic
def case_supplement(*, actor: User, case: Case, materials: Any, channel: str = "") -> Case:
    """补正材料: provide exactly what the notice asked for; the case returns to intake."""
    role = _authorise(actor, case, Action.SUPPLEMENT)
    if case.status != CaseStatus.SUPPLEMENT_REQUESTED:
        raise ActionNotAllowed(case, Action.SUPPLEMENT)
    if not isinstance(materials, list):
        raise ValidationFailed({"materials": ["应为数组"]})
    request = case.supplement_request
    asked = list(Material.objects.filter(pk__in=[entry["material"] for entry in request.items]))
    asked_keys = {m.share_key for m in asked}
    problems = Problems()
    provided = collect_materials(
        actor, _applicant_of(case), [case.item_version], materials, problems, require_all=False
    )
    for p in provided:
        if p.material.share_key not in asked_keys:
            problems.add("materials", f"“{p.material.name}”不在补正告知书所列范围内")
    given = {p.material.share_key for p in provided}
    for material in asked:
        if material.share_key not in given:
            problems.add("materials", f"缺少补正材料：{material.name}")
    if problems.fields:
        raise ValidationFailed(problems.fields)
    application = case.application
    for p in provided:
        ApplicationMaterial.objects.filter(application=application, share_key=p.material.share_key).delete()
        provided_material(application, p, supplemented=True).save()
    SupplementRequest.objects.filter(pk=request.pk).update(answered_at=timezone.now())
    today = timezone.localdate()
    to_status = CaseStatus.PRE_REVIEW if application.channel in ONLINE_CHANNELS else CaseStatus.SUBMITTED
    return transition(
        case,
        action=Action.SUPPLEMENT,
        to_status=to_status,
        actor=actor,
        role=role,
        channel=channel,
        received_on=today,
        supplement_deadline=deadlines.supplement_deadline(today),
        event_data={"materials": sorted(p.material.name for p in provided)},
    )


def _applicant_of(case: Case) -> Applicant:
    app = case.application
    return Applicant(
        app.applicant_kind,
        app.applicant_name,
        app.applicant_id_type,
        app.applicant_id_number,
        app.legal_representative,
        app.legal_representative_id_number,
        user=app.applicant_user,
        agent_user=app.agent_user,
        agent_name=app.agent_name,
        agent_id_number=app.agent_id_number,
    )


# ---- review and decision --------------------------------------------------------------------


@transaction.atomic
def case_start_review(*, actor: User, case: Case, channel: str = "") -> Case:
    """审查: an officer takes the accepted case into review."""
    role = _authorise(actor, case, Action.START_REVIEW)
    return transition(
        case,
        action=Action.START_REVIEW,
        to_status=CaseStatus.IN_REVIEW,
        actor=actor,
        role=role,
        channel=channel,
    )


@transaction.atomic
def case_suspend(*, actor: User, case: Case, kind: str, reason: str, channel: str = "") -> Case:
    """特别程序: hearing, expert review, testing, public notice… — the clock stops (§45)."""
    role = _authorise(actor, case, Action.SUSPEND)
    if kind not in SuspensionKind.values:
        raise ValidationFailed(
            {
                "kind": [
                    "特别程序种类须为：" + "、".join(f"{v}（{label}）" for v, label in SuspensionKind.choices)
                ]
            }
        )
    reason = _reason(reason, required=True, label="特别程序")
    today = timezone.localdate()
    Suspension.objects.create(case=case, kind=kind, reason=reason, started_on=today)
    return transition(
        case,
        action=Action.SUSPEND,
        to_status=CaseStatus.SUSPENDED,
        actor=actor,
        role=role,
        channel=channel,
        reason=reason,
        event_data={"kind": kind},
        suspended_on=today,
        status_before_suspension=case.status,
    )


@transaction.atomic
def case_resume(*, actor: User, case: Case, result: str = "", channel: str = "") -> Case:
    """特别程序结束: the clock runs again; the working days it stood still are added to the dues."""
    role = _authorise(actor, case, Action.RESUME)
    if case.status != CaseStatus.SUSPENDED:
        raise ActionNotAllowed(case, Action.RESUME)
    today = timezone.localdate()
    stopped = working_days_between(case.suspended_on, today) if case.suspended_on else 0
    suspension = case.suspensions.filter(ended_on__isnull=True).order_by("-started_on").first()
    if suspension is not None:
        Suspension.objects.filter(pk=suspension.pk).update(
            ended_on=today, result=_reason(result, required=False, label="结果"), working_days=stopped
        )
    case.suspended_days += stopped
    dues = _dues_after_change(case)
    return transition(
        case,
        action=Action.RESUME,
        to_status=case.status_before_suspension or CaseStatus.IN_REVIEW,
        actor=actor,
        role=role,
        channel=channel,
        reason=result,
        event_data={"working_days": stopped},
        suspended_days=case.suspended_days,
        suspended_on=None,
        status_before_suspension="",
        **dues,
    )


def _dues_after_change(case: Case) -> dict[str, Any]:
    start = case.accepted_on
    if start is None:
        return {}
    dues = deadlines.compute_dues(
        start=_clock_start(case),
        promised_days=case.promised_days,
        statutory_days=case.statutory_days,
        extension_days=case.extension_days,
        suspended_days=case.suspended_days,
    )
    return {
        "promised_due": dues.promised_due,
        "statutory_due": dues.statutory_due,
        "yellow_on": dues.yellow_on,
    }


def _clock_start(case: Case) -> date:
    """The day the clock started: acceptance, or for a waiting bundle member the day it started."""
    started = case.events.filter(action=Action.START).order_by("-at").values_list("at", flat=True).first()
    return timezone.localdate(started) if started else case.accepted_on  # type: ignore[return-value]


@transaction.atomic
def case_extend(*, actor: User, case: Case, reason: str, channel: str = "") -> Case:
    """延长办理期限: once, with a reason and a department head's approval (§42).

    The event keeps the dues before and after: the 延长审批期限告知书 (notices) tells the applicant
    both, as they stood on the day, whatever later suspensions move.
    """
    role = _authorise(actor, case, Action.EXTEND)
    reason = _reason(reason, required=True, label="延长期限")
    if case.extension_days:
        raise ActionNotAllowed(case, Action.EXTEND, "办理期限只能延长一次，该办件已延长过")
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW, CaseStatus.SUSPENDED):
        raise ActionNotAllowed(case, Action.EXTEND)
    before = {"promised_due_before": case.promised_due, "statutory_due_before": case.statutory_due}
    case.extension_days = settings.YIWANG_EXTENSION_DAYS
    dues = _dues_after_change(case)
    after = {"promised_due_after": dues.get("promised_due"), "statutory_due_after": dues.get("statutory_due")}
    return transition(
        case,
        action=Action.EXTEND,
        to_status=case.status,
        actor=actor,
        role=role,
        channel=channel,
        reason=reason,
        event_data={
            "working_days": case.extension_days,
            **{name: day.isoformat() for name, day in {**before, **after}.items() if day is not None},
        },
        extension_days=case.extension_days,
        **dues,
    )


@transaction.atomic
def case_approve(*, actor: User, case: Case, reason: str = "", channel: str = "") -> Case:
    """准予: grant the application."""
    role = _authorise(actor, case, Action.APPROVE)
    return transition(
        case,
        action=Action.APPROVE,
        to_status=CaseStatus.APPROVED,
        actor=actor,
        role=role,
        channel=channel,
        reason=_reason(reason, required=False, label="审批意见"),
        decided_at=timezone.now(),
    )


@transaction.atomic
def case_deny(*, actor: User, case: Case, reason: str, channel: str = "") -> Case:
    """不予: deny the application, with the reason the decision states."""
    role = _authorise(actor, case, Action.DENY)
    return transition(
        case,
        action=Action.DENY,
        to_status=CaseStatus.DENIED,
        actor=actor,
        role=role,
        channel=channel,
        reason=_reason(reason, required=True, label="不予许可"),
        decided_at=timezone.now(),
    )


@transaction.atomic
def case_complete(*, actor: User, case: Case, result: Any = None, channel: str = "") -> Case:
    """办结: close the case with its result; waiting bundle members whose prerequisites are done start."""
    role = _authorise(actor, case, Action.COMPLETE)
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
    _start_dependents(case, actor=actor)
    return case


def _issue_licence(case: Case) -> None:
    """An approved item whose result is an e-licence issues it into the library (signed) as it completes."""
    if not apps.is_installed("yiwang.licences"):
        return
    from yiwang.licences.services import licence_issue  # type: ignore[import-not-found]

    licence = licence_issue(case=case)
    if licence is not None:
        case.result = {**case.result, "licence_identifier": licence.identifier}
        Case.objects.filter(pk=case.pk).update(result=case.result)


def _result(case: Case, result: Any, *, produced: dict[str, Any]) -> dict[str, Any]:
    if result is None:
        result = {}
    if not isinstance(result, dict):
        raise ValidationFailed({"result": ["应为 JSON 对象"]})
    data = result.get("data") or {}
    if not isinstance(data, dict):
        raise ValidationFailed({"result.data": ["应为 JSON 对象"]})
    cleaned = {
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


def _start_dependents(done: Case, *, actor: User) -> None:
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
            **_start_clock(case, today, data={**case.data, **handover}),
        )
    application_refresh_status(done.application)


# ---- withdrawal -----------------------------------------------------------------------------


@transaction.atomic
def case_withdraw(*, actor: User, case: Case, reason: str = "", channel: str = "") -> Case:
    """撤回: the applicant withdraws before a decision."""
    role = _authorise(actor, case, Action.WITHDRAW)
    return transition(
        case,
        action=Action.WITHDRAW,
        to_status=CaseStatus.WITHDRAWN,
        actor=actor,
        role=role,
        channel=channel,
        reason=_reason(reason, required=False, label="撤回"),
        step_due=None,
    )


# ---- dispatch -------------------------------------------------------------------------------


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed({name: ["应为文字"]})
    return value


CASE_HANDLERS: dict[str, Any] = {
    Action.ACCEPT: lambda a, c, b, ch: case_accept(actor=a, case=c, channel=ch),
    Action.REFUSE: lambda a, c, b, ch: case_refuse(actor=a, case=c, reason=_text(b, "reason"), channel=ch),
    Action.REQUEST_SUPPLEMENT: lambda a, c, b, ch: case_request_supplement(
        actor=a, case=c, items=b.get("items"), note=_text(b, "reason"), channel=ch
    ),
    Action.SUPPLEMENT: lambda a, c, b, ch: case_supplement(
        actor=a, case=c, materials=b.get("materials"), channel=ch
    ),
    Action.START_REVIEW: lambda a, c, b, ch: case_start_review(actor=a, case=c, channel=ch),
    Action.SUSPEND: lambda a, c, b, ch: case_suspend(
        actor=a, case=c, kind=_text(b, "kind"), reason=_text(b, "reason"), channel=ch
    ),
    Action.RESUME: lambda a, c, b, ch: case_resume(actor=a, case=c, result=_text(b, "reason"), channel=ch),
    Action.EXTEND: lambda a, c, b, ch: case_extend(actor=a, case=c, reason=_text(b, "reason"), channel=ch),
    Action.APPROVE: lambda a, c, b, ch: case_approve(actor=a, case=c, reason=_text(b, "reason"), channel=ch),
    Action.DENY: lambda a, c, b, ch: case_deny(actor=a, case=c, reason=_text(b, "reason"), channel=ch),
    Action.COMPLETE: lambda a, c, b, ch: case_complete(actor=a, case=c, result=b.get("result"), channel=ch),
    Action.WITHDRAW: lambda a, c, b, ch: case_withdraw(
        actor=a, case=c, reason=_text(b, "reason"), channel=ch
    ),
}


def _unknown_action(action: str) -> ValidationFailed:
    return ValidationFailed(
        {"action": ["动作须为以下之一：" + "、".join(CASE_HANDLERS)]}, code="unknown_action"
    )


def case_act(*, actor: User, number: str, action: str, body: dict[str, Any], channel: str = "") -> Case:
    """Run one action named in an API body on the case `number`."""
    try:
        case = load_case(actor, number)
    except NotFound:
        _refuse_if_taken_elsewhere(actor, number, action, label="办件")
        raise
    handler = CASE_HANDLERS.get(action)
    if handler is None:
        raise _unknown_action(action)
    taker = actor if action == Action.ACCEPT and action in access.case_actions_for(actor, case) else None
    # §32 is a fact of law, not part of the requested action: it is committed even if the action is refused.
    with transaction.atomic():
        deemed = deem_accepted_if_due(case, taken_in_by=taker)
        if deemed:
            application_refresh_status(case.application)
    if deemed and action == Action.ACCEPT:
        return case  # accepted already, dated on the day of receipt
    with transaction.atomic():
        case = handler(actor, case, body, channel)
        application_refresh_status(case.application)
    return case


def _refuse_if_taken_elsewhere(actor: User, number: str, action: str, *, label: str) -> None:
    """An intake action on an online application another window took in meanwhile: 409, not 404."""
    if action in INTAKE and access.taken_in_elsewhere(actor, number):
        raise Conflict("case_changed", f"{label} {number} 已被其他工作人员受理或处理，请刷新待办列表")


_OWN_APPLICATION = Compiled(
    lambda owner, number: Application.objects.filter(
        access.owns_application(owner), number=number
    ).select_related("bundle", "item_version")[:1],
    int,
    str,
)


def load_application(user: User, number: str) -> Application:
    if access.sees_own_only(user):  # the status read applicants make most: a compiled query
        application = _OWN_APPLICATION.first(user.pk, number)
    else:
        application = (
            access.visible_applications(user)
            .select_related("bundle", "item_version")
            .filter(number=number)
            .first()
        )
    if application is None:
        raise NotFound("未找到该申办", code="application_not_found")
    return application


APPLICATION_ACTIONS = (
    Action.ACCEPT,
    Action.REFUSE,
    Action.REQUEST_SUPPLEMENT,
    Action.SUPPLEMENT,
    Action.WITHDRAW,
)


def application_act(
    *, actor: User, number: str, action: str, body: dict[str, Any], channel: str = ""
) -> Application:
    """An action on a whole application: 一窗受理 of a bundle, one 补正 notice, withdrawal of everything open."""
    try:
        application = load_application(actor, number)
    except NotFound:
        _refuse_if_taken_elsewhere(actor, number, action, label="申办")
        raise
    if action not in APPLICATION_ACTIONS:
        raise ValidationFailed(
            {"action": ["申办整体动作须为：" + "、".join(APPLICATION_ACTIONS)]}, code="unknown_action"
        )
    taker = actor if action == Action.ACCEPT and _may_take_in(actor, application) else None
    with transaction.atomic():
        cases = list(
            Case.objects.select_related("application", "item_version__item").filter(application=application)
        )
        deemed = [case for case in cases if deem_accepted_if_due(case, taken_in_by=taker)]
        application_refresh_status(application)
    if deemed and taker is not None and not any(c.status in BEFORE_ACCEPTANCE for c in cases):
        application.refresh_from_db()
        return application  # accepted already (§32), dated on the day of receipt, as case_act answers
    with transaction.atomic():
        return _application_act(actor, application, action, body, channel)


def _application_act(
    actor: User, application: Application, action: str, body: dict[str, Any], channel: str
) -> Application:
    cases = list(
        Case.objects.select_related("application", "item_version__item", "department", "bundle_member")
        .filter(application=application)
        .order_by("number")
        .select_for_update(of=("self",))  # lock the cases only, not the catalog rows they join
    )
    if action == Action.ACCEPT:
        _bundle_intake_allowed(actor, application)
        pending = [c for c in cases if c.status in BEFORE_ACCEPTANCE]
        if not pending:
            # Read under the lock: a clerk who lost the race to accept is told who won, not "nothing here".
            taken = any(c.accepted_by_id not in (None, actor.pk) for c in cases)
            raise Conflict(
                "action_not_allowed",
                f"申办 {application.number} 已被其他工作人员受理"
                if taken
                else f"申办 {application.number} 没有待受理的办件",
            )
        role = access.role_for(actor, Action.ACCEPT)
        today = timezone.localdate()
        for case in pending:
            if not deem_accepted_if_due(case):
                _accept(case, actor=actor, role=role, channel=channel, start=today, deemed=False)
    elif action == Action.REQUEST_SUPPLEMENT:
        _bundle_intake_allowed(actor, application)
        _application_request_supplement(actor, application, cases, body, channel)
    else:
        handler = CASE_HANDLERS[action]
        eligible = [c for c in cases if c.status in _sources(action)]
        if not eligible:
            raise Conflict(
                "action_not_allowed", f"申办 {application.number} 当前没有可{Action(action).label}的办件"
            )
        for case in eligible:
            own_body = _supplement_for_case(case, body) if action == Action.SUPPLEMENT else body
            handler(actor, case, own_body, channel)
    application_refresh_status(application)
    application.refresh_from_db()
    return application


def _supplement_for_case(case: Case, body: dict[str, Any]) -> dict[str, Any]:
    """A bundle's supplement names each paper once (by any member's copy of the material): give each case
    the entries its own notice asked for, with its own material ids."""
    request = getattr(case, "supplement_request", None)
    asked = {entry["material"] for entry in request.items} if request else set()
    own = {m.share_key: m.id for m in Material.objects.filter(pk__in=asked)}
    entries = body.get("materials") if isinstance(body.get("materials"), list) else []
    ids = [e.get("material") for e in entries if isinstance(e, dict) and isinstance(e.get("material"), int)]
    keys = {m.id: m.share_key for m in Material.objects.filter(pk__in=ids)}
    mine = [
        {**entry, "material": own[keys[entry["material"]]]}
        for entry in entries
        if isinstance(entry, dict) and keys.get(entry.get("material")) in own
    ]
    return {**body, "materials": mine}


def _sources(action: str) -> frozenset[str]:
    from yiwang.cases.states import allowed_from

    return allowed_from(action)


def _may_take_in(actor: User, application: Application) -> bool:
    """The window, or the lead department, takes in a whole application."""
    lead = (
        application.bundle.lead_department_id
        if application.bundle_id
        else application.item_version.item.department_id
    )
    return actor.has_role(StaffRole.WINDOW_CLERK) or (
        actor.department_id == lead
        and (actor.has_role(StaffRole.OFFICER) or actor.has_role(StaffRole.DEPARTMENT_HEAD))
    )


def _bundle_intake_allowed(actor: User, application: Application) -> None:
    if not _may_take_in(actor, application):
        raise Forbidden("action_forbidden", "申办整体受理须由综合窗口或牵头部门办理")


def _application_request_supplement(
    actor: User, application: Application, cases: list[Case], body: dict[str, Any], channel: str
) -> None:
    """One notice for the whole application: each case gets the part of the list that concerns it."""
    pending = [c for c in cases if c.status in BEFORE_ACCEPTANCE]
    if not pending:
        raise Conflict("action_not_allowed", f"申办 {application.number} 没有处于收件或预审状态的办件")
    for case in pending:
        deem_accepted_if_due(case)
    pending = [c for c in pending if c.status in BEFORE_ACCEPTANCE]
    if not pending:
        raise Conflict(
            "action_not_allowed",
            f"收件已超过 {deadlines.SUPPLEMENT_NOTICE_DAYS} 个工作日未告知补正，依法视为受理",
        )
    cleaned = _supplement_items([c.item_version for c in pending], body.get("items"))
    keys = {m.id: m.share_key for m in Material.objects.filter(pk__in=[e["material"] for e in cleaned])}
    note = _text(body, "reason")
    role = access.role_for(actor, Action.REQUEST_SUPPLEMENT)
    for case in pending:
        own = {m.share_key: m.id for m in case.item_version.materials.all()}
        items = [{**e, "material": own[keys[e["material"]]]} for e in cleaned if keys[e["material"]] in own]
        if items:
            # Authorised for the whole application above (window or lead department), not case by case.
            _request_supplement(case, actor=actor, role=role, items=items, note=note, channel=channel)


# ---- sweeps ---------------------------------------------------------------------------------


def cases_deem_accepted(*, today: date | None = None, batch: int = 500) -> int:
    """§32 sweep: accept every case whose 补正 notice deadline passed without a notice."""
    today = today or timezone.localdate()
    done = 0
    overdue = (
        Case.objects.filter(status__in=BEFORE_ACCEPTANCE, supplement_deadline__lt=today)
        .select_related("application", "item_version__item", "department", "bundle_member")
        .order_by("supplement_deadline", "id")[:batch]
    )
    for case in overdue:
        try:
            with transaction.atomic():
                if deem_accepted_if_due(case, today=today):
                    application_refresh_status(case.application)
                    done += 1
        except Conflict:
            continue  # another worker or an officer got there first
    return done
