"""承诺核查: the pledges (告知承诺) a department must verify after acceptance, by their due dates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yiwang.accounts.policy import Permission
from yiwang.cases.models import PledgeCheckStatus
from yiwang.cases.pledges import may_conclude, pledge_check_conclude, pledge_checks_for
from yiwang.channels.refusals import field_errors_onto
from yiwang.channels.workbench import present
from yiwang.channels.workbench.forms import PledgeCheckForm
from yiwang.channels.workbench.guards import StaffRequest, forbidden, staff_only
from yiwang.channels.workbench.views.common import page_context, page_number
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.pagination import paginate

STATUS_TABS = [(PledgeCheckStatus.PENDING, "待核查"), ("", "全部")]
TONES = {PledgeCheckStatus.PENDING: "warn", PledgeCheckStatus.TRUTHFUL: "ok", PledgeCheckStatus.FALSE: "bad"}


@staff_only(Permission.PLEDGE_CHECKS)
@require_http_methods(["GET", "POST"])
def pledge_checks(request: StaffRequest) -> HttpResponse:
    """List the checks (pending first by due date) and conclude one: 属实, or 不实 with its consequences."""
    user = request.user
    status_filter = request.GET.get("status", PledgeCheckStatus.PENDING)
    if status_filter not in dict(STATUS_TABS):
        status_filter = PledgeCheckStatus.PENDING
    failed: dict[int, PledgeCheckForm] = {}
    general: list[str] = []
    http_status = 200
    if request.method == "POST":
        raw = request.POST.get("check", "")
        check_id = int(raw) if raw.isdigit() else 0
        check = pledge_checks_for(user).filter(pk=check_id).first()
        if check is None or not may_conclude(user, check):
            return forbidden(request, "您不能对该核查任务作出结论：只有核查部门的审批人员可以作出核查结论。")
        form = PledgeCheckForm(request.POST, prefix=f"c{check_id}")
        if form.is_valid():
            try:
                pledge_check_conclude(
                    actor=user,
                    check_id=check_id,
                    truthful=form.cleaned_data["truthful"],
                    method=form.cleaned_data["method"],
                    note=form.cleaned_data["note"],
                )
            except ValidationFailed as exc:
                field_errors_onto(form, exc)
            except DomainError as exc:
                general.append(exc.message)
            else:
                outcome = (
                    "承诺属实"
                    if form.cleaned_data["truthful"]
                    else "承诺不实，已终止办理或撤销决定并记入信用记录"
                )
                messages.success(request, f"办件 {check.case.number} 的核查结论已记录：{outcome}。")
                return redirect(f"{reverse('workbench:pledge_checks')}?status={status_filter}")
        failed[check_id] = form
        http_status = 422 if not general else 409
    checks = pledge_checks_for(user, status=status_filter).select_related("case__item_version", "checked_by")
    page = paginate(request, checks, page_number(request.GET.get("page")))
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    for check in page.rows:
        application = check.case.application
        rows.append(
            {
                "check": check,
                "applicant": application.applicant_name,
                "id_shown": present.masked_id(application),
                "tone": TONES.get(check.status, "muted"),
                "overdue": check.status == PledgeCheckStatus.PENDING and check.due_on < today,
                "days": (check.due_on - today).days,
                "overdue_days": (today - check.due_on).days,
                "can_conclude": check.status == PledgeCheckStatus.PENDING and may_conclude(user, check),
                "form": failed.get(check.pk) or PledgeCheckForm(prefix=f"c{check.pk}"),
            }
        )
    context = page_context(
        request,
        "pledges",
        rows=rows,
        page=page,
        tabs=[{"value": v, "label": label, "current": v == status_filter} for v, label in STATUS_TABS],
        status=status_filter,
        general=general,
        query=request.GET,
    )
    return render(request, "channels/workbench/pledge_checks.html", context, status=http_status)
