"""Reads of applications and cases: the loaders, scoped lists, status reads, deadline figures, and
what a user may do now (the actions the case engine, cases.actions, would carry out)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.cases import access, deadlines
from yiwang.cases.models import Application, Case, CaseEvent
from yiwang.cases.states import (
    BEFORE_ACCEPTANCE,
    CLOCK_RUNNING,
    FINAL,
    Action,
    CaseStatus,
    allowed_actions,
    allowed_from,
)
from yiwang.cases.timeline import with_timeline
from yiwang.catalog.models import BundleDependency
from yiwang.core.errors import NotFound

ACTIVE = CLOCK_RUNNING  # a suspended clock (§45) neither runs late nor warns


def load_case(user: User, number: str) -> Case:
    """The case if the user may see it; otherwise 404, whether it exists or not."""
    cases = access.visible_cases(user).select_related(
        "application", "item_version__item", "department", "bundle_member"
    )
    case = cases.filter(number=number).first()
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return case


def load_application(user: User, number: str) -> Application:
    """The application if the user may see it; otherwise 404, whether it exists or not."""
    applications = access.visible_applications(user).select_related("bundle", "item_version")
    application = applications.filter(number=number).first()
    if application is None:
        raise NotFound("未找到该申办", code="application_not_found")
    return application


def case_list(
    user: User, *, department: str = "", status: str = "", warning: str = "", today: date | None = None
) -> QuerySet[Case]:
    """The caller's cases, most urgent first. Warning filters are range conditions on indexed dates."""
    today = today or timezone.localdate()
    cases = access.visible_cases(user).select_related("department", "item_version__item", "application")
    if department:
        cases = cases.filter(department__code=department)
    if status:
        cases = cases.filter(status=status)
    if warning == deadlines.Warning.RED:
        cases = cases.filter(status__in=ACTIVE, promised_due__lt=today)
    elif warning == deadlines.Warning.YELLOW:
        cases = cases.filter(status__in=ACTIVE, promised_due__gte=today).filter(
            Q(yellow_on__lte=today) | Q(step_due__lt=today)
        )
    elif warning == deadlines.Warning.NORMAL:
        cases = cases.filter(status__in=ACTIVE, promised_due__gte=today, yellow_on__gt=today).exclude(
            step_due__lt=today
        )
    return cases.order_by("promised_due", "number")


# Of a case and its relations, what the case summary (presenters.case_summary) reads.
CASE_SUMMARY_FIELDS = (
    "number",
    "application",
    "item_version__name",
    "item_version__version",
    "item_version__item__code",
    "department__code",
    "department__name",
    "status",
    "case_type",
    "received_on",
    "supplement_deadline",
    "accepted_on",
    "deemed_accepted",
    "promised_days",
    "statutory_days",
    "promised_due",
    "statutory_due",
    "suspended_days",
    "extension_days",
    "yellow_on",
    "step_due",
)

# The case itself, and of its relations what the case presenter and the access policy read.
CASE_DETAIL_FIELDS = (
    *(f.name for f in Case._meta.concrete_fields),
    "application__number",
    "application__applicant_user",
    "application__agent_user",
    "application__service_point",
    "application__channel",
    "item_version__name",
    "item_version__version",
    "item_version__item__code",
    "department__code",
    "department__name",
    "supplement_request__items",
    "supplement_request__note",
    "supplement_request__issued_at",
    "supplement_request__answered_at",
)


def _case_detail_shape(cases: QuerySet[Case]) -> QuerySet[Case]:
    return with_timeline(
        cases.select_related("application", "item_version__item", "department", "supplement_request").only(
            *CASE_DETAIL_FIELDS
        ),
        materials=False,
    )


def case_detail(user: User, number: str) -> Case:
    """The case as its detail page and API show it: with what the presenter reads, in one query.

    Like load_case (404 whether it exists or the user may not see it), plus the 补正 notice.
    """
    case = _case_detail_shape(access.visible_cases(user)).filter(number=number).first()
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return case


