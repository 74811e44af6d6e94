"""收件与受理: accept, refuse, the one 补正 notice and its answer, and §32's deemed acceptance.

§32: a 补正 notice lists everything missing, once; not issued within 5 working days of receipt, the
case counts as accepted on the day of receipt. Bundles are accepted as a whole at one window; members
waiting for another member's result start when it is completed (decision).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.cases import deadlines
from yiwang.cases.actions.checks import authorise, clean_reason
from yiwang.cases.actions.clock import clock_started
from yiwang.cases.applicants import Applicant, Problems
from yiwang.cases.models import (
    ONLINE_CHANNELS,
    Application,
    ApplicationMaterial,
    Case,
    Channel,
    SupplementRequest,
)
from yiwang.cases.pledges import pledge_checks_open
from yiwang.cases.selectors import unmet_prerequisites
from yiwang.cases.states import BEFORE_ACCEPTANCE, Action, CaseStatus, is_allowed
from yiwang.cases.submission.materials import collect_materials, provided_material
from yiwang.cases.transition import ActionNotAllowed, transition
from yiwang.catalog.models import ItemVersion, Material
from yiwang.core.errors import ValidationFailed


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
    accept(
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


def accept(
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
    """Accept `case` as `role` without checking the user's post (the caller did): its clock starts on
    `start`, or, for a bundle member whose prerequisites are not done, it waits for them."""
    common = {
        "accepted_at": timezone.now(),
        "accepted_on": start,
        "deemed_accepted": deemed,
        "accepted_by": actor,
        **_keep_at_point(case, keeper or actor),
    }
    if unmet_prerequisites(case):
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
            **clock_started(case, start, **common),
        )
    pledge_checks_open(case, start)
    return case


@transaction.atomic
def case_accept(*, actor: User, case: Case, channel: str = "") -> Case:
    """受理: accept a submitted case and start its legal clock."""
    role = authorise(actor, case, Action.ACCEPT)
    if case.bundle_member_id is not None:
        raise ActionNotAllowed(case, Action.ACCEPT, "一件事由综合窗口整体受理，请对申办执行受理")
    return accept(case, actor=actor, role=role, channel=channel, start=timezone.localdate(), deemed=False)


@transaction.atomic
def case_refuse(*, actor: User, case: Case, reason: str, channel: str = "") -> Case:
    """不予受理: refuse to accept, with the reason the notice states."""
    role = authorise(actor, case, Action.REFUSE)
    reason = clean_reason(reason, required=True, label="不予受理")
    return transition(
        case,
        action=Action.REFUSE,
        to_status=CaseStatus.REFUSED,
        actor=actor,
        role=role,
        channel=channel,
        reason=reason,
    )


def supplement_items(case_versions: list[ItemVersion], items: Any) -> list[dict[str, Any]]:
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
    role = authorise(actor, case, Action.REQUEST_SUPPLEMENT)
    return request_supplement(case, actor=actor, role=role, items=items, note=note, channel=channel)


def request_supplement(case: Case, *, actor: User, role: str, items: Any, note: str, channel: str) -> Case:
    """Issue the case's one 补正 notice as `role`, without checking the user's post (the caller did)."""
    if not is_allowed(Action.REQUEST_SUPPLEMENT, case.status):
        raise ActionNotAllowed(case, Action.REQUEST_SUPPLEMENT)
    if SupplementRequest.objects.filter(case=case).exists():
        raise ActionNotAllowed(case, Action.REQUEST_SUPPLEMENT, "补正材料只能一次性告知，该办件已告知过")
    cleaned = supplement_items([case.item_version], items)
    note = clean_reason(note, required=False, label="补正说明")
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
    role = authorise(actor, case, Action.SUPPLEMENT)
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
