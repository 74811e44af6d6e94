"""审计日志 in the admin: read-only, for superusers and 效能监察 only, with a CSV export of the list as filtered.

Nobody can add, change or delete an entry here (the database would refuse anyway); the export is
itself written to the trail (action `audit.export`) before the first row leaves.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone

from yiwang.audit.admin_reads import PersonalDataMaskAdmin, mask_json_text
from yiwang.audit.models import AuditAction, AuditEntry
from yiwang.audit.services import record
from yiwang.core.masking import mask_text
from yiwang.ops.export import csv_chunks
from yiwang.ops.models import FailedJob
from yiwang.ops.tasks import failed_job_retry


@admin.register(AuditEntry)
class AuditEntryAdmin(PersonalDataMaskAdmin, admin.ModelAdmin):
    """Read-only, for AUDIT_READ only: both from the policy's admin site (accounts.admin_site)."""

    # Masked when written (audit.services.record), but not the client's user agent, nor entries
    # written before that: masked again on the way out, like the export.
    masked_fields = {
        "actor_name": mask_text,
        "object_label": mask_text,
        "user_agent": mask_text,
        "detail": mask_json_text,
    }

    list_display = [
        "id",
        "at",
        "actor_name",
        "department_name",
        "action",
        "object_label",
        "object_type",
        "ip_address",
        "channel",
    ]
    list_filter = ["action", "at", "department", "channel"]
    search_fields = ["object_label", "actor_name"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    ordering = ["-id"]
    show_full_result_count = False
    actions = None
    change_list_template = "admin/audit/auditentry/change_list.html"

    def get_urls(self) -> list[Any]:
        export = path(
            "export.csv", self.admin_site.admin_view(self.export_csv), name="audit_auditentry_export"
        )
        return [export, *super().get_urls()]

    def export_csv(self, request: HttpRequest) -> HttpResponseBase:
        """导出 CSV: the entries the list shows with the same filters and search, all pages."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            entries = self.get_changelist_instance(request).queryset
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("筛选条件无效".encode())
        rows = entries.count()
        exported = record(
            action=AuditAction.AUDIT_EXPORT,
            label="审计日志 CSV",
            detail={"filters": request.GET.dict(), "rows": rows},
        )
        response = StreamingHttpResponse(
            csv_chunks(entries.filter(id__lt=exported.id)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    """失败的后台任务: what the worker gave up on after its retries, with the error; run again from here."""

    list_display = ["task", "failed_at", "short_error", "retried_at"]
    list_filter = ["task", "retried_at"]
    readonly_fields = ["task", "task_id", "args", "kwargs", "error", "failed_at", "retried_at"]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="错误")
    def short_error(self, job: FailedJob) -> str:
        lines = [line for line in job.error.strip().splitlines() if line.strip()]
        return lines[-1][:160] if lines else ""

    @admin.action(description="重新执行所选任务")
    def retry(self, request: HttpRequest, queryset: Any) -> None:
        jobs = list(queryset)
        for job in jobs:
            failed_job_retry(job)
        self.message_user(request, f"已重新排队 {len(jobs)} 个任务")
