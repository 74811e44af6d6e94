"""用户管理: natural persons, legal persons and staff with their department and roles."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.audit.admin_reads import PersonalDataReadAdmin
from yiwang.core.masking import mask_id_number, mask_mobile


class UserChangeForm(BaseUserChangeForm):
    roles = forms.MultipleChoiceField(
        label="岗位角色", choices=StaffRole.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(BaseUserChangeForm.Meta):  # type: ignore[name-defined]  # django-stubs 5.2 omits Meta
        model = User


@admin.register(User)
class UserAdmin(PersonalDataReadAdmin, BaseUserAdmin):
    form = UserChangeForm
    audit_view = "admin.user"
    # Shown masked and read-only to admin posts without clear data (the superuser too): a correction of
    # someone's ID number is a real-name verification at a window, not an edit here.
    masked_fields = {
        "id_number": mask_id_number,
        "mobile": mask_mobile,
        "legal_representative_id_number": mask_id_number,
    }
    list_display = [
        "username",
        "name",
        "kind",
        "masked_id_number",
        "masked_mobile",
        "department",
        "is_active",
    ]
    list_filter = ["kind", "department", "is_staff", "is_active"]
    search_fields = ["username", "name", "uscc"]
    list_select_related = ["department"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "身份",
            {
                "fields": [
                    "kind",
                    "name",
                    "id_number",
                    "mobile",
                    "uscc",
                    "legal_representative",
                    "legal_representative_id_number",
                ]
            },
        ),
        ("工作人员", {"fields": ["department", "service_point", "roles"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("时间", {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description="公民身份号码")
    def masked_id_number(self, obj: User) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""

    @admin.display(description="手机号码")
    def masked_mobile(self, obj: User) -> str:
        return mask_mobile(obj.mobile) if obj.mobile else ""
