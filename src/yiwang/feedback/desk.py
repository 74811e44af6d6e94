"""咨询 · 求助 · 投诉 · 建议 · 举报: the 12345-style desk.

受理 (intake from the portal, the kiosk, the hotline operator, the API) → 派单 (automatically when the
classifier is confident, else by the dispatcher) → 签收 (within the sign limit) → 办理 → 答复 → 回访 (the
citizen, or the operator on their behalf, says whether the answer satisfies) → 办结; unsatisfied once →
重办 by the same department with a fresh SLA; unsatisfied again → 督办 by the supervisor. A department
may return (退回) a misrouted request to the dispatcher — the clock does not restart — and ask once for
an extension, which the dispatcher approves. SLAs are working days on the cases' calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.roles import StaffRole
from yiwang.accounts.selectors import department_people
from yiwang.calendar.selectors import add_working_days
from yiwang.catalog.models import Department, ServiceItem
from yiwang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiwang.feedback import rules
from yiwang.feedback.models import (
    ExtensionState,
    RequestEvent,
    ServiceRequest,
    Stage,
)
from yiwang.notifications.models import MessageKind
from yiwang.notifications.services import notify

TEXT_MAX = 2000


def event_add(
    request: ServiceRequest,
    action: str,
    *,
    actor: User | None,
    note: str = "",
    department: Department | None = None,
    at: datetime | None = None,
) -> None:
    RequestEvent.objects.create(
        request=request,
        action=action,
        stage=request.stage,
        actor=actor if actor is not None and actor.pk else None,
        department=department or request.department,
        note=note,
        at=at or timezone.now(),
    )


def dispatch_to(
    request: ServiceRequest, department: Department, *, actor: User | None, auto: bool, now: datetime
) -> None:
    request.department = department
    request.stage = Stage.DISPATCHED
    request.auto_routed = auto
    request.sign_due = rules.due_after(timezone.localdate(now), request.region_code, "sign")
    request.save(update_fields=["department", "stage", "auto_routed", "sign_due", "item"])
    event_add(request, "dispatch", actor=actor, note="自动派单" if auto else "人工派单", at=now)
    _tell_department(request, department)


def _tell_department(request: ServiceRequest, department: Department) -> None:
    occasion = request.events.count()  # a request comes back to a department after 重办
    for person in department_people(department.pk, StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD):
        notify(
            kind=MessageKind.REQUEST_ASSIGNED,
            recipient=person,
            title=f"{request.get_type_display()}待签收：{request.title}",
            body=f"诉求 {request.number}（{request.get_type_display()}）派至本部门，请于 {request.sign_due} 前签收，"
            f"{request.due} 前答复。",
            link=f"/workbench/requests/{request.number}/",
            subject=request.number,
            key=f"request:{request.number}:assigned:{department.pk}:{occasion}:{person.pk}",
        )


def _staff_with(role: StaffRole) -> list[User]:
    """Active staff holding `role` across departments (the hotline centre's few, the supervisors)."""
    return [
        u for u in User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by("pk") if u.has_role(role)
    ]


def dispatchers_tell(request: ServiceRequest, *, returned: bool = False) -> None:
    occasion = request.events.count()  # the pool sees a request again when it is returned
    for person in _staff_with(StaffRole.DISPATCHER):
        notify(
            kind=MessageKind.REQUEST_RETURNED if returned else MessageKind.REQUEST_ASSIGNED,
            recipient=person,
            title=f"{'退回' if returned else '待派单'}：{request.title}",
            body=f"诉求 {request.number}（{request.get_type_display()}）{'被承办部门退回，' if returned else ''}待派单。",
            link=f"/workbench/requests/{request.number}/",
            subject=request.number,
            key=f"request:{request.number}:pool:{occasion}:{person.pk}",
        )


# Department and dispatcher actions


def _for_update(number: str) -> ServiceRequest:
    request = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("department", "case", "item")
        .filter(number=number)
        .first()
    )
    if request is None:
        raise NotFound("未找到该诉求", code="request_not_found")
    return request