def limit_text(days: int, extension_days: int = 0) -> str:
    """A limit in words as it stands beside a due date: the due date includes an extension (§42), so
    the limit says so — "3 个工作日（已延长 10 个工作日）", not a bare "3 个工作日" beside a date weeks away."""
    text = f"{days} 个工作日" if days else "即办"
    return f"{text}（已延长 {extension_days} 个工作日）" if extension_days else text


def case_figures(case: Case, *, today: date | None = None) -> dict[str, Any]:
    """Deadline figures a page or API shows for a case."""
    today = today or timezone.localdate()
    running = case.status in ACTIVE
    return {
        "promised_limit": limit_text(case.promised_days, case.extension_days),
        "statutory_limit": limit_text(case.statutory_days, case.extension_days),
        "promised_due": case.promised_due,
        "statutory_due": case.statutory_due,
        "working_days_used": deadlines.working_days_used(case.accepted_on, today, case.suspended_days)
        if running
        else None,
        "working_days_left": deadlines.working_days_left(today, case.promised_due) if running else None,
        "suspended_days": case.suspended_days,
        "extension_days": case.extension_days,
        "warning": deadlines.warning_level(
            today=today, promised_due=case.promised_due, yellow_on=case.yellow_on, step_due=case.step_due
        )
        if running
        else "",
    }


def application_list(user: User) -> QuerySet[Application]:
    return access.visible_applications(user).select_related("bundle", "item_version").order_by("-created_at")


def is_final(status: str) -> bool:
    return status in FINAL


def application_tracking(number: str, id_suffix: str) -> Application | None:
    """办件进度查询: an application found by its number and the last four characters of the applicant's
    ID number or USCC, or of its 经办人's ID number (a founder holds the notice of a company that had no
    USCC yet) — what the QR code on a notice leads to. None when either does not match."""
    suffix = id_suffix.strip().upper()
    if len(suffix) != 4:
        return None
    application = Application.objects.select_related("bundle", "item_version").filter(number=number).first()
    if application is None:
        return None
    holders = (application.applicant_id_number, application.agent_id_number)
    if not any(code and code.upper().endswith(suffix) for code in holders):
        return None
    return application


def tracking_timeline(application: Application) -> list[dict[str, Any]]:
    """What happened, without names or reasons: the public sees progress, not the file."""
    labels = dict(Action.choices)
    events = CaseEvent.objects.filter(case__application=application).select_related("case__item_version")
    return [
        {
            "at": timezone.localtime(e.at),
            "item": e.case.item_version.name,
            "action": labels.get(e.action, e.action),
        }
        for e in events.order_by("at", "id")
    ]


def _status_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases in number order with what the case summary reads, their events and their application's
    materials (cases.timeline)."""
    return with_timeline(
        cases.select_related("item_version__item", "department", "supplement_request")
        .only(*CASE_SUMMARY_FIELDS, "supplement_request__id")
        .order_by("number"),
        materials=True,
    )


def application_cases(application: Application) -> list[Case]:
    """The application's cases as the status read shows them, in one query."""
    return _attached(list(_status_cases(Case.objects.filter(application=application))), application)


def _attached(cases: list[Case], application: Application) -> list[Case]:
    """The cases, each pointing at this one application instance (not loaded again on access)."""
    for case in cases:
        case.application = application
    return cases


def application_for_status(user: User, number: str) -> tuple[Application, list[Case]]:
    """The application as its status read shows it (presenters.application_detail) and its cases,
    in one query; 404 whether it does not exist or the user may not see it."""
    visible = access.visible_applications(user).filter(number=number).values("pk")
    cases = list(
        _status_cases(Case.objects.filter(application__in=visible))
        .select_related("application__bundle", "application__item_version")
        .only(
            *CASE_SUMMARY_FIELDS,
            "supplement_request__id",
            *(f"application__{f.name}" for f in Application._meta.concrete_fields),
            "application__bundle__code",
            "application__bundle__name",
            "application__item_version__name",
        )
    )
    if not cases:  # every application has at least one case
        raise NotFound("未找到该申办", code="application_not_found")
    application = cases[0].application
    return application, _attached(cases, application)


# ---- what a user may do now ---------------------------------------------------------------------

