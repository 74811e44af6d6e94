"""诉求 in the workbench: each post's list (the dispatcher's pool, the department's requests, the
supervisor's 督办 and overdue ones, the operator's callbacks), one request with the steps this post may
take now, and the hotline operator's intake page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission, allows
from yiwang.accounts.roles import StaffRole
from yiwang.channels.workbench.feedback_forms import (
    AnswerForm,
    ConcludeForm,
    DispatchForm,
    ExtensionDecisionForm,
    ExtensionForm,
    HotlineForm,
    JudgeForm,
    ReasonForm,
)
from yiwang.channels.workbench.guards import StaffRequest, not_found, staff_only
from yiwang.channels.workbench.views.common import page_context, page_number
from yiwang.channels.workbench.views.ratings import run_form
from yiwang.core.errors import NotFound
from yiwang.core.masking import mask_mobile
from yiwang.core.pagination import paginate
from yiwang.feedback import desk, intake, rules, selectors
from yiwang.feedback.models import ExtensionState, RequestChannel, ServiceRequest, Stage

STAGE_TONES: dict[str, str] = {
    Stage.RECEIVED: "warn",
    Stage.DISPATCHED: "warn",
    Stage.HANDLING: "info",
    Stage.ANSWERED: "info",
    Stage.SUPERVISED: "bad",
    Stage.CLOSED: "ok",
}


def _tabs(user: User) -> list[tuple[str, str]]:
    """The lists this post works from, first the one it starts with."""
    tabs: list[tuple[str, str]] = []
    if user.has_role(StaffRole.DISPATCHER):
        tabs += [("pool", "待派单"), ("extensions", "延期待审批")]
    if user.has_role(StaffRole.OFFICER) or user.has_role(StaffRole.DEPARTMENT_HEAD):
        tabs += [("department", "本部门在办")]
    if user.has_role(StaffRole.HOTLINE_OPERATOR):
        tabs += [("callback", "待回访")]
    if user.has_role(StaffRole.SUPERVISOR):
        tabs += [("supervised", "督办件"), ("overdue", "超期件")]
    return tabs + [("all", "全部")]


def _rows(user: User, tab: str) -> QuerySet[ServiceRequest]:
    if tab == "pool":
        return selectors.requests_pool()
    if tab == "extensions":
        return selectors.requests_extension_pending()
    if tab == "department":
        return selectors.requests_of_department(user.department_id or 0)
    if tab == "callback":
        return ServiceRequest.objects.filter(stage=Stage.ANSWERED).order_by("answered_at")
    if tab == "supervised":
        return selectors.requests_supervised()
    if tab == "overdue":
        return selectors.requests_overdue()
    return (
        ServiceRequest.objects.filter(selectors.request_visible_to(user)).distinct().order_by("-received_at")
    )


@staff_only(Permission.REQUESTS)
def requests_list(request: StaffRequest) -> HttpResponse:
    tabs = _tabs(request.user)
    tab = request.GET.get("tab", tabs[0][0])
    if tab not in dict(tabs):
        tab = tabs[0][0]
    page = paginate(
        request, _rows(request.user, tab).select_related("department"), page_number(request.GET.get("page"))
    )
    today = rules.today()
    rows = [
        {
            "r": r,
            "tone": STAGE_TONES.get(r.stage, "info"),
            "late": r.past_due(today),
        }
        for r in page.rows
    ]
    context = page_context(
        request,
        "requests",
        tabs=[{"key": k, "label": v, "current": k == tab} for k, v in tabs],
        rows=rows,
        page=page,
    )
    return render(request, "channels/workbench/requests.html", context)


# What each post may do with a request in its stage: (step, form class, permission).
STEPS: dict[str, tuple[type[forms.Form], Permission]] = {
    "dispatch": (DispatchForm, Permission.DISPATCH),
    "sign": (forms.Form, Permission.REQUEST_HANDLE),
    "answer": (AnswerForm, Permission.REQUEST_HANDLE),
    "return": (ReasonForm, Permission.REQUEST_HANDLE),
    "extension": (ExtensionForm, Permission.REQUEST_HANDLE),
    "extension_decision": (ExtensionDecisionForm, Permission.DISPATCH),
    "judge": (JudgeForm, Permission.HOTLINE),
    "conclude": (ConcludeForm, Permission.REQUEST_SUPERVISE),
}


def _open_steps(user: User, r: ServiceRequest) -> list[str]:
    """The steps the page offers: the service decides again when one is taken."""
    own = r.department_id is not None and r.department_id == user.department_id
    offered = {
        "dispatch": r.stage == Stage.RECEIVED,
        "sign": own and r.stage == Stage.DISPATCHED,
        "answer": own and r.stage in (Stage.HANDLING, Stage.SUPERVISED),
        "return": own and r.stage in (Stage.DISPATCHED, Stage.HANDLING) and not r.redone,
        "extension": own and r.stage == Stage.HANDLING and r.extension == ExtensionState.NONE,
        "extension_decision": r.extension == ExtensionState.PENDING,
        "judge": r.stage == Stage.ANSWERED,
        "conclude": r.stage == Stage.SUPERVISED,
    }
    return [step for step, ok in offered.items() if ok and allows(user, STEPS[step][1])]


def _take(step: str, user: User, number: str, data: dict[str, Any]) -> ServiceRequest:
    if step == "dispatch":
        return desk.request_route(actor=user, number=number, department_code=data["department"])
    if step == "sign":
        return desk.request_sign(actor=user, number=number)
    if step == "answer":
        return desk.request_answer(actor=user, number=number, answer=data["answer"])
    if step == "return":
        return desk.request_return(actor=user, number=number, reason=data["reason"])
    if step == "extension":
        return desk.request_extension_ask(actor=user, number=number, days=data["days"], reason=data["reason"])
    if step == "extension_decision":
        return desk.request_extension_decide(
            actor=user, number=number, approve=data["approve"], note=data["note"]
        )
    if step == "judge":
        return desk.request_judge(number=number, satisfied=data["satisfied"], note=data["note"], actor=user)
    return desk.request_conclude(actor=user, number=number, conclusion=data["conclusion"])


DONE = {
    "dispatch": "已派单。",
    "sign": "已签收，请在办理期限内答复。",
    "answer": "答复已发送给诉求人。",
    "return": "已退回派单员重新派单。",
    "extension": "延期申请已提交，待派单员审批。",
    "extension_decision": "延期审批已记录。",
    "judge": "回访结果已记录。",
    "conclude": "督办件已办结。",
}


@staff_only(Permission.REQUESTS)
@require_http_methods(["GET", "POST"])
def request_page(request: StaffRequest, number: str) -> HttpResponse:
    user = request.user
    found = selectors.request_of(user, number)
    if found is None:
        return not_found(request, NotFound("未找到该诉求"))
    steps = _open_steps(user, found)
    bound: dict[str, forms.Form] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in steps:
            general.append("该诉求当前不能进行这一步，请刷新页面")
            status = 409
        else:
            form = STEPS[step][0](request.POST, prefix=step)
            bound[step] = form
            done, status = run_form(form, lambda d: _take(step, user, number, d), general)
            if done is not None:
                messages.success(request, DONE[step])
                if selectors.request_of(user, number) is None:
                    return redirect(reverse("workbench:requests"))
                return redirect(reverse("workbench:request", args=[number]))
    forms_shown = {step: bound.get(step) or STEPS[step][0](prefix=step) for step in steps}
    shows_submitter = selectors.submitter_visible(user, found)
    context = page_context(
        request,
        "requests",
        r=found,
        tone=STAGE_TONES.get(found.stage, "info"),
        late=found.past_due(rules.today()),
        events=list(found.events.select_related("department", "actor")),
        forms=forms_shown,
        shows_submitter=shows_submitter,
        phone=(
            found.contact_phone
            if user.has_role(StaffRole.HOTLINE_OPERATOR)
            else mask_mobile(found.contact_phone)
        )
        if shows_submitter and found.contact_phone
        else "",
        general=general,
    )
    return render(request, "channels/workbench/request.html", context, status=status)


@staff_only(Permission.HOTLINE)
@require_http_methods(["GET", "POST"])
def hotline(request: StaffRequest) -> HttpResponse:
    """热线受理: the operator types what the caller asks; the page gives the number and the 查询码 to read
    back, and where the request went. Below, answered requests waiting for the operator's 回访 call."""
    form = HotlineForm(request.POST or None)
    general: list[str] = []
    status = 200
    if request.method == "POST":
        made: intake.Intake | None
        made, status = run_form(
            form,
            lambda d: intake.request_create(
                type=d["type"],
                text=d["text"],
                channel=RequestChannel.HOTLINE,
                taken_by=request.user,
                contact_name=d["contact_name"],
                contact_phone=d["contact_phone"],
                anonymous=d["anonymous"],
                case_number=d["case"],
            ),
            general,
        )
        if made is not None:
            r = made.request
            where = f"已自动派至{r.department.name}" if r.department else "待派单员派单"
            messages.success(
                request,
                f"已受理：诉求编号 {r.number}，查询码 {made.tracking_code}（请读给来电人），{where}。",
            )
            return redirect(reverse("workbench:hotline"))
    context = page_context(
        request,
        "hotline",
        form=form,
        general=general,
        callbacks=list(
            ServiceRequest.objects.filter(stage=Stage.ANSWERED)
            .select_related("department")
            .order_by("answered_at")[:50]
        ),
    )
    return render(request, "channels/workbench/hotline.html", context, status=status)
