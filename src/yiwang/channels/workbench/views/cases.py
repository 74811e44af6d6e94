"""部门办件: the department's queue by urgency, the case page, and the actions the engine allows there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission, allows
from yiwang.accounts.roles import StaffRole
from yiwang.audit.services import personal_data_read
from yiwang.cases import access, presenters
from yiwang.cases import selectors as case_selectors
from yiwang.cases.actions import dispatch
from yiwang.cases.deadlines import Warning
from yiwang.cases.handover import handover_spec
from yiwang.cases.models import Case, SuspensionKind
from yiwang.cases.notices_catalog import NOTICE_TITLES
from yiwang.cases.states import BEFORE_ACCEPTANCE, FINAL, Action
from yiwang.channels.workbench import engine, present
from yiwang.channels.workbench.forms import CompleteForm, QueueFilterForm, supplement_items
from yiwang.channels.workbench.guards import StaffRequest, forbidden, not_found, staff_only
from yiwang.channels.workbench.views.applications import (
    NOTICE_FOR_ACTION,
    action_errors,
    load_cases,
    notice_links,
    stale_message,
)
from yiwang.channels.workbench.views.applications import stamp as application_stamp
from yiwang.channels.workbench.views.common import channel_of, page_context, page_number, work_area
from yiwang.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from yiwang.core.pagination import paginate
from yiwang.feedback import selectors as feedback_selectors

ACTION_LABELS = {
    Action.ACCEPT: "受理",
    Action.REFUSE: "不予受理",
    Action.REQUEST_SUPPLEMENT: "一次性告知补正",
    Action.START_REVIEW: "开始审查",
    Action.SUSPEND: "启动特别程序",
    Action.RESUME: "结束特别程序",
    Action.EXTEND: "延长办理期限",
    Action.APPROVE: "准予",
    Action.DENY: "不予许可",
    Action.COMPLETE: "办结",
}


# ---- the queue ------------------------------------------------------------------------------------


def queue_row(case: Case, today: Any) -> dict[str, Any]:
    figures = case_selectors.case_figures(case, today=today)
    step_late = bool(figures["warning"] and case.step_due and case.step_due < today)
    return {
        "case": case,
        "badge": present.status_badge(case.status),
        "light": present.light(
            figures["warning"], figures["working_days_left"], step_late=step_late, status=case.status
        ),
        "figures": figures,
        "days_over": -figures["working_days_left"]
        if figures["working_days_left"] is not None and figures["working_days_left"] < 0
        else 0,
        "before_acceptance": case.status in BEFORE_ACCEPTANCE,
    }


def queue_filters(request: StaffRequest) -> dict[str, str]:
    form = QueueFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    return {
        "scope": values.get("scope") or "open",
        "status": values.get("status") or "",
        "warning": values.get("warning") or "",
        "department": values.get("department") or "",
    }


def filtered_cases(user: Any, filters: dict[str, str]) -> Any:
    cases = case_selectors.case_list(
        user, department=filters["department"], status=filters["status"], warning=filters["warning"]
    )
    if filters["scope"] == "open" and not filters["status"]:
        cases = cases.exclude(status__in=FINAL)
    # case_list's order, with cases whose clock has not started after the dated ones on every database
    # (SQLite sorts NULL first, PostgreSQL last).
    return cases.order_by(F("promised_due").asc(nulls_last=True), "number")


def warning_counts(user: Any, department: str = "") -> dict[str, int]:
    return {
        w: case_selectors.case_list(user, department=department, warning=w).count()
        for w in (Warning.RED, Warning.YELLOW, Warning.NORMAL)
    }


@staff_only(Permission.QUEUE)
@require_safe
def queue(request: StaffRequest) -> HttpResponse:
    """本部门办件, most urgent first (承诺办结日期 ascending), with the e-supervision lights."""
    user = request.user
    filters = queue_filters(request)
    filters["department"] = ""  # an officer's scope is their department (access.visible_cases)
    today = timezone.localdate()
    cases = filtered_cases(user, filters)
    page = paginate(request, cases, page_number(request.GET.get("page")))
    context = page_context(
        request,
        "queue",
        filters=filters,
        form=QueueFilterForm(initial=filters),
        page=page,
        rows=[queue_row(c, today) for c in page.rows],
        counts=warning_counts(user),
        department=user.department,
        today=today,
        query=request.GET,
        readonly=False,
    )
    template = (
        "channels/workbench/_queue_table.html"
        if request.headers.get("HX-Request")
        else "channels/workbench/queue.html"
    )
    return render(request, template, context)


# ---- the case page ----------------------------------------------------------------------------------


def case_feedback(user: User, case: Case) -> dict[str, Any]:
    """好差评 and 诉求 about the case, for its department and supervision; the invite button for the
    window clerk. A 举报's reporter is never named here (the request page decides what it shows)."""
    sees = user.has_role(StaffRole.SUPERVISOR) or user.department_id == case.department_id
    return {
        "rating": feedback_selectors.case_rating(case) if sees else None,
        "requests": list(feedback_selectors.requests_of_case(case)) if sees else [],
        "may_invite": allows(user, Permission.RATING_TABLET),
    }


