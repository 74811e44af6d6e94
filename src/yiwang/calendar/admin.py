from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from yiwang.calendar.models import DayOverride
from yiwang.calendar.selectors import calendar_coverage_warnings

WEEKDAYS = "一二三四五六日"


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_working_day", "name", "updated_at")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name", "note")
    ordering = ("-date",)
    fields = ("date", "is_working_day", "name", "note")

    @admin.display(description="星期", ordering="date")
    def weekday(self, obj: DayOverride) -> str:
        return f"星期{WEEKDAYS[obj.date.weekday()]}"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Shown on every visit to the list: the people who maintain overrides are the ones to tell.
        if request.method == "GET":
            for text in calendar_coverage_warnings():
                messages.warning(request, text)
        return super().changelist_view(request, extra_context)
