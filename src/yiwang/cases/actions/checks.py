"""What every case action checks first: that the user's post may take it and the state allows it, and
the reason it is given."""

from __future__ import annotations

from yiwang.accounts.models import User
from yiwang.cases import access, deadlines
from yiwang.cases.models import Case
from yiwang.cases.states import Action, is_allowed
from yiwang.cases.transition import ActionNotAllowed
from yiwang.core.errors import Forbidden, ValidationFailed

REASON_MAX = 1000


def clean_reason(reason: str, *, required: bool, label: str) -> str:
    """The reason stripped; 422 if it is required and missing, or too long."""
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationFailed({"reason": [f"{label}须写明理由"]}, code="reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [f"理由不能超过 {REASON_MAX} 字"]})
    return reason


def authorise(user: User, case: Case, action: str) -> str:
    """The role the user acts in; 403 if their post may not do this, 409 if the state does not allow it."""
    if action not in access.case_actions_for(user, case):
        raise Forbidden("action_forbidden", f"您的岗位不能对办件 {case.number} 执行“{Action(action).label}”")
    if not is_allowed(action, case.status):
        if case.deemed_accepted and action in (Action.REQUEST_SUPPLEMENT, Action.REFUSE):
            raise ActionNotAllowed(case, action, deemed_message(case, action))
        raise ActionNotAllowed(case, action)
    return access.role_for(user, action)


def deemed_message(case: Case, action: str) -> str:
    """Why an intake action is refused on a case §32 counts as accepted."""
    return (
        f"收件后 {deadlines.SUPPLEMENT_NOTICE_DAYS} 个工作日内未一次性告知补正，依《行政许可法》第三十二条"
        f"自 {case.received_on:%Y-%m-%d} 起视为受理，不能再{Action(action).label}"
    )
