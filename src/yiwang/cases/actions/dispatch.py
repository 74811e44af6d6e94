"""The API's `{"action": …}` body to the action it names, on one case (`case_act`) or on a whole
application (`application_act`); §32 is applied first, as a fact of law, whatever the action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from yiwang.accounts.models import User
from yiwang.accounts.policy import INTAKE
from yiwang.cases import access
from yiwang.cases.actions.application import (
    application_accept,
    application_request_supplement,
    case_withdraw,
    supplement_for_case,
)
from yiwang.cases.actions.decision import case_approve, case_complete, case_deny
from yiwang.cases.actions.intake import (
    case_accept,
    case_refuse,
    case_request_supplement,
    case_supplement,
    deem_accepted_if_due,
)
from yiwang.cases.actions.review import case_extend, case_resume, case_start_review, case_suspend
from yiwang.cases.models import Application, Case
from yiwang.cases.selectors import (
    APPLICATION_ACTIONS,
    load_application,
    load_case,
    may_take_in_whole,
)
from yiwang.cases.states import BEFORE_ACCEPTANCE, Action, allowed_from
from yiwang.cases.status import application_refresh_status
from yiwang.core.errors import Conflict, NotFound, ValidationFailed

Handler = Callable[[User, Case, dict[str, Any], str], Case]


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed({name: ["应为文字"]})
    return value


CASE_HANDLERS: dict[str, Handler] = {
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
    taker = actor if action == Action.ACCEPT and may_take_in_whole(actor, application) else None
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
        application_accept(actor=actor, application=application, cases=cases, channel=channel)
    elif action == Action.REQUEST_SUPPLEMENT:
        application_request_supplement(
            actor=actor,
            application=application,
            cases=cases,
            items=body.get("items"),
            note=_text(body, "reason"),
            channel=channel,
        )
    else:
        handler = CASE_HANDLERS[action]
        eligible = [c for c in cases if c.status in allowed_from(action)]
        if not eligible:
            raise Conflict(
                "action_not_allowed", f"申办 {application.number} 当前没有可{Action(action).label}的办件"
            )
        for case in eligible:
            own_body = supplement_for_case(case, body) if action == Action.SUPPLEMENT else body
            handler(actor, case, own_body, channel)
    application_refresh_status(application)
    application.refresh_from_db()
    return application
