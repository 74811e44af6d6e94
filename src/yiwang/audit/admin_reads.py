"""Admin change forms that show someone's personal data record who opened them (查阅个人信息)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from yiwang.audit.services import personal_data_read


class PersonalDataReadAdmin:
    """Mix into a ModelAdmin before `admin.ModelAdmin`; `audit_view` names the page in the entry."""

    audit_view = "admin"

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if not add and obj is not None:
            personal_data_read(actor=request.user, obj=obj, view=self.audit_view)
        return super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
