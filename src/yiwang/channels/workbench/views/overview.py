"""监察总览 (supervisor): every department's open cases and red / yellow lights, and every case, read-only."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from yiwang.accounts.policy import Permission
from yiwang.catalog import selectors as catalog_selectors
from yiwang.channels.workbench import engine
from yiwang.channels.workbench.forms import QueueFilterForm
from yiwang.channels.workbench.guards import StaffRequest, staff_only
from yiwang.channels.workbench.views.cases import filtered_cases, queue_filters, queue_row
from yiwang.channels.workbench.views.common import page_context, page_number
from yiwang.core.pagination import paginate


@staff_only(Permission.OVERVIEW)
@require_safe
def overview(request: StaffRequest) -> HttpResponse:
    user = request.user
    filters = queue_filters(request)
    today = timezone.localdate()
    counts = sorted(
        engine.department_counts(user), key=lambda r: (-r["red"], -r["yellow"], r["department"].order)
    )
    page = paginate(request, filtered_cases(user, filters), page_number(request.GET.get("page")))
    departments = list(catalog_selectors.departments_with_items())
    context = page_context(
        request,
        "overview",
        counts=counts,
        totals={key: sum(r[key] for r in counts) for key in ("open", "red", "yellow")},
        filters=filters,
        form=QueueFilterForm(initial=filters),
        departments=departments,
        department_name=next((d.name for d in departments if d.code == filters["department"]), ""),
        page=page,
        rows=[queue_row(c, today) for c in page.rows],
        today=today,
        query=request.GET,
        readonly=True,
    )
    template = (
        "channels/workbench/_queue_table.html"
        if request.headers.get("HX-Request")
        else "channels/workbench/overview.html"
    )
    return render(request, template, context)
