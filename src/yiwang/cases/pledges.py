"""告知承诺 (国办发〔2020〕42号): a written pledge replaces a proof; the department checks it afterwards.

Each pledge accepted into a case opens a 事后核查 task with a due date. A pledge found false stops
the processing or revokes the decision (and any licence it produced), and records a credit mark
on the applicant; until the mark is repaired (信用修复) the applicant may not pledge again.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission, allows
from yiwang.accounts.roles import StaffRole
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.calendar.selectors import add_working_days
from yiwang.cases.models import ApplicationMaterial, Case, CreditMark, PledgeCheck, PledgeCheckStatus
from yiwang.cases.states import Action, CaseStatus, is_allowed
from yiwang.cases.status import application_refresh_status
from yiwang.cases.transition import transition
from yiwang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiwang.licences.services import licence_revoke_for_case

METHODS = ("数据共享", "部门协查", "现场核查")


def has_open_credit_mark(holder_code: str) -> bool:
    return CreditMark.objects.filter(holder_code=holder_code.upper(), repaired_at__isnull=True).exists()


def pledge_checks_open(case: Case, start: date) -> None:
    """Open a check for every pledge that stands in for one of this case's materials."""
    keys = {m.share_key for m in case.item_version.materials.all()}
    pledged = ApplicationMaterial.objects.filter(
        application_id=case.application_id, pledged=True, share_key__in=keys
    )
    due = add_working_days(start, settings.YIWANG_PLEDGE_CHECK_DAYS)
    for material in pledged:
        PledgeCheck.objects.get_or_create(
            case=case, material=material, defaults={"department_id": case.department_id, "due_on": due}
        )


def pledge_checks_for(user: User, *, status: str = "") -> QuerySet[PledgeCheck]:
    checks = PledgeCheck.objects.select_related("case__application", "material__material", "department")
    if not allows(user, Permission.PLEDGE_CHECKS):
        return checks.none()
    if not user.has_role(StaffRole.SUPERVISOR):
        if user.department_id is None:  # a post without a department has no department's checks
            return checks.none()
        checks = checks.filter(department_id=user.department_id)
    if status:
        checks = checks.filter(status=status)
    return checks.order_by("due_on", "id")


def may_conclude(user: User, check: PledgeCheck) -> bool:
    """An officer or head of the checking department concludes a pledge check."""
    return user.department_id == check.department_id and allows(user, Permission.PLEDGE_CONCLUDE)


@transaction.atomic
def pledge_check_conclude(
    *, actor: User, check_id: int, truthful: bool, method: str, note: str
) -> PledgeCheck:
    """核查结论: record the outcome; a false pledge revokes, marks the applicant's credit."""
    check = pledge_checks_for(actor).filter(pk=check_id).first()
    if check is None:
        raise NotFound("未找到该核查任务", code="pledge_check_not_found")
    if not may_conclude(actor, check):
        raise Forbidden("action_forbidden", "只有核查部门的审批人员可以作出核查结论")
    problems: dict[str, list[str]] = {}
    if method not in METHODS:
        problems["method"] = ["核查方式须为：" + "、".join(METHODS)]
    note = (note or "").strip()
    if not note or len(note) > 1000:
        problems["note"] = ["须写明核查情况（不超过 1000 字）"]
    if problems:
        raise ValidationFailed(problems)
    outcome = PledgeCheckStatus.TRUTHFUL if truthful else PledgeCheckStatus.FALSE
    changed = PledgeCheck.objects.filter(pk=check.pk, status=PledgeCheckStatus.PENDING).update(
        status=outcome, method=method, note=note, checked_by=actor, checked_at=timezone.now()
    )
    if changed != 1:
        raise Conflict("pledge_check_concluded", "该核查任务已有结论")
    check.refresh_from_db()
    if not truthful:
        _consequences_of_false_pledge(check, actor=actor, note=note)
    audit.record(
        action=AuditAction.PLEDGE_CONCLUDE,
        obj=check,
        label=check.case.number,
        actor=actor,
        detail={"from": PledgeCheckStatus.PENDING, "to": outcome, "method": method, "note": note},
    )
    return check


def _consequences_of_false_pledge(check: PledgeCheck, *, actor: User, note: str) -> None:
    case = Case.objects.select_related("application", "item_version").get(pk=check.case_id)
    reason = f"告知承诺不实（{check.material.material.name}）：{note}"
    if is_allowed(Action.REVOKE, case.status):
        transition(
            case,
            action=Action.REVOKE,
            to_status=CaseStatus.REVOKED,
            actor=actor,
            role=StaffRole.OFFICER,
            reason=reason,
            step_due=None,
        )
        application_refresh_status(case.application)
    if case.result.get("licence_identifier"):
        licence_revoke_for_case(case=case, reason=reason)
    application = case.application
    CreditMark.objects.create(
        holder_code=application.applicant_id_number.upper(),
        holder_name=application.applicant_name,
        case=case,
        reason=reason,
        created_by=actor,
    )


@transaction.atomic
def credit_mark_repair(*, actor: User, mark_id: int, note: str) -> CreditMark:
    """信用修复: a supervisor or department head restores the holder's right to pledge."""
    if not allows(actor, Permission.CREDIT_REPAIR):
        raise Forbidden("action_forbidden", "信用修复须由效能监察人员或部门负责人审核")
    note = (note or "").strip()
    if not note or len(note) > 1000:
        raise ValidationFailed({"note": ["须写明修复依据（如已整改、已履行相关义务，不超过 1000 字）"]})
    changed = CreditMark.objects.filter(pk=mark_id, repaired_at__isnull=True).update(
        repaired_at=timezone.now(), repaired_by=actor, repair_note=note
    )
    if changed != 1:
        if not CreditMark.objects.filter(pk=mark_id).exists():
            raise NotFound("未找到该失信记录", code="credit_mark_not_found")
        raise Conflict("credit_mark_repaired", "该失信记录已修复")
    mark = CreditMark.objects.select_related("case").get(pk=mark_id)
    audit.record(
        action=AuditAction.CREDIT_REPAIR,
        obj=mark,
        label=mark.case.number,
        actor=actor,
        detail={"from": "open", "to": "repaired", "note": note},
    )
    return mark
