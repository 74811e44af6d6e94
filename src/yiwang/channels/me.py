"""The signed-in user's own pages: log in and out, sign out everywhere, “who used my data” (谁用了我的数据)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiwang.accounts.models import ApiToken
from yiwang.accounts.policy import Permission
from yiwang.accounts.services import sign_out_everywhere as sign_out_everywhere_service
from yiwang.channels.guards import page_requires
from yiwang.core.pagination import paginate
from yiwang.sharing.models import Basis, Outcome
from yiwang.sharing.selectors import data_uses_of


class LoginView(auth_views.LoginView):
    template_name = "channels/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Without ?next=: staff to their workbench, applicants to their applications."""
        user = self.request.user
        return "/workbench/" if getattr(user, "kind", "") == "staff" else "/me/applications/"


class LogoutView(auth_views.LogoutView):
    next_page = "/"


@page_requires(Permission.DATA_USES_OWN)
def data_uses(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1
    page = paginate(request, data_uses_of(request.user), number)
    outcomes, bases = dict(Outcome.choices), dict(Basis.choices)
    rows = [
        {
            "use": use,
            "outcome": outcomes.get(use.outcome, use.outcome),
            "basis": bases.get(use.basis, use.basis),
            "who": f"{use.actor_name[:1]}**" if use.department_name else "本人",
        }
        for use in page.rows
    ]
    return render(
        request, "channels/data_uses.html", {"page": page, "rows": rows, "nav": "me", "query": request.GET}
    )


@page_requires(Permission.ACCOUNT_SELF)
def security(request: HttpRequest) -> HttpResponse:
    active = ApiToken.objects.filter(
        user=request.user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(request, "channels/security.html", {"active_tokens": active.count(), "nav": "security"})


@page_requires(Permission.ACCOUNT_SELF)
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    revoked = sign_out_everywhere_service(user=request.user)
    logout(request)
    messages.success(request, f"已退出所有设备，并吊销 {revoked} 个 API 令牌。请重新登录。")
    return redirect("channels:login")
