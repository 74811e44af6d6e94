"""我的办件: the applicant's applications, one application's page, its notices as PDF, and withdrawal.

Every read goes through the case engine's access policy (`load_application`, `application_list`):
an application that is not the caller's answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from yiwang.accounts.models import User
from yiwang.cases import selectors
from yiwang.cases.access import case_actions_for
from yiwang.cases.actions.dispatch import application_act
from yiwang.cases.models import Application, ApplicationStatus, Case, Channel
from yiwang.cases.notices import notice_pdf
from yiwang.cases.notices_catalog import NOTICE_TITLES, notice_kinds
from yiwang.cases.states import Action, CaseStatus, is_allowed
from yiwang.channels.guards import current_user
from yiwang.channels.portal.drafts import DraftStore
from yiwang.channels.portal.guards import applicant_required, channel_of, not_found
from yiwang.channels.portal.timeline import timeline
from yiwang.channels.rating_form import RatingMark, rating_marks
from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.core.pagination import paginate

APPLICATION_STATUS: dict[str, str] = {str(k): str(v) for k, v in ApplicationStatus.choices}
CASE_STATUS: dict[str, str] = {str(k): str(v) for k, v in CaseStatus.choices}
CHANNELS: dict[str, str] = {str(k): str(v) for k, v in Channel.choices}
# The colour of each status badge (portal.css badge classes).
APPLICATION_TONE: dict[str, str] = {
    ApplicationStatus.SUBMITTED: "badge-blue",
    ApplicationStatus.SUPPLEMENT_REQUESTED: "badge-amber",
    ApplicationStatus.IN_PROGRESS: "badge-blue",
    ApplicationStatus.COMPLETED: "badge-green",
    ApplicationStatus.REFUSED: "badge-red",
    ApplicationStatus.WITHDRAWN: "badge-plain",
    ApplicationStatus.REVOKED: "badge-red",
}
CASE_TONE: dict[str, str] = {
    CaseStatus.SUPPLEMENT_REQUESTED: "badge-amber",
    CaseStatus.SUSPENDED: "badge-amber",
    CaseStatus.APPROVED: "badge-green",
    CaseStatus.COMPLETED: "badge-green",
    CaseStatus.DENIED: "badge-red",
    CaseStatus.REFUSED: "badge-red",
    CaseStatus.REVOKED: "badge-red",
    CaseStatus.WITHDRAWN: "badge-plain",
}
MAX_PAGE = 10_000


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


@applicant_required
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    """我的办件: every application of the signed-in applicant, newest first, and unfinished drafts."""
    applications = selectors.application_list(current_user(request)).annotate(
        case_count=Count("cases", distinct=True), last_activity=Max("cases__events__at")
    )
    page = paginate(request, applications, _page_number(request))
    rows = [
        {
            "application": a,
            "status": APPLICATION_STATUS.get(a.status, a.status),
            "tone": APPLICATION_TONE.get(a.status, "badge-plain"),
            "channel": CHANNELS.get(a.channel, a.channel),
            "needs_action": a.status == ApplicationStatus.SUPPLEMENT_REQUESTED,
        }
        for a in page.rows
    ]
    context = {
        "nav": "mine",
        "tab": "applications",
        "page": page,
        "rows": rows,
        "drafts": DraftStore(request.session).list(),
        "query": request.GET,
    }
    return render(request, "channels/portal/my_applications.html", context)


@dataclass
class CaseView:
    case: Case
    status: str
    tone: str
    figures: dict[str, Any]
    request: Any  # the open SupplementRequest, if any
    rating: RatingMark | None = None  # 好差评 of an ended case: its rating, or a way to rate it

    @property
    def days_left_text(self) -> str:
        left = self.figures.get("working_days_left")
        if left is None:
            return ""
        if left < 0:
            return f"已超过承诺时限 {-left} 个工作日"
        if left == 0:
            return "今天到期"
        return f"剩余 {left} 个工作日"


def _cases(application: Application) -> list[Case]:
    return list(
        application.cases.select_related("item_version__item", "department", "supplement_request").order_by(
            "number"
        )
    )


def _open_request(case: Case) -> Any:
    request = getattr(case, "supplement_request", None)
    if case.status == CaseStatus.SUPPLEMENT_REQUESTED and request is not None and request.answered_at is None:
        return request
    return None


def can_withdraw(user: User, cases: list[Case]) -> bool:
    return any(
        Action.WITHDRAW in case_actions_for(user, case) and is_allowed(Action.WITHDRAW, case.status)
        for case in cases
    )


def _load(request: HttpRequest, number: str) -> Application | None:
    try:
        return selectors.load_application(current_user(request), number)
    except NotFound:
        return None


@applicant_required
@require_safe
def application(request: HttpRequest, number: str) -> HttpResponse:
    """申办详情: status, each case's department and deadline, the notices, what happened, what to do."""
    found = _load(request, number)
    if found is None:
        return not_found(request, "未找到该申办，或它不属于当前登录的账号。")
    cases = _cases(found)
    marks = rating_marks(cases, url=lambda number: reverse("portal:rate", args=[number]))
    views = [
        CaseView(
            case=case,
            status=CASE_STATUS.get(case.status, case.status),
            tone=CASE_TONE.get(case.status, "badge-blue"),
            figures=selectors.case_figures(case),
            request=_open_request(case),
            rating=marks.get(case.pk),
        )
        for case in cases
    ]
    supplements = [v for v in views if v.request is not None]
    materials = found.materials.select_related("material", "document")
    context = {
        "nav": "mine",
        "tab": "applications",
        "application": found,
        "status": APPLICATION_STATUS.get(found.status, found.status),
        "tone": APPLICATION_TONE.get(found.status, "badge-plain"),
        "channel": CHANNELS.get(found.channel, found.channel),
        "cases": views,
        "many": len(views) > 1,
        "supplements": supplements,
        "notices": [{"kind": kind, "title": NOTICE_TITLES[kind]} for kind in notice_kinds(found, cases)],
        "steps": timeline(cases),
        "materials": list(materials),
        "can_withdraw": can_withdraw(current_user(request), cases),
        "form_rows": _form_rows(found, cases),
    }
    return render(request, "channels/portal/application.html", context)


