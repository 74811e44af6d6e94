"""Cases and applications as the plain dicts the API returns."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any

from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission, allows
from yiwang.cases import access, selectors, timeline
from yiwang.cases.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseEvent,
    Channel,
    SuspensionKind,
)
from yiwang.cases.notices_catalog import NOTICE_TITLES
from yiwang.cases.states import Action, CaseStatus
from yiwang.cases.submission.store import StoredApplication
from yiwang.cases.timeline import EventRow, MaterialRow
from yiwang.catalog.codes import CaseType
from yiwang.core.masking import mask_id_number, mask_json

# Code → label, built once: a choices list is rebuilt on every access.
STATUS = dict(CaseStatus.choices)
ACTIONS = dict(Action.choices)
APPLICATION_STATUS = dict(ApplicationStatus.choices)
CHANNELS = dict(Channel.choices)
CASE_TYPES = dict(CaseType.choices)
SUSPENSION_KINDS = dict(SuspensionKind.choices)


def _cl(code: str, labels: dict[str, str]) -> dict[str, str]:
    return {"code": code, "label": str(labels.get(code, code))}


# The columns event_out reads of an event queried on its own (anything else loads on access).
EVENT_FIELDS = (
    "case",
    "action",
    "from_status",
    "to_status",
    "actor__name",
    "actor_role",
    "channel",
    "reason",
    "data",
    "at",
)


def case_summary(case: Case, *, today: date | None = None) -> dict[str, Any]:
    figures = selectors.case_figures(case, today=today)
    return {
        "number": case.number,
        "application": case.application.number,
        "item": {"code": case.item_version.item.code, "label": case.item_version.name},
        "item_version": case.item_version.version,
        "department": {"code": case.department.code, "label": case.department.name},
        "status": _cl(case.status, STATUS),
        "case_type": _cl(case.case_type, CASE_TYPES),
        "deadlines": {
            "received_on": case.received_on,
            "supplement_deadline": case.supplement_deadline,
            "accepted_on": case.accepted_on,
            "deemed_accepted": case.deemed_accepted,
            "promised_days": case.promised_days,
            "statutory_days": case.statutory_days,
            **figures,
        },
    }


def event_out(event: EventRow, case_number: str, tz: tzinfo | None = None) -> dict[str, Any]:
    return {
        "case": case_number,
        "action": _cl(event.action, ACTIONS),
        "from_status": event.from_status,
        "to_status": _cl(event.to_status, STATUS),
        "actor": event.actor_name
        if event.actor_name is not None
        else ("系统" if event.actor_role == "system" else None),
        "role": event.actor_role,
        "channel": event.channel,
        "reason": event.reason,
        "data": event.data,
        "at": timezone.localtime(event.at, tz),
    }


def _as_seen_by(user: User, data: Any) -> Any:
    """Form or case data with its identifiers in clear only for those who handle the case."""
    return data if allows(user, Permission.PERSONAL_DATA_CLEAR) else mask_json(data)


def case_detail(case: Case, user: User) -> dict[str, Any]:
    out = case_summary(case)
    out["allowed_actions"] = selectors.case_actions_available(user, case)
    out["data"] = _as_seen_by(user, case.data)
    out["result"] = case.result
    out["waiting_for"] = []
    if case.status == CaseStatus.WAITING:
        out["waiting_for"] = [c.number for c in selectors.unmet_prerequisites(case)]
    request = getattr(case, "supplement_request", None)
    out["supplement_request"] = (
        {
            "items": request.items,
            "note": request.note,
            "issued_at": request.issued_at,
            "answered_at": request.answered_at,
        }
        if request
        else None
    )
    events = _case_events(case)
    # A suspension is only ever opened with a "suspend" event (actions.review.case_suspend): most cases
    # have none, and their status reads skip the query.
    suspended = any(e.action == Action.SUSPEND for e in events)
    out["suspensions"] = [
        {
            "kind": _cl(s.kind, SUSPENSION_KINDS),
            "reason": s.reason,
            "started_on": s.started_on,
            "ended_on": s.ended_on,
            "working_days": s.working_days,
            "result": s.result,
        }
        for s in (case.suspensions.order_by("started_on", "pk") if suspended else [])
    ]
    tz = timezone.get_current_timezone()
    out["events"] = [event_out(e, case.number, tz) for e in events]
    return out


def _case_events(case: Case) -> list[EventRow]:
    """The case's events in time order: as its query brought them (timeline), else in one query
    (after an action, say)."""
    brought = timeline.events_of(case)
    if brought is not None:
        return brought
    events = CaseEvent.objects.filter(case=case).select_related("actor").only(*EVENT_FIELDS)
    return [EventRow.of(e) for e in events.order_by("at", "pk")]


def _materials(application: Application, cases: list[Case]) -> list[MaterialRow]:
    """The application's materials in the order they were given: as its cases' query brought them,
    else in one query."""
    brought = timeline.materials_of(cases)
    if brought is not None:
        return brought
    return [MaterialRow.of(m) for m in application.materials.select_related("material").order_by("pk")]


def _notice_kinds(actions: set[str], supplement_requested: bool) -> list[str]:
    """The rules of notices_catalog.notice_kinds applied to what is already loaded (no query);
    keep the two in step."""
    kinds = []
    if actions & {Action.ACCEPT, Action.DEEMED_ACCEPT}:
        kinds.append("acceptance")
    if Action.REFUSE in actions:
        kinds.append("refusal")
    if supplement_requested:
        kinds.append("supplement")
    if Action.EXTEND in actions:
        kinds.append("extension")
    if Action.COMPLETE in actions:
        kinds.append("completion")
    return kinds


def application_detail(
    application: Application,
    user: User,
    *,
    cases: list[Case] | None = None,
    stored: StoredApplication | None = None,
) -> dict[str, Any]:
    """The application as its status read shows it; `cases`: its cases as selectors.application_for_status
    loaded them; `stored`: all of it as its submission just wrote it (else loaded here)."""
    if stored is not None:
        cases, events_by_case, materials = stored.cases, stored.events, stored.materials
    else:
        cases = cases if cases is not None else selectors.application_cases(application)
        events_by_case = {case.pk: _case_events(case) for case in cases}
        materials = _materials(application, cases)
    # The local zone and date once, not once per event and case.
    tz = timezone.get_current_timezone()
    today = timezone.localdate(timezone=tz)
    events = [event_out(e, case.number, tz) for case in cases for e in events_by_case[case.pk]]
    events.sort(key=lambda e: (e["at"], e["case"]))
    own = access.is_own_application(user, application)
    items = {c.item_version_id: c.item_version.item for c in cases}
    item = None
    if application.item_version_id:
        item = items.get(application.item_version_id)
        if item is None and application.item_version is not None:
            item = application.item_version.item
    actions = {e.action for case_events in events_by_case.values() for e in case_events}
    kinds = _notice_kinds(actions, any(c.has_supplement_request() for c in cases))
    return {
        "number": application.number,
        "title": application.title,
        "item": item.code if item is not None else None,
        "bundle": application.bundle.code if application.bundle is not None else None,
        "status": _cl(application.status, APPLICATION_STATUS),
        "channel": _cl(application.channel, CHANNELS),
        "applicant": {
            "kind": application.applicant_kind,
            "name": application.applicant_name,
            "id_type": application.applicant_id_type,
            "id_number": application.applicant_id_number
            if own or application.applicant_id_type == "001"
            else mask_id_number(application.applicant_id_number),
            "agent": {
                "name": application.agent_name,
                "id_number": application.agent_id_number
                if application.agent_user_id == user.pk
                else mask_id_number(application.agent_id_number),
            }
            if application.agent_name
            else None,
        },
        "form": _as_seen_by(user, application.form),
        "created_at": timezone.localtime(application.created_at, tz),
        "materials": [
            {
                "material": m.material_id,
                "name": m.name,
                "way": "pledge"
                if m.pledged
                else "licence"
                if m.licence_identifier
                else "form"
                if m.from_form
                else "document",
                "document": m.document_id,
                "licence": m.licence_identifier or None,
                "from_library": m.from_library,
                "note": "已通过电子证照获取"
                if m.from_library
                else "以在线填报的申请表代替"
                if m.from_form
                else "",
                "supplemented": m.supplemented,
            }
            for m in materials
        ],
        "cases": [case_summary(c, today=today) for c in cases],
        "events": events,
        "notices": [
            {
                "kind": kind,
                "title": NOTICE_TITLES[kind],
                "url": reverse(
                    "api-v1:application_notice", kwargs={"number": application.number, "kind": kind}
                ),
            }
            for kind in kinds
        ],
    }
