"""综合窗口 (one-window desk): look the applicant up, start any item or bundle for them, take in the papers.

One window for every department: the clerk finds the applicant by ID number or USCC and picks an item
or a bundle from the whole catalog; `desk_start` then fills its form and takes in the papers, and the
application page takes over (accept, refuse, one 补正 notice).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts.lockout import login_blocks, login_unlock
from yiwang.accounts.models import RealNameMethod, User
from yiwang.accounts.policy import Permission
from yiwang.accounts.selectors import accounts_holding
from yiwang.accounts.services import real_name_verify
from yiwang.assistant import selectors as catalog_search
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.audit.services import personal_data_read
from yiwang.cases import selectors as case_selectors
from yiwang.cases.models import ApplicantKind
from yiwang.cases.submission.applicant import registered_account
from yiwang.channels.workbench import present
from yiwang.channels.workbench.forms import ApplicantLookupForm, DeskSearchForm
from yiwang.channels.workbench.guards import StaffRequest, staff_only
from yiwang.channels.workbench.views.common import page_context
from yiwang.core.errors import DomainError
from yiwang.core.masking import mask_id_number, mask_mobile

SESSION_KEY = "workbench_applicant"
ITEM_RESULTS = 12
BUNDLE_RESULTS = 20
RECENT = 8

clerk_only = staff_only(Permission.DESK)


# ---- the applicant at the window ------------------------------------------------------------------


def current_applicant(request: StaffRequest) -> dict[str, Any] | None:
    applicant = request.session.get(SESSION_KEY)
    return applicant if isinstance(applicant, dict) else None


def applicant_card(applicant: dict[str, Any]) -> dict[str, Any]:
    legal = applicant["kind"] == ApplicantKind.LEGAL
    return {
        "kind_label": "法人或其他组织" if legal else "自然人",
        "name": applicant["name"],
        "legal": legal,
        "id_label": "统一社会信用代码" if legal else "公民身份号码",
        "id_shown": applicant["number"] if legal else mask_id_number(applicant["number"]),
        "legal_representative": applicant.get("legal_representative", ""),
        "registered": applicant.get("registered", False),
    }


def submission_applicant(applicant: dict[str, Any]) -> dict[str, Any]:
    """The `applicant` object of application_submit for the person or organisation at the window."""
    if applicant["kind"] == ApplicantKind.LEGAL:
        return {
            "kind": ApplicantKind.LEGAL,
            "name": applicant["name"],
            "uscc": applicant["number"],
            "legal_representative": applicant.get("legal_representative", ""),
            "legal_representative_id_number": applicant.get("legal_representative_id_number", ""),
        }
    return {"kind": ApplicantKind.PERSON, "name": applicant["name"], "id_number": applicant["number"]}


def _lookup(request: StaffRequest, form: ApplicantLookupForm) -> bool:
    """Store the applicant the clerk looked up in the session; False with form errors if incomplete."""
    data = form.cleaned_data
    account = registered_account(data["kind"], data["number"])
    personal_data_read(
        actor=request.user,
        obj=account,
        view="workbench.applicant_lookup",
        label=data["number"] if data["kind"] == ApplicantKind.LEGAL else mask_id_number(data["number"]),
        detail={"kind": data["kind"], "registered": account is not None},
    )
    name = data.get("name") or (account.name if account else "")
    if not name:
        form.add_error("name", "该证件号码没有已实名认证的账号，请按证件填写姓名或单位名称")
        return False
    applicant = {
        "kind": data["kind"],
        "number": data["number"],
        "name": name,
        "registered": account is not None,
    }
    if data["kind"] == ApplicantKind.LEGAL:
        representative = data.get("legal_representative") or (account.legal_representative if account else "")
        if not representative:
            form.add_error("legal_representative", "法人办事须填写法定代表人")
            return False
        applicant["legal_representative"] = representative
        applicant["legal_representative_id_number"] = data.get("legal_representative_id_number") or (
            account.legal_representative_id_number if account else ""
        )
    request.session[SESSION_KEY] = applicant
    return True


def _application_rows(applications: Any) -> list[dict[str, Any]]:
    from yiwang.cases.models import ApplicationStatus

    labels = dict(ApplicationStatus.choices)
    return [
        {
            "number": a.number,
            "title": a.title,
            "applicant": a.applicant_name,
            "id_shown": present.masked_id(a),
            "status": labels.get(a.status, a.status),
            "status_code": a.status,
            "created_at": a.created_at,
            "channel": a.get_channel_display(),
        }
        for a in applications
    ]


def _search(q: str) -> tuple[list[Any], list[Any]]:
    items = list(catalog_search.item_search(q=q)[:ITEM_RESULTS])
    bundles = list(catalog_search.bundle_search(q=q)[:BUNDLE_RESULTS])
    return items, bundles


@clerk_only
@require_http_methods(["GET", "POST"])
def desk(request: StaffRequest) -> HttpResponse:
    """综合窗口: who is at the window, what they came for, and what this window took in lately."""
    user = request.user
    status = 200
    if request.method == "POST":
        lookup = ApplicantLookupForm(request.POST)
        if lookup.is_valid() and _lookup(request, lookup):
            applicant = current_applicant(request)
            assert applicant is not None
            messages.success(request, f"已确认办事人：{applicant['name']}。请查找要办理的事项或一件事。")
            return redirect("workbench:desk")
        status = 422
    else:
        lookup = ApplicantLookupForm()
    search = DeskSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    items, bundles = _search(q)
    applicant = current_applicant(request)
    context: dict[str, Any] = {
        "q": q,
        "items": items,
        "bundles": bundles,
        "applicant": applicant_card(applicant) if applicant else None,
        "accounts": _accounts_card(applicant) if applicant else [],
    }
    if request.headers.get("HX-Request") and request.GET.get("partial") == "results":
        return render(request, "channels/workbench/_desk_results.html", context)
    history: list[dict[str, Any]] = []
    if applicant:
        history = _application_rows(
            case_selectors.application_list(user).filter(applicant_id_number=applicant["number"])[:RECENT]
        )
    recent = _application_rows(
        case_selectors.application_list(user).filter(service_point_id=user.service_point_id)[:RECENT]
        if user.service_point_id
        else []
    )
    context.update(
        {
            "lookup": lookup,
            "search": search,
            "history": history,
            "recent": recent,
            "point": user.service_point,
        }
    )
    return render(
        request, "channels/workbench/desk.html", page_context(request, "desk", **context), status=status
    )


def _accounts_card(applicant: dict[str, Any]) -> list[dict[str, Any]]:
    """The platform accounts holding the number of the person at the window, for 实名认证 in person."""
    if applicant["kind"] != ApplicantKind.PERSON:
        return []
    accounts = accounts_holding(applicant["number"])
    blocks = login_blocks(accounts)
    return [
        {
            "id": account.pk,
            "name": account.name,
            "mobile": mask_mobile(account.mobile) if account.mobile else "未登记",
            "joined": account.date_joined,
            "verified": account.is_real_name_verified,
            "method": account.get_real_name_method_display(),
            "locked_until": timezone.localtime(blocks[account.pk]) if account.pk in blocks else None,
        }
        for account in accounts
    ]


def _holder_at_window(request: StaffRequest, account_id: int) -> User | None:
    """The account `account_id` if it holds the ID number of the person at the window, else None."""
    applicant = current_applicant(request)
    if applicant is None or applicant["kind"] != ApplicantKind.PERSON:
        return None
    return next((a for a in accounts_holding(applicant["number"]) if a.pk == account_id), None)


@clerk_only
@require_POST
def desk_verify(request: StaffRequest, account_id: int) -> HttpResponse:
    """窗口实名认证: the clerk has checked the ID card of the person at the window, who names their account."""
    account = _holder_at_window(request, account_id)
    if account is None:
        messages.error(request, "该账号不属于当前办事人的身份证号码，不能认证")
        return redirect("workbench:desk")
    try:
        detached = real_name_verify(user=account, method=RealNameMethod.WINDOW)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("workbench:desk")
    audit.record(
        action=AuditAction.REAL_NAME_VERIFY,
        obj=account,
        detail={"method": RealNameMethod.WINDOW, "detached_accounts": [a.pk for a in detached]},
    )
    note = f"；另有 {len(detached)} 个未认证账号已解除该号码" if detached else ""
    messages.success(request, f"已为账号“{account.name}”完成窗口实名认证{note}。")
    return redirect("workbench:desk")


@clerk_only
@require_POST
def desk_unlock(request: StaffRequest, account_id: int) -> HttpResponse:
    """解除登录锁定: the second factor for an account locked by failures from many addresses, until a
    one-time code to the verified mobile exists — the clerk has checked the ID card in person."""
    account = _holder_at_window(request, account_id)
    if account is None:
        messages.error(request, "该账号不属于当前办事人的身份证号码，不能解除登录锁定")
        return redirect("workbench:desk")
    login_unlock(user=account)
    messages.success(request, f"已解除账号“{account.name}”的登录锁定，办事人现在可以用密码登录。")
    return redirect("workbench:desk")


@clerk_only
@require_POST
def desk_clear(request: StaffRequest) -> HttpResponse:
    """换一位办事人: the next person steps up to the window."""
    request.session.pop(SESSION_KEY, None)
    return redirect("workbench:desk")
