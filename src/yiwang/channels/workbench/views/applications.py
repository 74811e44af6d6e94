"""申办页 (application page): which case went to which department, the papers, and intake at the window.

A single item is accepted or refused through its case (`case_act`); a bundle as a whole
(`application_act`, 一窗受理). Either way a 补正 request is one notice for the whole application.
Each notice prints on the spot: its button opens the PDF in a new tab.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from yiwang.accounts.policy import Permission, allows
from yiwang.audit.services import personal_data_read
from yiwang.cases import presenters, selectors
from yiwang.cases.actions import dispatch
from yiwang.cases.models import Application, Case
from yiwang.cases.notices_catalog import NOTICE_TITLES, notice_kinds
from yiwang.cases.states import BEFORE_ACCEPTANCE, Action
from yiwang.cases.submission.materials import needed_materials
from yiwang.channels.workbench import engine, present
from yiwang.channels.workbench.forms import supplement_items
from yiwang.channels.workbench.guards import StaffRequest, forbidden, not_found, staff_only
from yiwang.channels.workbench.views.common import channel_of, page_context, work_area
from yiwang.core.errors import Conflict, DomainError, NotFound, ValidationFailed

NOTICE_FOR_ACTION = {
    Action.ACCEPT: "acceptance",
    Action.REFUSE: "refusal",
    Action.REQUEST_SUPPLEMENT: "supplement",
}
DONE = {
    Action.ACCEPT: "已受理，办理时限开始计算",
    Action.REFUSE: "已决定不予受理",
    Action.REQUEST_SUPPLEMENT: "已一次性告知需要补正的全部材料",
}


def stamp(cases: list[Case]) -> str:
    """The revisions the page was drawn from: acting on an application changed since is refused as stale."""
    return ",".join(f"{c.number}:{c.revision}" for c in cases)


def stale_message(number: str) -> str:
    return f"{number} 刚被他人处理，页面已刷新为最新状态，请核对后重新操作"


def load_cases(application: Application) -> list[Case]:
    return list(
        application.cases.select_related("application", "item_version__item", "department", "bundle_member")
        .prefetch_related("item_version__materials")
        .order_by("number")
    )


def notice_links(application: Application, cases: list[Case]) -> list[dict[str, str]]:
    return [
        {
            "kind": kind,
            "title": NOTICE_TITLES[kind],
            "url": reverse("workbench:notice", kwargs={"number": application.number, "kind": kind}),
        }
        for kind in notice_kinds(application, cases)
    ]


def _supplement_choices(cases: list[Case]) -> list[dict[str, Any]]:
    """Every paper the cases still before acceptance ask for, once each, to tick as missing or wrong."""
    versions = [c.item_version for c in cases if c.status in BEFORE_ACCEPTANCE]
    if not versions:
        return []
    return [
        {
            "id": group[0].id,
            "name": group[0].name,
            "needed_by": list(dict.fromkeys(m.version.name for m in group)),
        }
        for group in needed_materials(versions).values()
    ]


def _case_rows(user: Any, detail: dict[str, Any], cases: list[Case]) -> list[dict[str, Any]]:
    visible = engine.visible_case_ids(user, cases)
    today = timezone.localdate()
    rows = []
    for summary, case in zip(detail["cases"], cases, strict=True):
        figures = summary["deadlines"]
        step_late = bool(figures["warning"] and case.step_due and case.step_due < today)
        rows.append(
            {
                "summary": summary,
                "case": case,
                "badge": present.status_badge(case.status),
                "light": present.light(
                    figures["warning"], figures["working_days_left"], step_late=step_late, status=case.status
                ),
                "visible": case.pk in visible,
            }
        )
    return rows


def _titles(cases: list[Case]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for case in cases:
        for name, title in present.schema_titles(case.item_version.form_schema or {}).items():
            titles.setdefault(name, title)
    return titles


def render_application(
    request: StaffRequest,
    application: Application,
    *,
    status: int = 200,
    errors: dict[str, list[str]] | None = None,
    posted: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    errors = errors or {}
    posted = posted or {}
    cases = load_cases(application)
    detail = presenters.application_detail(application, user)
    buttons = engine.application_buttons(user, application, cases)
    ticked: dict[int, str] = posted.get("ticked", {})
    choices = [
        {
            **choice,
            "ticked": choice["id"] in ticked,
            "reason": ticked.get(choice["id"], ""),
            "errors": errors.get(f"material-{choice['id']}", []),
        }
        for choice in (_supplement_choices(cases) if Action.REQUEST_SUPPLEMENT in buttons else [])
    ]
    requests = engine.supplement_requests(cases)
    reads_documents = allows(request.user, Permission.DOCUMENT_READ)  # supervision reads no scans
    materials = [
        present.material_row(
            m,
            reverse(
                "workbench:application_document",
                kwargs={"number": application.number, "document_id": m.document_id},
            )
            if m.document_id and reads_documents
            else None,
            channel=application.channel,
        )
        for m in engine.application_materials(application)
    ]
    context = page_context(
        request,
        work_area(user),
        application=application,
        detail=detail,
        rows=_case_rows(user, detail, cases),
        departments=list(dict.fromkeys(c.department.name for c in cases)),
        buttons=buttons,
        materials=materials,
        # From the presenter: masked for posts that do not handle the case (accounts.policy).
        form_rows=present.form_rows(detail["form"] or {}, _titles(cases)),
        id_shown=present.masked_id(application),
        id_label=present.id_label(application),
        notices=notice_links(application, cases),
        printed=request.GET.get("printed", ""),
        supplement_choices=choices,
        supplement_requests=[{"case": c, "request": requests[c.pk]} for c in cases if c.pk in requests],
        events=present.event_rows(detail["events"]),
        stamp=stamp(cases),
        errors=errors,
        posted=posted,
        bundle=application.bundle_id is not None,
    )
    personal_data_read(actor=user, obj=application, view="workbench.application")
    return render(request, "channels/workbench/application.html", context, status=status)


@staff_only()
@require_safe
def application(request: StaffRequest, number: str) -> HttpResponse:
    try:
        found = selectors.load_application(request.user, number)
    except NotFound as exc:
        return not_found(request, exc)
    return render_application(request, found)


@staff_only()
@require_POST
def application_act(request: StaffRequest, number: str) -> HttpResponse:
    """受理 / 不予受理 / 一次性告知补正 for the whole application, from the application page."""
    user = request.user
    try:
        found = selectors.load_application(user, number)
    except NotFound as exc:
        return not_found(request, exc)
    action = request.POST.get("action", "")
    cases = load_cases(found)
    if request.POST.get("stamp") != stamp(cases):
        return render_application(
            request, found, status=409, errors={"general": [stale_message(f"申办 {number}")]}
        )
    if action not in engine.application_buttons(user, found, cases):
        return render_application(
            request, found, status=409, errors={"general": [f"当前不能对申办 {number} 执行该操作"]}
        )
    reason = request.POST.get("reason", "").strip()[:1000]
    body: dict[str, Any] = {"reason": reason}
    posted: dict[str, Any] = {"action": action, "reason": reason}
    if action == Action.REQUEST_SUPPLEMENT:
        items, note = supplement_items(request.POST, [c["id"] for c in _supplement_choices(cases)])
        body = {"items": items, "reason": note}
        posted.update({"ticked": {i["material"]: i["reason"] for i in items}, "note": note})
    channel = channel_of(user)
    try:
        if found.bundle_id is None and action in (Action.ACCEPT, Action.REFUSE):
            dispatch.case_act(actor=user, number=cases[0].number, action=action, body=body, channel=channel)
        else:
            dispatch.application_act(
                actor=user, number=found.number, action=action, body=body, channel=channel
            )
    except ValidationFailed as exc:
        return render_application(
            request, found, status=422, errors=action_errors(exc, body.get("items") or []), posted=posted
        )
    except Conflict as exc:
        return render_application(request, found, status=409, errors={"general": [exc.message]})
    except NotFound as exc:
        return not_found(request, exc)
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        return render_application(
            request, found, status=exc.status, errors={"general": [exc.message]}, posted=posted
        )
    kind = NOTICE_FOR_ACTION[Action(action)]
    messages.success(
        request, f"申办 {found.number}：{DONE[Action(action)]}。请打印{NOTICE_TITLES[kind]}交办事人。"
    )
    return redirect(f"{reverse('workbench:application', kwargs={'number': found.number})}?printed={kind}")


def action_errors(exc: ValidationFailed, items: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Engine messages by what they concern: `reason`, each listed material (`material-<id>`), or the page."""
    out: dict[str, list[str]] = {"general": []}
    for key, texts in exc.fields.items():
        match = re.match(r"items\[(\d+)\]", key)
        if match and int(match[1]) < len(items):
            out.setdefault(f"material-{items[int(match[1])]['material']}", []).extend(texts)
        elif key == "items":
            out.setdefault("checklist", []).extend(texts)
        elif key in ("reason", "kind", "result", "result.data"):
            out.setdefault(key.replace(".", "_"), []).extend(texts)
        elif key.startswith("result.data."):  # one hand-over field: shown at its input (data_<name>)
            out.setdefault("data_" + key.removeprefix("result.data."), []).extend(texts)
        else:
            out["general"].extend(texts)
    if not any(out.values()):
        out["general"].append(exc.message)
    return out
