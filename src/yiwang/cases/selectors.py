"""Reads of applications and cases: scoped lists, the timeline, deadline figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.cases import access, deadlines
from yiwang.cases.models import Application, Case
from yiwang.cases.states import CLOCK_RUNNING, FINAL
from yiwang.cases.timeline import with_timeline
from yiwang.core.compiled import Compiled, remember_related
from yiwang.core.errors import NotFound

ACTIVE = CLOCK_RUNNING  # a suspended clock (§45) neither runs late nor warns


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


_OWN_CASE = Compiled(
    lambda owner, number: _case_detail_shape(
        Case.objects.filter(access.owns_application(owner, via="application__"), number=number)
    )[:1],
    int,
    str,
)


def case_detail(user: User, number: str) -> Case:
    """The case as its detail page and API show it: with what the presenter reads, in one query.

    Like services.load_case (404 whether it exists or the user may not see it), plus the 补正 notice;
    numbers are unique, so no ordering is needed.
    """
    if access.sees_own_only(user):  # the status read applicants make most: a compiled query
        case = _OWN_CASE.first(user.pk, number)
    else:
        cases = _case_detail_shape(access.visible_cases(user))
        case = next(iter(cases.filter(number=number)[:1]), None)
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
    from yiwang.cases.models import CaseEvent
    from yiwang.cases.states import Action

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


# An applicant's status read of a whole application: the application comes joined to its cases, with
# their events and materials (cases.timeline), so the whole read is one compiled query
# (services.load_application and then the presenter's case, event and material queries would be four).
_OWN_APPLICATION_CASES = Compiled(
    lambda owner, number: with_timeline(
        Case.objects.filter(access.owns_application(owner, via="application__"), application__number=number)
        .select_related(
            "application__bundle",
            "application__item_version",
            "item_version__item",
            "department",
            "supplement_request",
        )
        .only(
            *CASE_SUMMARY_FIELDS,
            "supplement_request__id",
            *(f"application__{f.name}" for f in Application._meta.concrete_fields),
            "application__bundle__code",
            "application__bundle__name",
            "application__item_version__name",
        )
        .order_by(),
        materials=True,
    ),
    int,
    str,
)
_APPLICATION_CASES = Compiled(
    lambda application_id: with_timeline(
        Case.objects.filter(application_id=application_id)
        .select_related("item_version__item", "department", "supplement_request")
        .only(*CASE_SUMMARY_FIELDS, "supplement_request__id")
        .order_by(),
        materials=True,
    ),
    int,
)
_CASE_APPLICATION = Case._meta.get_field("application")


def application_cases(application: Application) -> list[Case]:
    """The application's cases with what the case summary reads, in one compiled query."""
    return _attached(_APPLICATION_CASES.all(application.pk), application)


def _attached(cases: list[Case], application: Application) -> list[Case]:
    """The cases, each pointing at this one application instance (not reloaded on access)."""
    for case in cases:
        _CASE_APPLICATION.set_cached_value(case, application)
    return cases


def application_for_status(user: User, number: str) -> Application:
    """The application as its status read shows it (presenters.application_detail), cases included;
    404 whether it does not exist or the user may not see it."""
    from yiwang.cases.services import load_application

    if not access.sees_own_only(user):
        return load_application(user, number)
    cases = _OWN_APPLICATION_CASES.all(user.pk, number)
    if not cases:  # every application has at least one case
        raise NotFound("未找到该申办", code="application_not_found")
    application = cases[0].application
    remember_related(application, "cases", sorted(_attached(cases, application), key=lambda c: c.number))
    return application
