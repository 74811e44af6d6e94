"""Storing a validated application: the application, its materials, its cases and their first events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.audit import chain as audit_chain
from yiwang.audit import hashchain
from yiwang.cases import deadlines, numbers
from yiwang.cases.access import is_applicant
from yiwang.cases.applicants import Applicant
from yiwang.cases.models import (
    ONLINE_CHANNELS,
    Application,
    ApplicationMaterial,
    Case,
    CaseEvent,
    Channel,
)
from yiwang.cases.states import Action, CaseStatus
from yiwang.cases.status import derive_application_status
from yiwang.cases.submission.materials import Provided, provided_material
from yiwang.cases.targets import Target
from yiwang.cases.timeline import EventRow, MaterialRow
from yiwang.cases.transition import new_event
from yiwang.sharing import chain as use_log
from yiwang.sharing.models import Basis, Outcome


@dataclass(frozen=True)
class StoredApplication:
    """An application as its submission wrote it: its cases in number order, their first events and
    its materials, so that the answer shows them without reading back what was just written."""

    application: Application
    cases: list[Case]
    events: dict[int, list[EventRow]]
    materials: list[MaterialRow]


def application_store(
    *,
    actor: User,
    target: Target,
    who: Applicant,
    form: dict[str, Any],
    provided: list[Provided],
    channel: str,
    sharing_consent: bool,
) -> StoredApplication:
    """Write the application, its materials, its cases and their first events.

    Online submissions go straight to 预审 by the department (the case is stored in its final state,
    with both events); window ones are checked on the spot.
    """
    now = timezone.now()
    today = timezone.localdate()
    single = target.bundle is None
    point_id = actor.service_point_id if channel in (Channel.WINDOW, Channel.KIOSK) else None
    online = channel in ONLINE_CHANNELS
    status = CaseStatus.PRE_REVIEW if online else CaseStatus.SUBMITTED
    application = Application.objects.create(
        number=numbers.application_number(),
        item_version=target.versions[0][1] if single else None,
        bundle=target.bundle,
        status=derive_application_status([status] * len(target.versions)),
        channel=channel,
        applicant_user=who.user,
        applicant_kind=who.kind,
        applicant_name=who.name,
        applicant_id_type=who.id_type,
        applicant_id_number=who.id_number,
        legal_representative=who.legal_representative,
        legal_representative_id_number=who.legal_representative_id_number,
        agent_user=who.agent_user,
        agent_name=who.agent_name,
        agent_id_number=who.agent_id_number,
        submitted_by=actor,
        service_point_id=point_id,
        form=form,
        sharing_consent=sharing_consent,
        region_code=settings.YIWANG_REGION_CODE,
    )
    materials = ApplicationMaterial.objects.bulk_create(
        [provided_material(application, p, from_library=p.shared, from_form=p.from_form) for p in provided]
    )
    supplement_deadline = deadlines.supplement_deadline(today)
    cases = []
    for index, (member, version) in enumerate(target.versions, start=1):
        if member is not None:
            version.item = member.item  # a member's version came from its item: the answer names the item
        item = version.item
        own_fields = set((version.form_schema.get("properties") or {}).keys())
        cases.append(
            Case(
                number=application.number + numbers.case_number_suffix(index),
                application=application,
                item_version=version,
                department=item.department,
                bundle_member=member,
                status=status,
                revision=1 if online else 0,
                case_type=version.case_type,
                data={k: v for k, v in form.items() if k in own_fields},
                received_on=today,
                supplement_deadline=supplement_deadline,
                promised_days=version.promised_limit_days,
                statutory_days=version.statutory_limit_days,
                service_point_id=point_id,
            )
        )
    Case.objects.bulk_create(cases)
    for case in cases:
        # Just written: no 补正 notice yet, which presenters would otherwise ask the database.
        Case.supplement_request.related.set_cached_value(case, None)
    role = "applicant" if is_applicant(actor) else "window_clerk"
    events = []
    for case in cases:
        events.append(
            new_event(
                case,
                action=Action.SUBMIT,
                from_status="",
                to_status=CaseStatus.SUBMITTED,
                actor=actor,
                role=role,
                channel=channel,
                at=now,
            )
        )
        if online:
            events.append(
                new_event(
                    case,
                    action=Action.PRE_REVIEW,
                    from_status=CaseStatus.SUBMITTED,
                    to_status=CaseStatus.PRE_REVIEW,
                    actor=None,
                    role="system",
                    channel=channel,
                    at=now,
                )
            )
    CaseEvent.objects.bulk_create(events)
    by_case: dict[int, list[EventRow]] = {case.pk: [] for case in cases}
    for event in events:
        by_case[event.case_id].append(EventRow.of(event))
    return StoredApplication(
        application=application,
        cases=cases,
        events=by_case,
        materials=[MaterialRow.of(m) for m in materials],
    )


def licence_uses_log(application: Application, *, actor: User, used: list[Provided]) -> None:
    """Log each licence the application uses where its holder can see it (用数记录)."""
    # The use log's head and the submission's audit chain head, locked in the chains' order.
    hashchain.lock_heads(
        [use_log.USE_LOG, audit_chain.for_object(application._meta.label_lower, str(application.pk))]
    )
    own = is_applicant(actor)
    department = None if own else actor.department
    for p in used:
        use_log.append(
            actor_id=actor.pk,
            actor_name=actor.name or actor.username,
            department_id=department.pk if department is not None else None,
            department_name=department.name if department is not None else "",
            case_number=application.number,
            reason=f"申请“{application.title}”，{'免提交' if p.shared else '使用电子证照'}{p.material.name}"
            if own
            else f"窗口代办“{application.title}”，经申请人当面授权调取{p.material.name}",
            holder_code=p.holder_code,
            licence_identifier=p.licence_identifier,
            action="query",
            fields=[p.material.name],
            outcome=Outcome.GRANTED,
            basis=Basis.HOLDER_SELF if own else Basis.HOLDER_AUTHORISED,
        )
