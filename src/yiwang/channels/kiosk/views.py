"""自助终端 pages: home tiles, item guides, sign-in with the keypad, my applications, printing notices.

Views parse the request, call the selectors and services of the apps that own the rules (catalog,
cases, kiosk PINs) and render full-screen touch templates that share nothing with the portal's.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yiwang.accounts.models import RealNameMethod
from yiwang.accounts.services import real_name_verify
from yiwang.assistant import selectors as catalog_search
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.cases import selectors as case_selectors
from yiwang.cases.models import Application, ApplicationStatus, Case
from yiwang.cases.notices import notice_pdf
from yiwang.cases.notices_catalog import NOTICE_TITLES, notice_kinds
from yiwang.cases.states import CaseStatus
from yiwang.catalog import codes
from yiwang.catalog import selectors as catalog_selectors
from yiwang.catalog.presenters import material_out
from yiwang.channels.assistant_chat import SESSION_KEY as ASSISTANT_SESSION_KEY
from yiwang.channels.assistant_chat import chat
from yiwang.channels.guards import public
from yiwang.channels.kiosk import selectors as kiosk_selectors
from yiwang.channels.kiosk.card_readers import get_reader
from yiwang.channels.kiosk.forms import KioskLoginForm
from yiwang.channels.kiosk.session import (
    GRACE_SECONDS,
    idle_seconds,
    kiosk_login_required,
    kiosk_session_end,
    kiosk_session_start,
    kiosk_user,
)
from yiwang.channels.rating_form import rating_marks
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.masking import mask_id_number
from yiwang.core.pagination import paginate
from yiwang.kiosk.services import KioskLocked, KioskLoginFailed, kiosk_login

SEARCH_MAX_LENGTH = 100  # as the API's q
SEARCH_RESULTS = 12
POPULAR_CACHE_KEY = "kiosk:popular-item-ids"
POPULAR_CACHE_SECONDS = 300
WARN_SECONDS = 20  # the countdown shows for the last 20 seconds before the idle sign-out
PAGE_SIZE = 4  # applications per screen: each is a large card
MAX_PAGE = 500
CARD_SESSION_KEY = "kiosk_card_id_number"

STATUS_TONE: dict[str, str] = {
    ApplicationStatus.SUBMITTED: "wait",
    ApplicationStatus.SUPPLEMENT_REQUESTED: "warn",
    ApplicationStatus.IN_PROGRESS: "info",
    ApplicationStatus.COMPLETED: "ok",
    ApplicationStatus.REFUSED: "stop",
    ApplicationStatus.WITHDRAWN: "stop",
    ApplicationStatus.REVOKED: "stop",
}
BYE_MESSAGES = {
    "idle": "长时间未操作，已为您安全退出。",
    "logout": "已安全退出，欢迎再次使用。",
}


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render a kiosk page with what its base template needs: who is signed in, the idle time."""
    base = {
        "kiosk_user": kiosk_user(request),
        "idle_seconds": idle_seconds(),
        # A short test timeout still leaves time to act before the countdown covers the screen.
        "warn_seconds": min(WARN_SECONDS, max(1, idle_seconds() // 2)),
        "region_name": settings.YIWANG_REGION_NAME,
    }
    return render(request, f"channels/kiosk/{template}", {**base, **context}, status=status)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return _render(request, "not_found.html", {"message": message}, status=404)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


@public
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """自助终端首页: the most-used items as big tiles, 办件查询 and 打印文书."""
    if CARD_SESSION_KEY in request.session and kiosk_user(request) is None:
        del request.session[CARD_SESSION_KEY]  # a card read by someone who walked away is forgotten
    # The next person at the kiosk does not see what the last one asked the assistant.
    request.session.pop(ASSISTANT_SESSION_KEY, None)
    # The ranking scans a month of cases: every kiosk's home shares it for a few minutes.
    ranked = cache.get_or_set(
        POPULAR_CACHE_KEY, kiosk_selectors.item_ids_by_recent_use, POPULAR_CACHE_SECONDS
    )
    # 找事项: a question in the person's own words, answered by the catalog search every channel uses.
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    context = {
        "items": kiosk_selectors.popular_items(ranked=ranked),
        "bye": BYE_MESSAGES.get(request.GET.get("bye", ""), ""),
        "q": q,
        "found": list(catalog_search.item_search(q=q)[:SEARCH_RESULTS]) if q else None,
    }
    return _render(request, "home.html", context)


@public
@require_http_methods(["GET", "POST"])
def assistant(request: HttpRequest) -> HttpResponse:
    """智能客服 at the kiosk: the portal's conversation, in the kiosk's large type."""
    return chat(request, template="channels/kiosk/assistant.html", channel="kiosk", here=request.path)


@public
@require_safe
def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    """办事指南 at the kiosk: what to bring, how long it takes, where to go."""
    try:
        version = catalog_selectors.item_guide(code)
    except NotFound as exc:
        return _not_found(request, exc.message)
    department = version.item.department
    portal_url = f"{settings.SITE_URL.rstrip('/')}{reverse('channels:item_guide', args=[code])}"
    context = {
        "version": version,
        "department": department,
        "materials": [material_out(m, code) for m in version.materials.all()],
        "fees": list(version.fees.all()),
        "points": list(kiosk_selectors.service_points_of(version)),
        "qr": _qr_svg(portal_url),
        "online": version.online_depth >= codes.OnlineDepth.III,
    }
    return _render(request, "guide.html", context)


def _safe_next(request: HttpRequest, raw: str) -> str:
    default = reverse("kiosk:applications")
    if raw.startswith("/kiosk/") and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return default


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """登录: ID number on the keypad (or from the card reader) and the 6-digit kiosk PIN."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    reader = get_reader(terminal=request.META.get("REMOTE_ADDR", ""))
    if request.method == "GET" and not reader.manual_entry:
        card = reader.read()
        if card is not None:
            request.session[CARD_SESSION_KEY] = card.id_number
            request.session.set_expiry(idle_seconds() + GRACE_SECONDS)
    card_number = request.session.get(CARD_SESSION_KEY, "")

    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and card_number:
        data["id_number"] = card_number
    form = KioskLoginForm(data, initial={"id_number": card_number})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = kiosk_login(id_number=form.cleaned_data["id_number"], pin=form.cleaned_data["pin"])
            except (KioskLoginFailed, KioskLocked) as exc:
                form.add_error(None, ValidationError(exc.message, code=exc.code))
                status = exc.status
            else:
                if card_number and not reader.manual_entry and not user.is_real_name_verified:
                    # The card itself was read and its holder knows the account's PIN: 实名认证.
                    _verify_by_card(user)
                kiosk_session_start(request, user)
                return redirect(next_url)
        else:
            status = 422
    context = {
        "form": form,
        "next": next_url,
        "reader": reader,
        "card_number": mask_id_number(card_number) if card_number else "",
        "locked": any(e.code == "kiosk_locked" for e in form.non_field_errors().as_data()),
    }
    return _render(request, "login.html", context, status=status)


def _verify_by_card(user: Any) -> None:
    try:
        detached = real_name_verify(user=user, method=RealNameMethod.KIOSK_CARD)
    except DomainError:
        return  # the number is verified on another account: settled at a window, not here
    user.real_name_method = RealNameMethod.KIOSK_CARD
    audit.record(
        action=AuditAction.REAL_NAME_VERIFY,
        obj=user,
        actor=user,
        detail={"method": RealNameMethod.KIOSK_CARD, "detached_accounts": [a.pk for a in detached]},
    )


@public
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """退出 — by the citizen's tap, or by kiosk.js when nobody touched the screen for the idle time."""
    kiosk_session_end(request)
    reason = "idle" if request.POST.get("reason") == "idle" else "logout"
    return redirect(f"{reverse('kiosk:home')}?bye={reason}")


@public
@never_cache
@require_POST
def ping(request: HttpRequest) -> HttpResponse:
    """继续使用: the citizen is still here (touching the screen); keep the session alive."""
    if kiosk_user(request) is None:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


def _application_rows(application_list: list[Application]) -> list[dict[str, Any]]:
    statuses = dict(ApplicationStatus.choices)
    case_statuses = dict(CaseStatus.choices)
    rows = []
    every_case = [case for application in application_list for case in application.cases.all()]
    marks = rating_marks(every_case, url=lambda number: reverse("kiosk:rate", args=[number]))
    for application in application_list:
        cases = list(application.cases.all())
        rows.append(
            {
                "application": application,
                "status": statuses.get(application.status, application.status),
                "tone": STATUS_TONE.get(application.status, "info"),
                "cases": [
                    {
                        "name": case.item_version.name,
                        "department": case.department.name,
                        "status": case_statuses.get(case.status, case.status),
                        "promised_due": case.promised_due,
                        "rating": marks.get(case.pk),
                    }
                    for case in cases
                ],
                "notices": [
                    {
                        "title": NOTICE_TITLES[kind],
                        "url": reverse("kiosk:notice", args=[application.number, kind]),
                    }
                    for kind in notice_kinds(application, cases)
                ],
            }
        )
    return rows


def _application_page(request: HttpRequest, *, with_notices: bool) -> HttpResponse:
    user = kiosk_user(request)
    assert user is not None
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1
    applications = kiosk_selectors.applications_of(user, with_notices=with_notices).prefetch_related(
        Prefetch(
            "cases", queryset=Case.objects.select_related("item_version", "department").order_by("number")
        )
    )
    page = paginate(request, applications, number, size=PAGE_SIZE)
    context = {
        "masked_id": mask_id_number(user.id_number or ""),
        "page": page,
        "rows": _application_rows(page.rows),
        "with_notices": with_notices,
    }
    return _render(request, "applications.html", context)


@kiosk_login_required
@require_safe
def applications(request: HttpRequest) -> HttpResponse:
    """办件查询: the citizen's applications and where each stands."""
    return _application_page(request, with_notices=False)


@kiosk_login_required
@require_safe
def notices(request: HttpRequest) -> HttpResponse:
    """打印文书: the applications that have a notice, each with a print button per notice."""
    return _application_page(request, with_notices=True)


@kiosk_login_required
@require_safe
@xframe_options_sameorigin  # kiosk.js prints it from a hidden frame of the kiosk's own page
def notice(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """One notice of the citizen's application as a PDF, shown inline for the print dialog."""
    user = kiosk_user(request)
    assert user is not None
    try:
        application = case_selectors.load_application(user, number)
        filename, content = notice_pdf(application, kind)
    except NotFound as exc:
        return _not_found(request, exc.message)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