def _form_rows(application: Application, cases: list[Case]) -> list[tuple[str, str]]:
    """The submitted answers with the field titles of the form they were given on."""
    titles: dict[str, str] = {}
    for case in cases:
        for name, prop in (case.item_version.form_schema or {}).get("properties", {}).items():
            if isinstance(prop, dict):
                titles.setdefault(name, str(prop.get("title") or name))
    rows = []
    for name, value in (application.form or {}).items():
        if isinstance(value, list):
            text = "、".join(str(v) for v in value)
        elif isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, dict):
            text = "；".join(f"{k}：{v}" for k, v in value.items())
        else:
            text = str(value)
        rows.append((titles.get(name, name), text))
    return rows


@applicant_required
@require_safe
def notice(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """文书 PDF: the notice of this kind, for whoever may see the application (404 otherwise)."""
    found = _load(request, number)
    if found is None:
        return not_found(request, "未找到该申办，或它不属于当前登录的账号。")
    try:
        filename, content = notice_pdf(found, kind)
    except NotFound as exc:
        return not_found(request, exc.message)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@applicant_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """撤回申请: confirm (with an optional reason), then withdraw every case that can still be withdrawn."""
    found = _load(request, number)
    if found is None:
        return not_found(request, "未找到该申办，或它不属于当前登录的账号。")
    cases = _cases(found)
    user = current_user(request)
    error = ""
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:2000]
        try:
            application_act(
                actor=user,
                number=found.number,
                action=Action.WITHDRAW,
                body={"reason": reason},
                channel=channel_of(request),
            )
        except ValidationFailed as exc:
            error = "；".join(m for messages_ in exc.fields.values() for m in messages_) or exc.message
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("portal:application", number=found.number)
        else:
            messages.success(request, "申请已撤回。各办理部门已收到撤回通知，不再继续办理。")
            return redirect("portal:application", number=found.number)
    withdrawable = [c for c in cases if is_allowed(Action.WITHDRAW, c.status)]
    context = {
        "nav": "mine",
        "application": found,
        "cases": withdrawable,
        "done": [c for c in cases if not is_allowed(Action.WITHDRAW, c.status)],
        "can_withdraw": can_withdraw(user, cases),
        "reason": reason,
        "error": error,
    }
    return render(request, "channels/portal/withdraw.html", context, status=422 if error else 200)
