"""事项目录管理后台: departments, service points, items with version history, bundles, import/export."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from yiwang.catalog import codes, services
from yiwang.catalog.admin_forms import CodesField, ImportForm
from yiwang.catalog.models import (
    Bundle,
    BundleDependency,
    BundleMember,
    Department,
    Fee,
    ItemVersion,
    Material,
    ProcessStep,
    ServiceItem,
    ServicePoint,
)
from yiwang.catalog.transfer.excel import catalog_to_xlsx, xlsx_to_catalog
from yiwang.catalog.transfer.exporting import catalog_export
from yiwang.catalog.transfer.importing import catalog_import
from yiwang.core.errors import DomainError

# Multi-select code columns of an item version and the code list each holds.
CODE_COLUMNS: dict[str, Any] = {"channels": codes.Channel, "recipients": codes.Recipient}


def report(request: HttpRequest, exc: DomainError, subject: str) -> None:
    details = "；".join(m for messages_ in exc.fields.values() for m in messages_)
    messages.error(request, f"{subject}：{exc.message}{'：' + details if details else ''}")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "uscc", "region_code", "enquiry_phone", "order"]
    search_fields = ["name", "code", "uscc"]
    list_editable = ["order"]


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region_code", "address", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    filter_horizontal = ["departments"]


class DraftOnlyInline(admin.TabularInline):
    """Inlines of a version are editable only while the version is a draft."""

    extra = 0

    def _editable(self, obj: ItemVersion | None) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class MaterialInline(DraftOnlyInline):
    model = Material
    fields = [
        "order",
        "code",
        "name",
        "required",
        "form",
        "source",
        "licence_type_code",
        "pledge_allowed",
        "originals",
        "copies",
        "is_application_form",
    ]


class StepInline(DraftOnlyInline):
    model = ProcessStep
    fields = ["order", "name", "role", "department", "limit_days", "description"]


class FeeInline(DraftOnlyInline):
    model = Fee
    fields = ["name", "amount", "unit", "basis", "waivable"]


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "item_code",
        "version",
        "status",
        "case_type",
        "promised_limit_days",
        "online_depth",
        "published_at",
    ]
    list_filter = [
        "status",
        "item__department",
        "item_type",
        "case_type",
        "online_depth",
        "cross_region_scope",
    ]
    search_fields = ["name", "item__code", "base_code", "keywords"]
    list_select_related = ["item__department"]
    readonly_fields = [
        "item",
        "version",
        "status",
        "published_at",
        "published_by",
        "retired_at",
        "created_at",
        "channel_labels",
        "recipient_labels",
    ]
    inlines = [MaterialInline, StepInline, FeeInline]
    actions = ["publish_drafts", "draft_new_versions"]

    class Media:
        css = {"all": ["catalog/admin_version.css"]}  # keeps the change page within a 1366 px screen

    fieldsets = [
        (
            "版本",
            {
                "fields": [
                    "item",
                    "version",
                    "status",
                    "change_note",
                    "published_at",
                    "published_by",
                    "retired_at",
                ]
            },
        ),
        (
            "基本信息",
            {
                "fields": [
                    "name",
                    "base_code",
                    "handling_code",
                    "item_type",
                    "exercise_level",
                    "legal_basis",
                    "summary",
                    "keywords",
                    "recipients",
                ]
            },
        ),
        (
            "受理与结果",
            {
                "fields": [
                    "acceptance_conditions",
                    "co_agencies",
                    "intermediary_services",
                    "quantity_limit",
                    "result_name",
                    "result_licence_type",
                ]
            },
        ),
        (
            "时限（工作日）",
            {
                "fields": [
                    "case_type",
                    "statutory_limit_days",
                    "statutory_limit_note",
                    "promised_limit_days",
                    "promised_limit_note",
                ]
            },
        ),
        (
            "办理方式",
            {
                "fields": [
                    "visits",
                    "visit_reason",
                    "online_depth",
                    "online_url",
                    "channels",
                    "cross_region_scope",
                    "supports_booking",
                    "bookings_per_day",
                    "booking_rules",
                    "supports_online_payment",
                    "supports_courier",
                    "supports_kiosk",
                ]
            },
        ),
        ("收费", {"fields": ["charges_fee", "fee_basis"]}),
        (
            "地点与咨询",
            {
                "fields": [
                    "place",
                    "hours",
                    "enquiry_phone",
                    "complaint_phone",
                    "planned_start",
                    "planned_end",
                ]
            },
        ),
        ("申请表单", {"fields": ["form_schema"]}),
    ]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "online_url":
            kwargs["assume_scheme"] = "https"  # government sites are served over HTTPS
        if db_field.name in CODE_COLUMNS:
            return CodesField(
                choices=CODE_COLUMNS[db_field.name].choices,
                label=db_field.verbose_name,
                help_text="可多选",
                required=not db_field.blank,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: ItemVersion | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.is_editable:
            return fieldsets
        # A published version is shown read-only: its code columns by their labels, not as `1^2`.
        shown = {"channels": "channel_labels", "recipients": "recipient_labels"}
        return [
            (
                name,
                {
                    **options,
                    "fields": [shown.get(f, f) if isinstance(f, str) else f for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description="办理形式")
    def channel_labels(self, obj: ItemVersion) -> str:
        return "、".join(str(codes.Channel(c).label) for c in obj.channel_codes if c in codes.Channel.values)

    @admin.display(description="服务对象")
    def recipient_labels(self, obj: ItemVersion) -> str:
        return "、".join(
            str(codes.Recipient(c).label) for c in obj.recipient_codes if c in codes.Recipient.values
        )

    @admin.display(description="实施编码", ordering="item__code")
    def item_code(self, obj: ItemVersion) -> str:
        return obj.item.code

    def has_change_permission(self, request: HttpRequest, obj: ItemVersion | None = None) -> bool:
        # Published and retired versions are immutable: the page shows them read-only.
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ItemVersion | None = None) -> bool:
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: ItemVersion | None = None) -> list[str]:
        # A new item's first edition is written here (choose the item); later ones are copied drafts.
        if obj is None:
            return [f for f in self.readonly_fields if f != "item"]
        return list(self.readonly_fields)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "form_schema": {"type": "object", "properties": {}, "required": []},
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request: HttpRequest, obj: ItemVersion, form: Any, change: bool) -> None:
        if not change:
            obj.version = (
                obj.item.versions.order_by("-version").values_list("version", flat=True).first() or 0
            ) + 1
            obj.status = codes.VersionStatus.DRAFT
        obj.search_text = services.search_text_for(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="发布所选草稿（校验通过后替换现行版本）", permissions=["change"])
    def publish_drafts(self, request: HttpRequest, queryset: QuerySet[ItemVersion]) -> None:
        for version in queryset.filter(status=codes.VersionStatus.DRAFT):
            try:
                services.item_version_publish(version=version, by=request.user)
            except DomainError as exc:
                report(request, exc, version.name)
            else:
                messages.success(request, f"已发布 {version.name} 第 {version.version} 版")

    @admin.action(description="基于所选版本创建新草稿", permissions=["view"])
    def draft_new_versions(self, request: HttpRequest, queryset: QuerySet[ItemVersion]) -> None:
        for version in queryset:
            draft = services.item_version_new_draft(item=version.item)
            messages.info(request, f"{draft.name} 的草稿为第 {draft.version} 版")


class VersionHistoryInline(admin.TabularInline):
    """版本历史."""

    model = ItemVersion
    fields = readonly_fields = ("link", "status", "change_note", "published_at", "retired_at")
    extra = 0
    ordering = ["-version"]
    verbose_name_plural = "版本历史"
    can_delete = False

    @admin.display(description="版本")
    def link(self, obj: ItemVersion) -> str:
        url = reverse("admin:catalog_itemversion_change", args=[obj.pk])
        return format_html('<a href="{}">第 {} 版 {}</a>', url, obj.version, obj.name)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["code", "current_name", "department", "current_version", "has_draft"]
    list_filter = ["department", "published_version__item_type", "published_version__case_type"]
    search_fields = ["code", "versions__name"]
    list_select_related = ["department", "published_version"]
    readonly_fields = ["published_version", "created_at"]
    inlines = [VersionHistoryInline]
    actions = ["draft_new_versions", "retire_items"]
    change_list_template = "admin/catalog/serviceitem/change_list.html"

    @admin.display(description="事项名称")
    def current_name(self, obj: ServiceItem) -> str:
        return obj.published_version.name if obj.published_version else "（未发布）"

    @admin.display(description="现行版本")
    def current_version(self, obj: ServiceItem) -> str:
        return f"第 {obj.published_version.version} 版" if obj.published_version else "—"

    @admin.display(description="有草稿", boolean=True)
    def has_draft(self, obj: ServiceItem) -> bool:
        return obj.versions.filter(status=codes.VersionStatus.DRAFT).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: ServiceItem | None = None) -> list[str]:
        return [*self.readonly_fields, "code"] if obj else list(self.readonly_fields)

    @admin.action(description="为所选事项创建新草稿版本", permissions=["change"])
    def draft_new_versions(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        for item in queryset:
            try:
                draft = services.item_version_new_draft(item=item)
            except DomainError as exc:
                report(request, exc, item.code)
            else:
                url = reverse("admin:catalog_itemversion_change", args=[draft.pk])
                messages.info(
                    request,
                    format_html('{} 的草稿：<a href="{}">第 {} 版</a>', draft.name, url, draft.version),
                )

    @admin.action(description="停用所选事项", permissions=["change"])
    def retire_items(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        for item in queryset:
            services.item_retire(item=item)
        messages.success(request, f"已停用 {queryset.count()} 个事项")

    def get_urls(self) -> list[Any]:
        extra = [
            path("export.json", self.admin_site.admin_view(self.export_json), name="catalog_export_json"),
            path("export.xlsx", self.admin_site.admin_view(self.export_xlsx), name="catalog_export_xlsx"),
            path("import/", self.admin_site.admin_view(self.import_view), name="catalog_import"),
        ]
        return extra + super().get_urls()

    def export_json(self, request: HttpRequest) -> HttpResponse:
        body = json.dumps(catalog_export(), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="catalog-{timezone.localdate():%Y%m%d}.json"'
        return response

    def export_xlsx(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            catalog_to_xlsx(catalog_export()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="catalog-{timezone.localdate():%Y%m%d}.xlsx"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: dict[str, list[str]] = {}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                raw = upload.read()
                if upload.name.lower().endswith(".xlsx"):
                    data = xlsx_to_catalog(raw)
                else:
                    data = json.loads(raw.decode("utf-8"))
                counts = catalog_import(data)
            except (ValueError, UnicodeDecodeError) as exc:
                form.add_error("file", f"文件无法读取：{exc}")
            except DomainError as exc:
                form.add_error("file", exc.message)
                errors = exc.fields
            else:
                messages.success(
                    request,
                    "导入完成：新增部门 {departments} 个、网点 {service_points} 个、事项 {items} 个、版本 {versions} 个、一件事 {bundles} 个".format(
                        **counts
                    ),
                )
                return HttpResponseRedirect(reverse("admin:catalog_serviceitem_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": "导入事项目录",
            "opts": self.model._meta,
        }
        return render(request, "admin/catalog/import.html", context)


class MemberInline(admin.TabularInline):
    model = BundleMember
    fields = ["order", "item", "optional"]
    autocomplete_fields = ["item"]
    extra = 0


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "lead_department", "promised_limit_days", "status", "members_list"]
    list_filter = ["status", "lead_department"]
    search_fields = ["name", "code"]
    inlines = [MemberInline]
    actions = ["publish_bundles"]
    readonly_fields = ["status", "published_at"]

    @admin.display(description="组成事项")
    def members_list(self, obj: Bundle) -> str:
        return format_html_join(
            "、", "{}", ((str(m.item),) for m in obj.members.select_related("item__published_version"))
        )

    @admin.action(description="发布所选一件事", permissions=["change"])
    def publish_bundles(self, request: HttpRequest, queryset: QuerySet[Bundle]) -> None:
        for bundle in queryset:
            try:
                services.bundle_publish(bundle=bundle)
            except DomainError as exc:
                report(request, exc, bundle.name)
            else:
                messages.success(request, f"已发布一件事“{bundle.name}”")


class DependencyInline(admin.TabularInline):
    model = BundleDependency
    fk_name = "member"
    fields = ["requires", "handover_fields", "note"]
    extra = 0


@admin.register(BundleMember)
class BundleMemberAdmin(admin.ModelAdmin):
    list_display = ["bundle", "item", "order", "optional"]
    list_filter = ["bundle"]
    inlines = [DependencyInline]
    search_fields = ["bundle__name", "item__code"]
