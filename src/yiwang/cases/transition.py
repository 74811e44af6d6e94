"""The one way a case changes state: a conditional update on its revision plus an immutable event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.cases.models import Case, CaseEvent
from yiwang.cases.notify import case_event_notify
from yiwang.cases.states import TRANSITIONS, Action, CaseStatus
from yiwang.core.errors import Conflict

STATUS_LABELS = dict(CaseStatus.choices)
ACTION_LABELS = dict(Action.choices)


class ActionNotAllowed(Conflict):
    """The action is not possible from the case's current state (HTTP 409)."""

    def __init__(self, case: Case, action: str, message: str | None = None) -> None:
        label = ACTION_LABELS.get(action, action)
        super().__init__(
            "action_not_allowed",
            message
            or f"办件 {case.number} 当前为“{STATUS_LABELS.get(case.status, case.status)}”，不能{label}",
        )


def new_event(
    case: Case,
    *,
    action: str,
    from_status: str,
    to_status: str,
    actor: User | None,
    role: str,
    channel: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """An event not yet saved: `transition` saves one, a submission bulk-creates its cases' first ones."""
    return CaseEvent(
        case=case,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_role=role,
        channel=channel,
        reason=reason,
        data=data or {},
        at=at or timezone.now(),
    )


def transition(
    case: Case,
    *,
    action: str,
    to_status: str,
    actor: User | None,
    role: str,
    channel: str = "",
    reason: str = "",
    event_data: dict[str, Any] | None = None,
    **fields: Any,
) -> Case:
    """Move `case` to `to_status` if nobody changed it since it was read; else 409 and nothing written.

    The UPDATE … WHERE revision = read revision is the lock: of two concurrent officers exactly one
    matches a row, the other matches none and gets the conflict. Callers run inside a transaction.
    """
    sources = TRANSITIONS[action][0]
    if case.status not in sources:
        raise ActionNotAllowed(case, action)
    now = timezone.now()
    changed = Case.objects.filter(pk=case.pk, revision=case.revision, status=case.status).update(
        status=to_status, revision=F("revision") + 1, updated_at=now, **fields
    )
    if changed != 1:
        raise Conflict("case_changed", f"办件 {case.number} 刚被他人处理，请刷新后重试")
    from_status = case.status
    case.status, case.revision = to_status, case.revision + 1
    for name, value in fields.items():
        setattr(case, name, value)
    new_event(
        case,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        role=role,
        channel=channel,
        reason=reason,
        data=event_data,
        at=now,
    ).save(force_insert=True)
    audit.record(
        action=AuditAction.CASE_TRANSITION,
        obj=case,
        actor=actor,
        detail={
            "action": action,
            "from": from_status,
            "to": to_status,
            "role": role,
            "case_channel": channel,
            "reason": reason,
        },
    )
    case_event_notify(case, action=action)
    return case
