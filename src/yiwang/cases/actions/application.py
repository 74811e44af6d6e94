"""申办整体动作: a bundle (一件事) taken in as a whole at one window — accepted together, sent one 补正
notice — and the applicant's withdrawal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.cases import access, deadlines
from yiwang.cases.actions.checks import authorise, clean_reason
from yiwang.cases.actions.intake import accept, deem_accepted_if_due, request_supplement, supplement_items
from yiwang.cases.models import Application, Case
from yiwang.cases.selectors import may_take_in_whole
from yiwang.cases.states import BEFORE_ACCEPTANCE, Action, CaseStatus
from yiwang.cases.transition import transition
from yiwang.catalog.models import Material
from yiwang.core.errors import Conflict, Forbidden


@transaction.atomic
def case_withdraw(*, actor: User, case: Case, reason: str = "", channel: str = "") -> Case:
    """撤回: the applicant withdraws before a decision."""
    role = authorise(actor, case, Action.WITHDRAW)
    return transition(
        case,
        action=Action.WITHDRAW,
        to_status=CaseStatus.WITHDRAWN,
        actor=actor,
        role=role,
        channel=channel,
        reason=clean_reason(reason, required=False, label="撤回"),
        step_due=None,
    )


def _require_whole_intake(actor: User, application: Application) -> None:
    if not may_take_in_whole(actor, application):
        raise Forbidden("action_forbidden", "申办整体受理须由综合窗口或牵头部门办理")


def application_accept(*, actor: User, application: Application, cases: list[Case], channel: str) -> None:
    """一窗受理: accept every case of the application still before acceptance (cases locked by the caller)."""
    _require_whole_intake(actor, application)
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
            accept(case, actor=actor, role=role, channel=channel, start=today, deemed=False)


def application_request_supplement(
    *, actor: User, application: Application, cases: list[Case], items: Any, note: str, channel: str
) -> None:
    """One 补正 notice for the whole application: each case gets the part of the list that concerns it."""
    _require_whole_intake(actor, application)
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
    cleaned = supplement_items([c.item_version for c in pending], items)
    keys = {m.id: m.share_key for m in Material.objects.filter(pk__in=[e["material"] for e in cleaned])}
    role = access.role_for(actor, Action.REQUEST_SUPPLEMENT)
    for case in pending:
        own = {m.share_key: m.id for m in case.item_version.materials.all()}
        mine = [{**e, "material": own[keys[e["material"]]]} for e in cleaned if keys[e["material"]] in own]
        if mine:
            # Authorised for the whole application above (window or lead department), not case by case.
            request_supplement(case, actor=actor, role=role, items=mine, note=note, channel=channel)


def supplement_for_case(case: Case, body: dict[str, Any]) -> dict[str, Any]:
    """A bundle's supplement names each paper once (by any member's copy of the material): give each case
    the entries its own notice asked for, with its own material ids."""
    request = getattr(case, "supplement_request", None)
    asked = {entry["material"] for entry in request.items} if request else set()
    own = {m.share_key: m.id for m in Material.objects.filter(pk__in=asked)}
    given = body.get("materials")
    entries = [e for e in given if isinstance(e, dict)] if isinstance(given, list) else []
    entries = [e for e in entries if isinstance(e.get("material"), int)]
    keys = {m.id: m.share_key for m in Material.objects.filter(pk__in=[e["material"] for e in entries])}
    mine = [{**e, "material": own[keys[e["material"]]]} for e in entries if keys.get(e["material"]) in own]
    return {**body, "materials": mine}
