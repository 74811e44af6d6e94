"""用数记录 in the admin: read-only, searchable by case number and department."""

from __future__ import annotations

from django.contrib import admin

from yiwang.audit.admin_reads import PersonalDataReadAdmin
from yiwang.core.masking import mask_id_number
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

    @admin.display(description="持证主体代码")
    def masked_holder(self, obj: DataUse) -> str:
        return (
            mask_id_number(obj.holder_code)
            if len(obj.holder_code) == 18 and obj.holder_code[:17].isdigit()
            else obj.holder_code
        )
