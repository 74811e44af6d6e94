"""Admin pages that show someone's personal data: masked for posts without the clear-data permission
(accounts.policy PERSONAL_DATA_CLEAR, asked through Django's `has_perm`), and the change forms record
who opened them (查阅个人信息).

Only the applicant and whoever handles the case see clear ID and mobile numbers. No admin post does:
效能监察 judges the handling, not the person, and the 系统管理员 (superuser) administers accounts,
keys and the catalog without handling a case — so both see these pages masked, like the workbench
shows them to supervision.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from yiwang.audit.services import personal_data_read
from yiwang.core.masking import mask_id_number, mask_json, mask_text

Mask = Callable[[Any], str]
# accounts.policy's PERSONAL_DATA_CLEAR by its name in Django's permission API (audit sits below accounts).
CLEAR_PERSONAL_DATA = "policy.personal_data.clear"


def mask_holder_code(code: str) -> str:
    """A holder's code: a person's ID number masked, an organisation's USCC (not personal) as it is."""
    return mask_id_number(code) if len(code) == 18 and code[:17].isdigit() else code


def mask_json_text(value: Any) -> str:
    """JSON-valued data (a licence's face, an audit detail) as text with every identifier masked."""
    return json.dumps(mask_json(value), ensure_ascii=False, sort_keys=True)


class _MaskedLabel:
    """The object as the admin's titles and breadcrumbs name it (`str(obj)`), with identifiers masked;
    everything else (`pk` for the links) is the object's."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)

    def __str__(self) -> str:
        return mask_text(str(self._obj))


class PersonalDataMaskAdmin:
    """Mix into a ModelAdmin or an inline, before the admin class it extends.

    `masked_fields` names the model fields holding personal data and how each is masked. To a post
    without PERSONAL_DATA_CLEAR they are shown masked wherever the admin shows a field — change page,
    list, inline — and read-only: a masked value must never be posted back and saved. The page title
    and breadcrumbs (`str(obj)`) are masked too.
    """

    masked_fields: ClassVar[dict[str, Mask]] = {}

    # The getters below answer `Any`: django-stubs types their lists as field names only, while the
    # admin takes a callable wherever it takes a name, which is how a masked field is shown.

    def shows_clear_data(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CLEAR_PERSONAL_DATA)

    def _masked_display(self, name: str) -> Callable[[Any], str]:
        # One function per field and admin instance: the admin finds read-only fields by identity.
        displays: dict[str, Callable[[Any], str]] = self.__dict__.setdefault("_masked_displays", {})
        if name not in displays:
            mask = self.masked_fields[name]

            def display(obj: Any) -> str:
                value = getattr(obj, name)
                return mask(value) if value not in (None, "", [], {}) else "-"  # the admin's empty value

            display.__name__ = name  # the admin's CSS class for the row: field-<name>, as before
            display.short_description = self.model._meta.get_field(name).verbose_name  # type: ignore[attr-defined]
            display.admin_order_field = name  # type: ignore[attr-defined]
            displays[name] = display
        return displays[name]

    def _masked(self, names: Sequence[Any]) -> list[Any]:
        """`names` (of fields, list columns or a fieldset's lines) with each masked field's display."""
        shown: list[Any] = []
        for name in names:
            if isinstance(name, (list, tuple)):  # several fields on one line of a fieldset
                name = tuple(self._masked(name))
            elif isinstance(name, str) and name in self.masked_fields:
                name = self._masked_display(name)
            if name not in shown:  # listed as a form field and as read-only: shown once
                shown.append(name)
        return shown

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        """Never a form field: a masked field is shown by its display (below), where the field stood."""
        excluded = super().get_exclude(request, obj)  # type: ignore[misc]
        if self.shows_clear_data(request):
            return excluded
        if excluded is None:  # what the admin would have taken from the form's Meta instead
            excluded = getattr(getattr(self.form, "_meta", None), "exclude", None) or []  # type: ignore[attr-defined]
        return [*excluded, *self.masked_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        if self.shows_clear_data(request):
            return fields
        shown = self._masked(fields)
        editable = [self._masked_display(n) for n in self.masked_fields]
        return [*shown, *(display for display in editable if display not in shown)]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if self.shows_clear_data(request):
            return fieldsets
        return [(name, {**options, "fields": self._masked(options["fields"])}) for name, options in fieldsets]

    def get_list_display(self, request: HttpRequest) -> Any:
        names = super().get_list_display(request)  # type: ignore[misc]
        return names if self.shows_clear_data(request) else self._masked(names)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None and not self.shows_clear_data(request):
            context = {**context, "original": _MaskedLabel(obj), "subtitle": mask_text(str(obj))}
        return super().render_change_form(  # type: ignore[misc, no-any-return]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        data = getattr(response, "context_data", None)
        if isinstance(response, TemplateResponse) and data and not self.shows_clear_data(request):
            data["title"] = mask_text(str(data.get("title", "")))
            if data.get("object") is not None:
                data["object"] = _MaskedLabel(data["object"])
        return response  # type: ignore[no-any-return]


class PersonalDataReadAdmin(PersonalDataMaskAdmin):
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
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
