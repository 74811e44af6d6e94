"""The signed-in user's own pages: log in and out, sign out everywhere, “who used my data” (谁用了我的数据),
and the licence wallet (我的证照)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from yiwang.accounts.acting import signed_in_account
from yiwang.accounts.forms import SignInForm
from yiwang.accounts.lockout import ACCOUNT_LOCKED
from yiwang.accounts.models import ApiToken
from yiwang.accounts.policy import Permission
from yiwang.accounts.selectors import RealNameRequired
from yiwang.accounts.services import sign_out_everywhere as sign_out_everywhere_service
from yiwang.channels.guards import current_user, page_requires
from yiwang.core.pagination import paginate
from yiwang.licences.selectors import holder_wallet, wallet_entry
from yiwang.sharing.selectors import (
    data_use_basis_label,
    data_use_is_own,
    data_use_outcome_label,
    data_uses_of,
)


class LoginView(auth_views.LoginView):
    template_name = "channels/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        """Under the sign-in throttle (accounts.lockout): 429 with the wait, not "wrong password"."""
        throttled = form.throttled
        if throttled is None:
            return super().form_invalid(form)
        context = {"message": throttled.message, "account_locked": throttled.code == ACCOUNT_LOCKED}
        response = render(self.request, "channels/locked_out.html", context, status=429)
        response["Retry-After"] = str(throttled.retry_after)
        return response

    def get_default_redirect_url(self) -> str:
        """Without ?next=: staff to their workbench, applicants to their applications."""
        user = self.request.user
        return "/workbench/" if getattr(user, "kind", "") == "staff" else "/me/applications/"


class LogoutView(auth_views.LogoutView):
    next_page = "/"


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1


def _real_name_required(request: HttpRequest, exc: RealNameRequired, nav: str) -> HttpResponse:
    """The rule's own 403 (not the policy's): the account may use the page once verified, and is told how."""
    return render(
        request, "channels/real_name_required.html", {"message": exc.message, "nav": nav}, status=403
    )


@page_requires(Permission.DATA_USES_OWN)
def data_uses(request: HttpRequest) -> HttpResponse:
    try:
        page = paginate(request, data_uses_of(current_user(request)), _page_number(request))
    except RealNameRequired as exc:
        return _real_name_required(request, exc, "me")
    rows = [
        {
            "use": use,
            "own": data_use_is_own(use),
            "outcome": data_use_outcome_label(use),
            "basis": data_use_basis_label(use),
            "who": f"{use.actor_name[:1]}**" if use.department_name else "本人",
        }
        for use in page.rows
    ]
    return render(
        request, "channels/data_uses.html", {"page": page, "rows": rows, "nav": "me", "query": request.GET}
    )


@page_requires(Permission.LICENCES_OWN)
@require_safe
def my_licences(request: HttpRequest) -> HttpResponse:
    """我的证照: the holder's e-licences with status, validity, PDF and the public verification link."""
    try:
        page = paginate(request, holder_wallet(current_user(request)), _page_number(request))
    except RealNameRequired as exc:
        return _real_name_required(request, exc, "licences")
    today = timezone.localdate()
    entries = [wallet_entry(licence, today) for licence in page.rows]
    return render(
        request,
        "channels/licences_mine.html",
        {"page": page, "entries": entries, "nav": "licences", "query": request.GET},
    )


@page_requires(Permission.ACCOUNT_SELF)
def security(request: HttpRequest) -> HttpResponse:
    active = ApiToken.objects.filter(
        user=signed_in_account(request), revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(request, "channels/security.html", {"active_tokens": active.count(), "nav": "security"})


@page_requires(Permission.ACCOUNT_SELF)
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    revoked = sign_out_everywhere_service(user=signed_in_account(request))
    logout(request)
    messages.success(request, f"已退出所有设备，并吊销 {revoked} 个 API 令牌。请重新登录。")
    return redirect("channels:login")
