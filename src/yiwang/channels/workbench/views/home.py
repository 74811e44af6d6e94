"""工作台首页: each post lands where it works."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from yiwang.accounts.roles import StaffRole
from yiwang.channels.workbench.guards import StaffRequest, staff_only
from yiwang.channels.workbench.views.common import page_context


@staff_only()
@require_safe
def home(request: StaffRequest) -> HttpResponse:
    """综合窗口 → the desk; 审批人员/部门负责人 → the department queue; 效能监察 → the overview."""
    user = request.user
    if user.has_role(StaffRole.WINDOW_CLERK):
        return redirect("workbench:desk")
    if user.has_role(StaffRole.OFFICER) or user.has_role(StaffRole.DEPARTMENT_HEAD):
        return redirect("workbench:queue")
    if user.has_role(StaffRole.SUPERVISOR):
        return redirect("workbench:overview")
    return render(request, "channels/workbench/home_none.html", page_context(request, "home"))