def _stage_is(request: ServiceRequest, *stages: str, doing: str) -> None:
    if request.stage not in stages:
        raise Conflict("stage_not_allowed", f"诉求当前为“{request.get_stage_display()}”，不能{doing}")


def _own_department(actor: User, request: ServiceRequest) -> None:
    if request.department_id is None or actor.department_id != request.department_id:
        raise NotFound("未找到该诉求", code="request_not_found")


def _reason(value: Any, field: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed({field: [f"请填写{what}"]}, code="reason_required")
    if len(value) > TEXT_MAX:
        raise ValidationFailed({field: [f"{what}不超过 {TEXT_MAX} 字"]}, code="reason_too_long")
    return value.strip()


def request_route(
    *, actor: User, number: str, department_code: Any, item_code: Any = "", now: datetime | None = None
) -> ServiceRequest:
    """派单: the dispatcher sends a request from the pool to a department."""
    now = now or timezone.now()
    if not actor.has_role(StaffRole.DISPATCHER):
        raise Forbidden("not_dispatcher", "派单由派单员操作")
    department = Department.objects.filter(code=str(department_code or "")).first()
    if department is None:
        raise ValidationFailed({"department": ["请选择承办部门"]}, code="department_required")
    item = None
    if item_code:
        item = ServiceItem.objects.filter(code=str(item_code), department=department).first()
        if item is None:
            raise ValidationFailed({"item": ["该部门没有这个事项"]}, code="item_invalid")
    with transaction.atomic():
        request = _for_update(number)
        _stage_is(request, Stage.RECEIVED, doing="派单")
        if item is not None:
            request.item = item
        dispatch_to(request, department, actor=actor, auto=False, now=now)
    return request


def request_sign(*, actor: User, number: str, now: datetime | None = None) -> ServiceRequest:
    """签收: the department takes the request on."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _for_update(number)
        _own_department(actor, request)
        _stage_is(request, Stage.DISPATCHED, doing="签收")
        request.stage, request.signed_at = Stage.HANDLING, now
        request.save(update_fields=["stage", "signed_at"])
        event_add(request, "sign", actor=actor, at=now)
    return request


def request_return(*, actor: User, number: str, reason: Any, now: datetime | None = None) -> ServiceRequest:
    """退回: not ours — back to the dispatcher with the reason; the clock keeps running."""
    now = now or timezone.now()
    text = _reason(reason, "reason", "退回理由")
    with transaction.atomic():
        request = _for_update(number)
        _own_department(actor, request)
        _stage_is(request, Stage.DISPATCHED, Stage.HANDLING, doing="退回")
        if request.redone:
            raise Conflict("stage_not_allowed", "重办的诉求不能退回")
        department = request.department
        request.stage, request.department, request.sign_due, request.signed_at = (
            Stage.RECEIVED,
            None,
            None,
            None,
        )
        request.auto_routed = False
        request.save(update_fields=["stage", "department", "sign_due", "signed_at", "auto_routed"])
        event_add(request, "return", actor=actor, note=text, department=department, at=now)
        dispatchers_tell(request, returned=True)
    return request


def request_extension_ask(
    *, actor: User, number: str, days: Any, reason: Any, now: datetime | None = None
) -> ServiceRequest:
    """申请延期: once, with a reason and the working days wanted."""
    now = now or timezone.now()
    text = _reason(reason, "reason", "延期理由")
    with transaction.atomic():
        request = _for_update(number)
        _own_department(actor, request)
        _stage_is(request, Stage.HANDLING, doing="申请延期")
        most = rules.limit(request.region_code, "extension_max")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= most:
            raise ValidationFailed({"days": [f"延期天数为 1～{most} 个工作日"]}, code="days_over_local_limit")
        if request.extension != ExtensionState.NONE:
            raise Conflict("extension_used", "每件诉求只能申请一次延期")
        request.extension, request.extension_days, request.extension_reason = (
            ExtensionState.PENDING,
            days,
            text,
        )
        request.save(update_fields=["extension", "extension_days", "extension_reason"])
        event_add(request, "extension_ask", actor=actor, note=f"{days} 个工作日：{text}", at=now)
    return request


def request_extension_decide(
    *, actor: User, number: str, approve: Any, note: Any = "", now: datetime | None = None
) -> ServiceRequest:
    """The dispatcher approves (the due date moves by the days asked) or refuses the extension."""
    now = now or timezone.now()
    if not actor.has_role(StaffRole.DISPATCHER):
        raise Forbidden("not_dispatcher", "延期由派单员审批")
    if not isinstance(approve, bool):
        raise ValidationFailed({"approve": ["请选择批准或不批准"]}, code="approve_invalid")
    with transaction.atomic():
        request = _for_update(number)
        if request.extension != ExtensionState.PENDING:
            raise Conflict("no_extension_pending", "该诉求没有待审批的延期申请")
        request.extension = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        fields = ["extension"]
        if approve:
            request.due = add_working_days(request.due, request.extension_days)
            fields.append("due")
        request.save(update_fields=fields)
        event_add(
            request,
            "extension_" + ("approved" if approve else "refused"),
            actor=actor,
            note=str(note or ""),
            at=now,
        )
    return request


def request_answer(*, actor: User, number: str, answer: Any, now: datetime | None = None) -> ServiceRequest:
    """答复: the department's answer, sent to the citizen, who says whether it satisfies (回访)."""
    now = now or timezone.now()
    text = _reason(answer, "answer", "答复内容")
    with transaction.atomic():
        request = _for_update(number)
        _own_department(actor, request)
        _stage_is(request, Stage.HANDLING, Stage.SUPERVISED, doing="答复")
        supervised = request.stage == Stage.SUPERVISED
        request.answer, request.answered_at = text, now
        fields = ["answer", "answered_at"]
        if not supervised:  # a 督办 answer goes to the supervisor, who concludes
            request.stage = Stage.ANSWERED
            fields.append("stage")
        request.save(update_fields=fields)
        event_add(request, "answer", actor=actor, note=text, at=now)
        if not supervised:
            _tell_submitter(request)
    return request


def _tell_submitter(request: ServiceRequest) -> None:
    department = (request.department.short_name or request.department.name) if request.department else ""
    link = f"/feedback/requests/{request.number}/"
    notify(
        kind=MessageKind.REQUEST_ANSWERED,
        recipient=request.submitter,
        title=f"诉求已答复：{request.title}",
        body=f"您反映的诉求（{request.number}）已由{department}答复，请查看答复并评价是否满意。",
        link=link,
        subject=request.number,
        phone=request.contact_phone if not request.anonymous else "",
        sms_params={
            "number": request.number,
            "department": department,
            "link": f"{settings.SITE_URL.rstrip('/')}/feedback/track/",
        },
        key=f"request:{request.number}:answered:{request.events.count()}",
    )


def request_judge(
    *, number: str, satisfied: Any, note: Any = "", actor: User | None = None, now: datetime | None = None
) -> ServiceRequest:
    """回访: the citizen (or the operator who called them) says whether the answer satisfies. Satisfied
    closes it; unsatisfied the first time → 重办 by the same department with a fresh SLA; the second →
    督办 by the supervisor."""
    now = now or timezone.now()
    if not isinstance(satisfied, bool):
        raise ValidationFailed({"satisfied": ["请选择满意或不满意"]}, code="satisfied_invalid")
    remark = note.strip()[:TEXT_MAX] if isinstance(note, str) else ""
    if not satisfied and not remark:
        raise ValidationFailed(
            {"note": ["请说明不满意的原因，以便重新办理"]}, code="dissatisfaction_reason_required"
        )
    with transaction.atomic():
        request = _for_update(number)
        _stage_is(request, Stage.ANSWERED, doing="评价答复")
        today = timezone.localdate(now)
        if satisfied:
            _close(request, now=now, satisfied=True)
            event_add(request, "satisfied", actor=actor, note=remark, at=now)
        elif not request.redone:
            request.redone, request.stage, request.satisfied = True, Stage.HANDLING, False
            request.due = rules.due_after(today, request.region_code, request.type)
            request.signed_at = now  # 重办 goes back to the department that answered; no new 签收
            request.save(update_fields=["redone", "stage", "satisfied", "due", "signed_at"])
            event_add(request, "redo", actor=actor, note=remark, at=now)
            assert request.department is not None
            _tell_department(request, request.department)
        else:
            request.stage, request.satisfied = Stage.SUPERVISED, False
            request.supervision_due = rules.due_after(today, request.region_code, request.type)
            request.save(update_fields=["stage", "satisfied", "supervision_due"])
            event_add(request, "supervise", actor=actor, note=remark, at=now)
            _tell_supervisors(request)
    return request


def _tell_supervisors(request: ServiceRequest) -> None:
    for person in _staff_with(StaffRole.SUPERVISOR):
        notify(
            kind=MessageKind.REQUEST_SUPERVISED,
            recipient=person,
            title=f"督办：{request.title}",
            body=f"诉求 {request.number} 经重办后群众仍不满意，转效能监察督办，承办部门须于 {request.supervision_due} 前再次答复。",
            link=f"/workbench/requests/{request.number}/",
            subject=request.number,
            key=f"request:{request.number}:supervised:{person.pk}",
        )


def request_conclude(
    *, actor: User, number: str, conclusion: Any, now: datetime | None = None
) -> ServiceRequest:
    """督办办结: the supervisor closes a supervised request with a conclusion once the department answered."""
    now = now or timezone.now()
    if not actor.has_role(StaffRole.SUPERVISOR):
        raise Forbidden("not_supervisor", "督办件由效能监察人员办结")
    text = _reason(conclusion, "conclusion", "督办结论")
    with transaction.atomic():
        request = _for_update(number)
        _stage_is(request, Stage.SUPERVISED, doing="督办办结")
        if request.answered_at is None or request.answered_at <= _supervised_at(request):
            raise Conflict("not_answered", "承办部门尚未对督办作出答复")
        _close(request, now=now, satisfied=None)
        event_add(request, "conclude", actor=actor, note=text, at=now)
    return request


def _supervised_at(request: ServiceRequest) -> datetime:
    event = request.events.filter(action="supervise").order_by("-at").first()
    return event.at if event else request.received_at


def _close(request: ServiceRequest, *, now: datetime, satisfied: bool | None) -> None:
    answered = timezone.localdate(request.answered_at) if request.answered_at else timezone.localdate(now)
    request.stage, request.closed_at = Stage.CLOSED, now
    request.closed_on_time = answered <= request.due
    if satisfied is not None:
        request.satisfied = satisfied
    request.save(update_fields=["stage", "closed_at", "closed_on_time", "satisfied"])


def requests_close_unjudged(*, now: datetime | None = None) -> int:
    """Answered requests the citizen did not judge within the `judge` limit close as answered (办结, 未评价)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = 0
    for request in ServiceRequest.objects.filter(stage=Stage.ANSWERED).only(
        "number", "answered_at", "region_code"
    ):
        assert request.answered_at is not None
        if rules.due_after(timezone.localdate(request.answered_at), request.region_code, "judge") >= today:
            continue
        with transaction.atomic():
            fresh = _for_update(request.number)
            if fresh.stage != Stage.ANSWERED:
                continue
            _close(fresh, now=now, satisfied=None)
            event_add(fresh, "close_unjudged", actor=None, note="逾期未评价，自动办结", at=now)
            closed += 1
    return closed
