"""材料 in the admin: a read-only list. Documents are created by uploads and referenced by cases."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.audit.admin_reads import PersonalDataMaskAdmin
from yiwang.core.masking import mask_text
from yiwang.documents.errors import human_size
from yiwang.documents.models import Document


@admin.register(Document)
class DocumentAdmin(PersonalDataMaskAdmin, admin.ModelAdmin):
    masked_fields = {"original_name": mask_text}  # file names like “张三身份证110105….jpg”
    list_display = ["original_name", "content_type", "size_display", "owner", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "=sha256"]
    list_select_related = ["owner"]
    ordering = ["-created_at"]
    show_full_result_count = False
    readonly_fields = [
        "id",
        "owner",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "sm3",
        "blob",
        "created_at",
    ]

    @admin.display(description="大小", ordering="size")
    def size_display(self, obj: Document) -> str:
        return human_size(obj.size)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Cases reference documents and blobs are shared between owners: no deletion from here.
        return False