# Actions the engine takes itself, never offered to a user.
SYSTEM_ACTIONS = frozenset({Action.PRE_REVIEW, Action.DEEMED_ACCEPT, Action.START, Action.REVOKE})
# Actions on a whole application (cases.actions.dispatch.application_act).
APPLICATION_ACTIONS = (
    Action.ACCEPT,
    Action.REFUSE,
    Action.REQUEST_SUPPLEMENT,
    Action.SUPPLEMENT,
    Action.WITHDRAW,
)


def past_notice_deadline(case: Case, today: date) -> bool:
    """§32: a case still before acceptance after its 补正 notice deadline counts as accepted on receipt."""
    return case.status in BEFORE_ACCEPTANCE and today > case.supplement_deadline


def case_actions_available(user: User, case: Case, *, today: date | None = None) -> list[str]:
    """The actions this user can take on this case now: the role, the state machine, and the rules the
    actions would otherwise refuse (one 补正 notice, one extension, §32, bundles accepted whole)."""
    today = today or timezone.localdate()
    permitted = access.case_actions_for(user, case)
    actions = [a for a in allowed_actions(case.status) if a in permitted and a not in SYSTEM_ACTIONS]
    late = past_notice_deadline(case, today)
    refused: set[str] = set()
    if case.bundle_member_id is not None and not late:
        refused.add(Action.ACCEPT)  # the bundle is accepted as a whole (a late one is accepted already)
    if late or case.has_supplement_request():
        refused.add(Action.REQUEST_SUPPLEMENT)
    if late:
        refused.add(Action.REFUSE)
    if case.extension_days:
        refused.add(Action.EXTEND)
    return [a for a in actions if a not in refused]


def application_actions_available(
    user: User, application: Application, cases: list[Case], *, today: date | None = None
) -> list[str]:
    """The actions on the whole application this user can take now; `cases` are all its cases.

    A single item's application: what its case allows. A bundle (一件事) is taken in as a whole by the
    window or the lead department: accepted while one of its cases awaits intake within the §32
    deadline, sent one 补正 notice while none of those cases has had one. The applicant's supplement
    and withdrawal apply to every case they fit, so each of those cases must allow them.
    """
    if not cases:
        return []
    today = today or timezone.localdate()
    each = {c.pk: case_actions_available(user, c, today=today) for c in cases}
    if application.bundle_id is None:
        return [a for a in APPLICATION_ACTIONS if a in each[cases[0].pk]]
    whole = may_take_in_whole(user, application)
    pending = [c for c in cases if c.status in BEFORE_ACCEPTANCE]
    available: list[str] = []
    if whole and any(
        Action.ACCEPT in access.case_actions_for(user, c) and not past_notice_deadline(c, today)
        for c in pending
    ):
        available.append(Action.ACCEPT)
    if any(Action.REFUSE in each[c.pk] for c in cases):
        available.append(Action.REFUSE)
    if (
        whole
        and any(Action.REQUEST_SUPPLEMENT in each[c.pk] for c in pending)
        and not any(c.has_supplement_request() for c in pending)
    ):
        available.append(Action.REQUEST_SUPPLEMENT)
    for action in (Action.SUPPLEMENT, Action.WITHDRAW):
        fitting = [c for c in cases if c.status in allowed_from(action)]
        if fitting and all(action in each[c.pk] for c in fitting):
            available.append(action)
    return available


def may_take_in_whole(user: User, application: Application) -> bool:
    """The window, or the lead department's officers and head, take in a whole application."""
    bundle, version = application.bundle, application.item_version
    lead = (
        bundle.lead_department_id if bundle is not None else version.item.department_id if version else None
    )
    return user.has_role(StaffRole.WINDOW_CLERK) or (
        lead is not None
        and user.department_id == lead
        and (user.has_role(StaffRole.OFFICER) or user.has_role(StaffRole.DEPARTMENT_HEAD))
    )


def unmet_prerequisites(case: Case) -> list[Case]:
    """The cases of the same bundle application this one waits for: its prerequisites not yet completed."""
    if case.bundle_member_id is None:
        return []
    required = BundleDependency.objects.filter(member_id=case.bundle_member_id).values("requires_id")
    return list(
        Case.objects.filter(application_id=case.application_id, bundle_member_id__in=required).exclude(
            status=CaseStatus.COMPLETED
        )
    )
