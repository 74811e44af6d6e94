"""The admin site under the one policy (accounts.policy): who enters it, and which models each
post may see or change, replace Django's per-user model permissions and the is_staff flag."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from yiwang.accounts.forms import SignInForm
from yiwang.accounts.policy import Permission, allows

# Which permission governs each app's models in the admin. An app missing here is superuser-only.
ADMIN_APPS: dict[str, Permission] = {
    "catalog": Permission.CATALOG_ADMIN,
    "assistant": Permission.CATALOG_ADMIN,  # questions not answered, turned into 常用叫法
    "calendar": Permission.CATALOG_ADMIN,
    "audit": Permission.AUDIT_READ,
    "sharing": Permission.AUDIT_READ,
}
# Logs: looked at, never written through the admin.
READ_ONLY_APPS = frozenset({"audit", "sharing"})


def admin_permission(model: type[Model]) -> Permission:
    return ADMIN_APPS.get(model._meta.app_label, Permission.ACCOUNTS_ADMIN)


class PolicyModelAdmin(admin.ModelAdmin):
    """Sits between a model's own admin class and ModelAdmin (see YiwangAdminSite.register), so
    the model's own restrictions (e.g. published versions are immutable) still apply on top."""

    def _allowed(self, request: HttpRequest) -> bool:
        return allows(request.user, admin_permission(self.model))

    def _writable(self, request: HttpRequest) -> bool:
        return self._allowed(request) and self.model._meta.app_label not in READ_ONLY_APPS

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._writable(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writable(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writable(request)


class PolicyAuthenticationForm(SignInForm, AdminAuthenticationForm):
    """The admin's login under the sign-in throttle (SignInForm), admitting the posts the policy lets in."""

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active or not allows(user, Permission.ADMIN_SITE):
            raise ValidationError(
                "该账号没有管理后台的权限：仅限事项管理员、效能监察人员和系统管理员", code="invalid_login"
            )


class YiwangAdminSite(admin.AdminSite):
    site_header = "一网通办 管理后台"
    site_title = "一网通办"
    index_title = "事项目录与系统管理"
    login_form = PolicyAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and allows(request.user, Permission.ADMIN_SITE))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """A throttled sign-in (accounts.lockout) shows its message on the login form, answered 429."""
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        throttled = getattr(form, "throttled", None)
        if throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(throttled.retry_after)
        return response

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, PolicyModelAdmin):
            # MRO: the model's admin, then PolicyModelAdmin, then ModelAdmin.
            admin_class = type(admin_class.__name__, (admin_class, PolicyModelAdmin), {})
        super().register(model_or_iterable, admin_class, **options)
