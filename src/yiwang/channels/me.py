"""The signed-in applicant's own pages: log in and out, and “who used my data” (谁用了我的数据)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.core.pagination import paginate
from yiwang.sharing.models import Basis, Outcome
from yiwang.sharing.selectors import data_uses_of


class LoginView(auth_views.LoginView):
    template_name = "channels/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "/"


@login_required
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
