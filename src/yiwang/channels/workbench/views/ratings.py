"""好差评 in the workbench: the department's 差评整改 (回访, 整改, 申诉), the supervisor's oversight (red
cards for overdue 回访/整改 and requests, appeals to decide, 督办), and the window's 评价器."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts.policy import Permission, allows
from yiwang.cases import selectors as case_selectors
from yiwang.channels.refusals import field_errors_onto
from yiwang.channels.workbench.feedback_forms import (
    AppealDecisionForm,
    AppealForm,
    CallbackForm,
    RectifyForm,
)
from yiwang.channels.workbench.guards import StaffRequest, not_found, staff_only
from yiwang.channels.workbench.views.common import page_context
from yiwang.core.errors import DomainError, NotFound
from yiwang.feedback import ratings, rectification, rules, selectors
from yiwang.feedback.models import BadRatingTask, Level, Rating
from yiwang.feedback.options import indicators, option_labels, options_of


def run_form(form: forms.Form, act: Callable[[dict[str, Any]], Any], general: list[str]) -> tuple[Any, int]:
    """Validates `form` and calls `act` with its data; a refusal of the domain becomes form errors (its
    fields) or a general message. Returns (result or None, HTTP status)."""
    if not form.is_valid():
        return None, 422
    try:
        return act(form.cleaned_data), 200
    except DomainError as exc:
        if not field_errors_onto(form, exc):
            general.append(exc.message)
        return None, exc.status


def _task_row(task: BadRatingTask) -> dict[str, Any]:
    rating = task.rating
    today = rules.today()
    return {
        "task": task,
        "rating": rating,
        "what": rating.subject,
        "reasons": option_labels(rating.options),
        "callback_late": task.callback_late(today),
        "fix_late": task.fix_late(today),
    }


@staff_only(Permission.RATING_HANDLE)
def ratings_list(request: StaffRequest) -> HttpResponse:
    """本部门差评整改: open tasks first by their 整改 date, then the finished ones."""
    department = request.user.department_id or 0
    show_all = request.GET.get("all") == "1"
    tasks = selectors.tasks_of_department(department, open_only=not show_all)[:200]
    context = page_context(
        request,
        "ratings",
        rows=[_task_row(t) for t in tasks],
        show_all=show_all,
        figures=selectors.figures(Rating.objects.filter(department_id=department)),
    )
    return render(request, "channels/workbench/ratings.html", context)


@staff_only(Permission.RATING_HANDLE)
@require_http_methods(["GET", "POST"])
def rating_task(request: StaffRequest, task_id: int) -> HttpResponse:
    """One 差评: what the rater said, then 回访, 整改 and, for the head, 申诉."""
    task = selectors.task_of(request.user, task_id)
    if task is None or task.department_id != request.user.department_id:
        return not_found(request, NotFound("未找到该差评整改任务"))
    user = request.user
    general: list[str] = []
    status = 200
    callback, rectify, appeal = CallbackForm(prefix="cb"), RectifyForm(prefix="rx"), AppealForm(prefix="ap")
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "callback":
            callback = CallbackForm(request.POST, prefix="cb")
            done, status = run_form(
                callback,
                lambda d: rectification.task_callback(actor=user, task_id=task_id, note=d["note"]),
                general,
            )
            note = "已登记核实及回访情况，请在整改期限内完成整改并反馈。"
        elif step == "rectify":
            rectify = RectifyForm(request.POST, prefix="rx")
            done, status = run_form(
                rectify,
                lambda d: rectification.task_rectify(
                    actor=user, task_id=task_id, outcome=d["outcome"], result=d["result"]
                ),
                general,
            )
            note = "整改结果已反馈，并已告知评价人（可追评一次）。"
        elif step == "appeal" and allows(user, Permission.RATING_APPEAL):
            appeal = AppealForm(request.POST, prefix="ap")
            done, status = run_form(
                appeal,
                lambda d: rectification.appeal_file(
                    actor=user, task_id=task_id, reason=d["reason"], statement=d["statement"]
                ),
                general,
            )
            note = "申诉已提交，由效能监察人员复核。"
        else:
            done, status = None, 400
            general.append("未知的操作")
        if done is not None:
            messages.success(request, note)
            return redirect(reverse("workbench:rating_task", args=[task_id]))
        task = selectors.task_of(user, task_id) or task
    context = page_context(
        request,
        "ratings",
        row=_task_row(task),
        appeals=list(task.rating.appeals.order_by("filed_at")),
        rerating=Rating.objects.filter(previous=task.rating).first(),
        callback=callback,
        rectify=rectify,
        appeal=appeal,
        may_appeal=allows(user, Permission.RATING_APPEAL),
        general=general,
    )
    return render(request, "channels/workbench/rating_task.html", context, status=status)


@staff_only(Permission.REQUEST_SUPERVISE)
@require_http_methods(["GET", "POST"])
def feedback_oversight(request: StaffRequest) -> HttpResponse:
    """好差评监察: red cards (overdue 回访/整改, overdue requests), appeals to decide, 督办 requests."""
    general: list[str] = []
    status = 200
    failed: dict[int, AppealDecisionForm] = {}
    if request.method == "POST":
        raw = request.POST.get("appeal", "")
        appeal_id = int(raw) if raw.isdigit() and len(raw) < 18 else 0
        form = AppealDecisionForm(request.POST, prefix=f"a{appeal_id}")
        done, status = run_form(
            form,
            lambda d: rectification.appeal_decide(
                actor=request.user, appeal_id=appeal_id, upheld=d["upheld"], note=d["note"]
            ),
            general,
        )
        if done is not None:
            messages.success(
                request, "申诉已复核：" + ("成立，该评价不再计入统计。" if done.upheld else "不成立。")
            )
            return redirect(reverse("workbench:feedback_oversight"))
        failed[appeal_id] = form
    appeals = [
        {
            "appeal": a,
            "form": failed.get(a.pk) or AppealDecisionForm(prefix=f"a{a.pk}"),
            "reasons": option_labels(a.rating.options),
        }
        for a in selectors.appeals_pending()[:100]
    ]
    context = page_context(
        request,
        "feedback_oversight",
        overdue_tasks=[_task_row(t) for t in selectors.overdue_tasks()[:200]],
        overdue_requests=list(selectors.requests_overdue()[:200]),
        supervised=list(selectors.requests_supervised()[:200]),
        appeals=appeals,
        figures=selectors.public_figures(),
        general=general,
    )
    return render(request, "channels/workbench/feedback_oversight.html", context, status=status)


# 评价器: the tablet at the window


LEVELS = [(int(value), label) for value, label in Level.choices]


@staff_only(Permission.RATING_TABLET)
@require_http_methods(["GET", "POST"])
def evaluator(request: StaffRequest) -> HttpResponse:
    """The window's tablet, facing the person at the desk: idle until the clerk invites a rating, then the
    five levels, that level's options and the on-site indicators; thanks, then idle again."""
    clerk = request.user
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        raw = request.POST.get("invitation", "")
        level = request.POST.get("level", "")
        marks = {
            key: int(v)
            for key, _ in indicators(True)
            if (v := request.POST.get(f"ind-{key}", "")).isdigit() and len(v) == 1
        }
        try:
            ratings.rating_visit(
                clerk=clerk,
                invitation_id=int(raw) if raw.isdigit() and len(raw) < 18 else 0,
                level=int(level) if level.isdigit() and len(level) == 1 else None,
                chosen=request.POST.getlist("options")[:20],
                marks=marks,
                text=request.POST.get("text", "")[:1000],
            )
        except DomainError as exc:
            errors = exc.fields or {"general": [exc.message]}
            status = exc.status
        else:
            return redirect(f"{reverse('workbench:evaluator')}?thanks=1")
    invitation = ratings.open_invitation(clerk)
    context = {
        "invitation": invitation,
        "thanks": request.GET.get("thanks") == "1" and invitation is None,
        "levels": LEVELS,
        "options": {value: options_of(value) for value, _ in LEVELS},
        "indicators": indicators(True),
        "errors": errors,
        "posted": request.POST if request.method == "POST" else None,
        "chosen": request.POST.getlist("options") if request.method == "POST" else [],
        "clerk": clerk,
    }
    return render(request, "channels/workbench/evaluator.html", context, status=status)


@staff_only(Permission.RATING_TABLET)
@require_POST
def evaluator_invite(request: StaffRequest) -> HttpResponse:
    """请您评价: from the clerk's screen, for the case just served (or the visit)."""
    number = request.POST.get("case", "")[:40]
    case = None
    if number:
        try:
            case = case_selectors.load_case(request.user, number)
        except NotFound as exc:
            return not_found(request, exc)
    ratings.rating_invite(clerk=request.user, case=case)
    messages.success(request, "已请办事人在窗口评价器上评价本次服务。")
    back = reverse("workbench:case", args=[number]) if case else reverse("workbench:desk")
    return redirect(back)
