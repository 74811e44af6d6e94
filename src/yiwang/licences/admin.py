"""电子证照 in the admin: the type catalogue is edited here; licences and keys are read-only.

Licences are issued by cases (services.licence_issue) and keys made by `yiwang licence_keys`;
the sealed private key is never shown, not even encrypted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.audit.admin_reads import (
    PersonalDataMaskAdmin,
    PersonalDataReadAdmin,
    mask_holder_code,
    mask_json_text,
)
from yiwang.core.masking import mask_text
from yiwang.licences.models import DepartmentKey, Licence, LicenceStatusChange, LicenceType


@admin.register(LicenceType)
class LicenceTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "category",
        "defining_agency",
        "holder_kind",
        "validity_years",
        "is_active",
    ]
    list_filter = ["category", "holder_kind", "is_active"]
    search_fields = ["name", "=code", "defining_agency"]


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(PersonalDataMaskAdmin, admin.TabularInline):
    model = LicenceStatusChange
    masked_fields = {"reason": mask_text}
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "from_status", "to_status", "reason", "actor")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Licence)
class LicenceAdmin(PersonalDataReadAdmin, _ReadOnly):
    audit_view = "admin.licence"
    # A 居民身份证's number is the ID number, and the face data may hold ID and mobile numbers.
    masked_fields = {"number": mask_text, "holder_code": mask_holder_code, "data": mask_json_text}
    list_display = ["name", "number", "holder_name", "issuer", "issued_on", "valid_until", "status"]
    list_filter = ["status", "licence_type"]
    search_fields = ["=identifier", "=number", "=holder_code"]
    list_select_related = ["issuer"]
    ordering = ["-issued_on", "-id"]
    show_full_result_count = False
    inlines = [StatusChangeInline]
    readonly_fields = [
        "identifier",
        "licence_type",
        "name",
        "number",
        "holder_name",
        "holder_code",
        "holder_code_type",
        "issuer",
        "issuer_code",
        "issued_on",
        "valid_from",
        "valid_until",
        "status",
        "status_changed_at",
        "version",
        "serial",
        "jurisdiction",
        "data",
        "case",
        "digest",
        "signature",
        "key",
        "created_at",
    ]


@admin.register(DepartmentKey)
class DepartmentKeyAdmin(_ReadOnly):
    list_display = ["department", "fingerprint", "active", "created_at", "retired_at"]
    list_filter = ["active"]
    list_select_related = ["department"]
    # Not the sealed private key: it is not a field of this page at all.
    fields = readonly_fields = (
        "department",
        "public_key",
        "fingerprint",
        "active",
        "created_at",
        "retired_at",
    )
