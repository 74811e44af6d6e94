"""审查: an officer takes the case into review; special procedures stop its clock (§45); its limit is
extended once, by a department head, with a reason (§42)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.calendar.selectors import working_days_between
from yiwang.cases.actions.checks import authorise, clean_reason
from yiwang.cases.actions.clock import dues_after_change
from yiwang.cases.models import Case, Suspension, SuspensionKind
from yiwang.cases.states import Action, CaseStatus
from yiwang.cases.transition import ActionNotAllowed, transition
from yiwang.core.errors import ValidationFailed


@transaction.atomic
def case_start_review(*, actor: User, case: Case, channel: str = "") -> Case:
    """审查: an officer takes the accepted case into review."""
    role = authorise(actor, case, Action.START_REVIEW)
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
    role = authorise(actor, case, Action.SUSPEND)
    if kind not in SuspensionKind.values:
        raise ValidationFailed(
            {
                "kind": [
                    "特别程序种类须为：" + "、".join(f"{v}（{label}）" for v, label in SuspensionKind.choices)
                ]
            }
        )
    reason = clean_reason(reason, required=True, label="特别程序")
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
    role = authorise(actor, case, Action.RESUME)
    if case.status != CaseStatus.SUSPENDED:
        raise ActionNotAllowed(case, Action.RESUME)
    today = timezone.localdate()
    stopped = working_days_between(case.suspended_on, today) if case.suspended_on else 0
    suspension = case.suspensions.filter(ended_on__isnull=True).order_by("-started_on").first()
    if suspension is not None:
        Suspension.objects.filter(pk=suspension.pk).update(
            ended_on=today, result=clean_reason(result, required=False, label="结果"), working_days=stopped
        )
    case.suspended_days += stopped
    dues = dues_after_change(case)
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


@transaction.atomic
def case_extend(*, actor: User, case: Case, reason: str, channel: str = "") -> Case:
    """延长办理期限: once, with a reason and a department head's approval (§42).

    The event keeps the dues before and after: the 延长审批期限告知书 (notices) tells the applicant
    both, as they stood on the day, whatever later suspensions move.
    """
    role = authorise(actor, case, Action.EXTEND)
    reason = clean_reason(reason, required=True, label="延长期限")
    if case.extension_days:
        raise ActionNotAllowed(case, Action.EXTEND, "办理期限只能延长一次，该办件已延长过")
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW, CaseStatus.SUSPENDED):
        raise ActionNotAllowed(case, Action.EXTEND)
    before = {"promised_due_before": case.promised_due, "statutory_due_before": case.statutory_due}
    case.extension_days = settings.YIWANG_EXTENSION_DAYS
    dues = dues_after_change(case)
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
