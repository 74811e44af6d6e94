"""用数记录 in the admin: read-only, searchable by case number and department."""

from __future__ import annotations

from django.contrib import admin

from yiwang.audit.admin_reads import PersonalDataReadAdmin, mask_holder_code
from yiwang.core.masking import mask_text
from yiwang.sharing.models import DataUse


@admin.register(DataUse)
class DataUseAdmin(PersonalDataReadAdmin, admin.ModelAdmin):
    audit_view = "admin.data_use"
    list_display = [
        "seq",
        "at",
        "department_name",
        "actor_name",
        "case_number",
        "masked_holder",
        "action",
        "outcome",
        "basis",
    ]
    list_filter = ["outcome", "basis", "action"]
    search_fields = ["case_number", "department_name", "actor_name"]
    readonly_fields = [f.name for f in DataUse._meta.fields]
    # The reason is typed by staff and may name anyone; the refusal quotes what was asked.
    masked_fields = {"holder_code": mask_holder_code, "reason": mask_text, "refusal": mask_text}

    @admin.display(description="持证主体代码")
    def masked_holder(self, obj: DataUse) -> str:
        return mask_holder_code(obj.holder_code)
