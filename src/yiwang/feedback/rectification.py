"""差评整改: every 不满意 / 非常不满意 becomes a task of the department that handled the case (谁办理谁负责):
核实 and 回访 the rater within YIWANG_FEEDBACK_LIMITS["callback"] working days, 整改 within ["fix"], the
result (立行立改 / 限期整改 / 解释说明) sent to the rater, who may rate once more (追评). The department
may appeal (申诉) a rating as mistaken or malicious; a supervisor decides, and an upheld appeal takes
the rating out of the figures — kept, marked and audited."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.accounts.selectors import department_people
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.cases.notify import masked_name, rate_link
from yiwang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiwang.feedback import rules
from yiwang.feedback.models import (
    AppealReason,
    BadRatingTask,
    Outcome,
    Rating,
    RatingAppeal,
    TaskStatus,
)
from yiwang.feedback.options import option_labels
from yiwang.notifications.models import MessageKind
from yiwang.notifications.services import notify

NOTE_MAX = 2000


def task_open(rating: Rating) -> BadRatingTask:
    """The department's task for a new 差评, and a message to its officers and head."""
    start = timezone.localdate(rating.created_at)
    task = BadRatingTask.objects.create(
        rating=rating,
        department_id=rating.department_id,
        callback_due=rules.due_after(start, rating.region_code, "callback"),
        fix_due=rules.due_after(start, rating.region_code, "fix"),
    )
    what = _subject(rating)
    reasons = "、".join(option_labels(rating.options)) or rating.text[:60]
    for person in department_people(rating.department_id, StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD):
        notify(
            kind=MessageKind.BAD_RATING,
            recipient=person,
            title=f"差评待核实整改：{what}",
            body=f"{what}收到“{rating.get_level_display()}”评价（{reasons}）。请于 {task.callback_due} 前核实并回访，"
            f"{task.fix_due} 前完成整改并反馈。",
            link=f"/workbench/ratings/{task.pk}/",
            subject=rating.case.number if rating.case else "",
            key=f"badrating:{task.pk}:{person.pk}",
        )
    return task


def _subject(rating: Rating) -> str:
    if rating.case is not None:
        return f"{rating.subject}（{rating.case.number}）"
    return rating.subject


def _task_for_update(actor: User, task_id: int) -> BadRatingTask:
    task = (
        BadRatingTask.objects.select_for_update(of=("self",))
        .select_related("rating__case__application", "rating__case__item_version", "department")
        .filter(pk=task_id)
        .first()
    )
    if task is None or (actor.department_id != task.department_id):
        raise NotFound("未找到该差评整改任务", code="task_not_found")
    return task