def render_case(
    request: StaffRequest,
    case: Case,
    *,
    status: int = 200,
    errors: dict[str, dict[str, list[str]]] | None = None,
    general: list[str] | None = None,
    posted: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    errors = errors or {}
    posted = posted or {}
    today = timezone.localdate()
    detail = presenters.case_detail(case, user)
    buttons = engine.case_buttons(case, detail["allowed_actions"])
    application = case.application
    app_cases = load_cases(application)
    whole_accept = (
        case.bundle_member_id is not None
        and case.status in BEFORE_ACCEPTANCE
        and Action.ACCEPT in engine.application_buttons(user, application, app_cases)
    )
    titles = engine.field_titles(case)
    reads_documents = allows(user, Permission.DOCUMENT_READ)  # supervision reads no scans
    materials = [
        present.material_row(
            m,
            reverse("workbench:case_document", kwargs={"number": case.number, "document_id": m.document_id})
            if m.document_id and reads_documents
            else None,
            channel=application.channel,
        )
        for m in engine.case_materials(case)
    ]
    figures = detail["deadlines"]
    step_late = bool(figures["warning"] and case.step_due and case.step_due < today)
    ticked: dict[int, str] = posted.get("ticked", {})
    supplement_choices = [
        {
            "id": m.id,
            "name": m.name,
            "ticked": m.id in ticked,
            "reason": ticked.get(m.id, ""),
            "errors": errors.get(Action.REQUEST_SUPPLEMENT, {}).get(f"material-{m.id}", []),
        }
        for m in case.item_version.materials.all()
    ]
    complete_form = CompleteForm(
        posted.get("complete") if posted.get("action") == Action.COMPLETE else None,
        initial={"name": case.item_version.result_name},
        handover=handover_spec(case),
    )
    if posted.get("action") == Action.COMPLETE:
        complete_form.is_valid()
        for key, texts in errors.get(Action.COMPLETE, {}).items():
            if key in complete_form.fields:  # a hand-over field the engine refused
                for text in texts:
                    complete_form.add_error(key, text)
    pledge_checks = list(case.pledge_checks.select_related("material__material").order_by("due_on"))
    context = page_context(
        request,
        work_area(user),
        case=case,
        application=application,
        detail=detail,
        badge=present.status_badge(case.status),
        light=present.light(
            figures["warning"], figures["working_days_left"], step_late=step_late, status=case.status
        ),
        buttons=buttons,
        action_labels=ACTION_LABELS,
        whole_accept=whole_accept,
        application_stamp=application_stamp(app_cases),
        siblings=[c for c in app_cases if c.pk != case.pk],
        form_rows=present.form_rows(detail["data"] or {}, titles),  # masked per accounts.policy
        materials=materials,
        licences=[m for m in materials if m["licence"]],
        pledges=[m for m in materials if m["pledged"]],
        pledge_checks=pledge_checks,
        id_shown=present.masked_id(application),
        id_label=present.id_label(application),
        events=present.event_rows(detail["events"]),
        notices=notice_links(application, app_cases),
        printed=request.GET.get("printed", ""),
        suspension_kinds=SuspensionKind.choices,
        supplement_choices=supplement_choices,
        complete_form=complete_form,
        result_rows=present.form_rows((case.result or {}).get("data") or {}, titles),
        errors=errors,
        general=general or [],
        posted=posted,
        before_acceptance=case.status in BEFORE_ACCEPTANCE,
        past_notice_deadline=case.status in BEFORE_ACCEPTANCE and today > case.supplement_deadline,
        readonly=not buttons and not whole_accept,
        feedback=case_feedback(user, case),
        days_over=-figures["working_days_left"]
        if figures["working_days_left"] is not None and figures["working_days_left"] < 0
        else 0,
    )
    personal_data_read(actor=user, obj=case, view="workbench.case")
    return render(request, "channels/workbench/case.html", context, status=status)


@staff_only()
@require_safe
def case_page(request: StaffRequest, number: str) -> HttpResponse:
    try:
        case = case_selectors.load_case(request.user, number)
    except NotFound as exc:
        return not_found(request, exc)
    return render_case(request, case)


def _body(action: str, post: Any, case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
    """The engine's action body from the posted form, and what to show again if the engine refuses it."""
    reason = post.get("reason", "").strip()[:1000]
    posted: dict[str, Any] = {"action": action, "reason": reason}
    if action == Action.SUSPEND:
        kind = post.get("kind", "")
        posted["kind"] = kind
        return {"kind": kind, "reason": reason}, posted
    if action == Action.REQUEST_SUPPLEMENT:
        items, note = supplement_items(post, [m.id for m in case.item_version.materials.all()])
        posted.update({"ticked": {i["material"]: i["reason"] for i in items}, "note": note})
        return {"items": items, "reason": note}, posted
    if action == Action.COMPLETE:
        form = CompleteForm(post, handover=handover_spec(case))
        form.is_valid()
        posted["complete"] = post
        return {"result": form.result()}, posted
    if action in (Action.ACCEPT, Action.START_REVIEW):
        return {}, posted
    return {"reason": reason}, posted


# Notices a case action issues on its own (the application's intake notices are in NOTICE_FOR_ACTION).
CASE_NOTICES = {Action.COMPLETE: "completion", Action.EXTEND: "extension"}


@staff_only()
@require_POST
def case_act(request: StaffRequest, number: str) -> HttpResponse:
    """One action on one case, through `cases.actions.dispatch.case_act`; refusals come back as page messages."""
    user = request.user
    try:
        case = case_selectors.load_case(user, number)
    except NotFound as exc:
        return not_found(request, exc)
    action = request.POST.get("action", "")
    if action not in engine.CASE_PAGE_ACTIONS:
        return render_case(request, case, status=400, general=["未知的操作"])
    if action not in access.case_actions_for(user, case):
        return forbidden(request, f"您的岗位不能对办件 {case.number} 执行“{ACTION_LABELS[Action(action)]}”。")
    if request.POST.get("revision") != str(case.revision):
        return render_case(request, case, status=409, general=[stale_message(f"办件 {case.number}")])
    body, posted = _body(action, request.POST, case)
    try:
        case = dispatch.case_act(
            actor=user, number=number, action=action, body=body, channel=channel_of(user)
        )
    except ValidationFailed as exc:
        fields = action_errors(exc, body.get("items") or [])
        general = fields.pop("general", [])
        return render_case(
            request, _reload(user, case), status=422, errors={action: fields}, general=general, posted=posted
        )
    except Conflict as exc:
        return render_case(request, _reload(user, case), status=409, general=[exc.message])
    except NotFound as exc:
        return not_found(request, exc)
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        return render_case(
            request, _reload(user, case), status=exc.status, general=[exc.message], posted=posted
        )
    text = f"办件 {case.number}：已{ACTION_LABELS[Action(action)]}，当前状态“{present.STATUS_LABELS[case.status]}”。"
    url = reverse("workbench:case", kwargs={"number": case.number})
    kind = NOTICE_FOR_ACTION.get(Action(action)) or CASE_NOTICES.get(Action(action), "")
    if kind:
        text += f"可打印{NOTICE_TITLES[kind]}。"
        url += f"?printed={kind}"
    messages.success(request, text)
    return redirect(url)


def _reload(user: Any, case: Case) -> Case:
    try:
        return case_selectors.load_case(user, case.number)
    except NotFound:
        return case
