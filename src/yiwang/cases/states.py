"""The case state machine: statuses, actions, and which action is allowed from which status."""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "已收件"
    PRE_REVIEW = "pre_review", "预审中"
    SUPPLEMENT_REQUESTED = "supplement_requested", "待补正"
    WAITING = "waiting", "等待前置事项"
    ACCEPTED = "accepted", "已受理"
    IN_REVIEW = "in_review", "审查中"
    SUSPENDED = "suspended", "特别程序中"
    APPROVED = "approved", "准予"
    DENIED = "denied", "不予"
    COMPLETED = "completed", "已办结"
    REFUSED = "refused", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已撤销（承诺不实）"


class Action(models.TextChoices):
    SUBMIT = "submit", "收件"
    PRE_REVIEW = "pre_review", "预审"
    ACCEPT = "accept", "受理"
    DEEMED_ACCEPT = "deemed_accept", "视为受理"
    REFUSE = "refuse", "不予受理"
    REQUEST_SUPPLEMENT = "request_supplement", "补正告知"
    SUPPLEMENT = "supplement", "补正材料"
    WAIT = "wait", "等待前置事项"
    START = "start", "前置事项办结，开始办理"
    START_REVIEW = "start_review", "审查"
    SUSPEND = "suspend", "特别程序开始"
    RESUME = "resume", "特别程序结束"
    EXTEND = "extend", "延长办理期限"
    APPROVE = "approve", "准予"
    DENY = "deny", "不予"
    COMPLETE = "complete", "办结"
    WITHDRAW = "withdraw", "撤回"
    REVOKE = "revoke", "撤销（承诺不实）"


S, A = CaseStatus, Action

# Statuses before acceptance, in which §32's five-working-day rule runs.
BEFORE_ACCEPTANCE = frozenset({S.SUBMITTED, S.PRE_REVIEW})
# Statuses in which the legal clock runs (suspension stops it).
CLOCK_RUNNING = frozenset({S.ACCEPTED, S.IN_REVIEW})
DECIDED = frozenset({S.APPROVED, S.DENIED})
FINAL = frozenset({S.COMPLETED, S.REFUSED, S.WITHDRAWN, S.REVOKED})

# action → (allowed from, to). None as target means "computed by the service" (e.g. resume returns
# to where the case was suspended from; accept of a waiting bundle member waits).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    A.PRE_REVIEW: (frozenset({S.SUBMITTED}), S.PRE_REVIEW),
    A.ACCEPT: (BEFORE_ACCEPTANCE, None),
    A.DEEMED_ACCEPT: (BEFORE_ACCEPTANCE, None),
    A.REFUSE: (BEFORE_ACCEPTANCE | {S.SUPPLEMENT_REQUESTED}, S.REFUSED),
    A.REQUEST_SUPPLEMENT: (BEFORE_ACCEPTANCE, S.SUPPLEMENT_REQUESTED),
    A.SUPPLEMENT: (frozenset({S.SUPPLEMENT_REQUESTED}), None),
    A.START: (frozenset({S.WAITING}), S.ACCEPTED),
    A.START_REVIEW: (frozenset({S.ACCEPTED}), S.IN_REVIEW),
    A.SUSPEND: (CLOCK_RUNNING, S.SUSPENDED),
    A.RESUME: (frozenset({S.SUSPENDED}), None),
    A.EXTEND: (CLOCK_RUNNING | {S.SUSPENDED}, None),
    A.APPROVE: (frozenset({S.IN_REVIEW}), S.APPROVED),
    A.DENY: (frozenset({S.IN_REVIEW}), S.DENIED),
    A.COMPLETE: (DECIDED, S.COMPLETED),
    A.WITHDRAW: (
        frozenset(
            {
                S.SUBMITTED,
                S.PRE_REVIEW,
                S.SUPPLEMENT_REQUESTED,
                S.WAITING,
                S.ACCEPTED,
                S.IN_REVIEW,
                S.SUSPENDED,
            }
        ),
        S.WITHDRAWN,
    ),
    # 告知承诺 found false (国办发〔2020〕42号): processing stops, or the decision is revoked.
    A.REVOKE: (
        frozenset({S.WAITING, S.ACCEPTED, S.IN_REVIEW, S.SUSPENDED, S.APPROVED, S.DENIED, S.COMPLETED}),
        S.REVOKED,
    ),
}


def allowed_from(action: str) -> frozenset[str]:
    return TRANSITIONS[action][0]


def is_allowed(action: str, status: str) -> bool:
    return action in TRANSITIONS and status in TRANSITIONS[action][0]


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