def _note(value: object, field: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed({field: [f"请填写{what}"]}, code="note_required")
    if len(value) > NOTE_MAX:
        raise ValidationFailed({field: [f"{what}不超过 {NOTE_MAX} 字"]}, code="note_too_long")
    return value.strip()


def task_callback(*, actor: User, task_id: int, note: object, now: datetime | None = None) -> BadRatingTask:
    """核实 and 回访: what the department found and what the rater said when contacted."""
    now = now or timezone.now()
    note = _note(note, "note", "核实及回访情况")
    with transaction.atomic():
        task = _task_for_update(actor, task_id)
        if task.status != TaskStatus.CALLBACK:
            raise Conflict("task_state", f"该任务当前为“{task.get_status_display()}”，不能再登记回访")
        task.status, task.called_back_at, task.callback_note, task.handled_by = (
            TaskStatus.RECTIFYING,
            now,
            note,
            actor,
        )
        task.save(update_fields=["status", "called_back_at", "callback_note", "handled_by"])
        audit.record(action=AuditAction.RATING_CALLBACK, obj=task, label=str(task), actor=actor)
    return task


def task_rectify(
    *, actor: User, task_id: int, outcome: object, result: object, now: datetime | None = None
) -> BadRatingTask:
    """整改 done: how (立行立改 / 限期整改 / 解释说明) and what changed; the rater is told and may 追评."""
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise ValidationFailed(
            {"outcome": ["请选择处置方式：立行立改、限期整改或解释说明"]}, code="outcome_invalid"
        )
    text = _note(result, "result", "整改结果")
    with transaction.atomic():
        task = _task_for_update(actor, task_id)
        if task.status != TaskStatus.RECTIFYING:
            message = "请先登记核实及回访情况" if task.status == TaskStatus.CALLBACK else "该任务已结束"
            raise Conflict("task_state", message)
        task.status, task.fixed_at, task.outcome, task.result, task.handled_by = (
            TaskStatus.DONE,
            now,
            str(outcome),
            text,
            actor,
        )
        task.save(update_fields=["status", "fixed_at", "outcome", "result", "handled_by"])
        audit.record(action=AuditAction.RATING_RECTIFIED, obj=task, label=str(task), actor=actor)
        _tell_rater(task)
    return task


def _tell_rater(task: BadRatingTask) -> None:
    rating = task.rating
    case = rating.case
    if case is None:  # an anonymous rating at the window: nobody to tell
        return
    application = case.application
    outcome = Outcome(task.outcome).label
    params = {
        "name": masked_name(application.applicant_name),
        "item": case.item_version.name,
        "department": task.department.short_name or task.department.name,
        "outcome": outcome,
        "result": task.result[:40],
        "rate": rate_link(case.number),
    }
    phone = (application.form or {}).get("applicant_phone") or (
        application.applicant_user.mobile if application.applicant_user else ""
    )
    notify(
        kind=MessageKind.RATING_RECTIFIED,
        recipient=rating.rater or application.applicant_user,
        title=f"差评整改反馈：{case.item_version.name}",
        body=f"您对{case.item_version.name}（{case.number}）的评价，{params['department']}已{outcome}：{task.result}"
        "。您可以再评价一次。",
        link=rate_link(case.number),
        subject=case.number,
        phone=str(phone or ""),
        sms_params=params,
        key=f"rectified:{task.pk}",
    )


# 申诉复核


def appeal_file(
    *, actor: User, task_id: int, reason: object, statement: object, now: datetime | None = None
) -> RatingAppeal:
    """The department head asks that the rating be set aside as mistaken (误评) or malicious (恶意)."""
    now = now or timezone.now()
    if reason not in AppealReason.values:
        raise ValidationFailed({"reason": ["请选择申诉理由：误评或恶意差评"]}, code="reason_invalid")
    text = _note(statement, "statement", "申诉说明")
    with transaction.atomic():
        task = _task_for_update(actor, task_id)
        if task.status == TaskStatus.APPEAL_UPHELD:
            raise Conflict("appeal_decided", "申诉已成立，该评价已不计入统计")
        if task.rating.appeals.filter(upheld__isnull=True).exists():
            raise Conflict("appeal_pending", "该评价已有待复核的申诉")
        if task.rating.appeals.filter(upheld=False).exists():
            raise Conflict("appeal_refused", "该评价的申诉已被驳回，不能再次申诉")
        appeal = RatingAppeal.objects.create(
            rating=task.rating, reason=str(reason), statement=text, filed_by=actor, filed_at=now
        )
        audit.record(action=AuditAction.RATING_APPEAL, obj=appeal, label=str(appeal), actor=actor)
    return appeal


def appeal_decide(
    *, actor: User, appeal_id: int, upheld: object, note: object, now: datetime | None = None
) -> RatingAppeal:
    """复核: upheld takes the rating out of the figures (kept, marked) and ends the task; refused leaves
    both as they were."""
    now = now or timezone.now()
    if not actor.has_role(StaffRole.SUPERVISOR):
        raise Forbidden("not_supervisor", "申诉由效能监察人员复核")
    if not isinstance(upheld, bool):
        raise ValidationFailed({"upheld": ["请选择申诉成立或不成立"]}, code="upheld_invalid")
    text = _note(note, "note", "复核意见")
    with transaction.atomic():
        appeal = RatingAppeal.objects.select_for_update().filter(pk=appeal_id).first()
        if appeal is None:
            raise NotFound("未找到该申诉", code="appeal_not_found")
        if appeal.upheld is not None:
            raise Conflict("appeal_decided", "该申诉已复核")
        appeal.upheld, appeal.decision_note, appeal.decided_by, appeal.decided_at = upheld, text, actor, now
        appeal.save(update_fields=["upheld", "decision_note", "decided_by", "decided_at"])
        if upheld:
            Rating.objects.filter(pk=appeal.rating_id).update(excluded=True)
            BadRatingTask.objects.filter(rating_id=appeal.rating_id).update(status=TaskStatus.APPEAL_UPHELD)
        audit.record(
            action=AuditAction.RATING_APPEAL_DECIDED,
            obj=appeal,
            label=str(appeal),
            actor=actor,
            detail={"upheld": upheld},
        )
    return appeal
