from __future__ import annotations

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "yiwang.calendar"
    label = "calendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from yiwang.calendar.checks import check_calendar_coverage
        from yiwang.calendar.models import DayOverride
        from yiwang.calendar.selectors import calendar_invalidate_on_change

        post_save.connect(
            calendar_invalidate_on_change, sender=DayOverride, dispatch_uid="calendar_override_saved"
        )
        post_delete.connect(
            calendar_invalidate_on_change, sender=DayOverride, dispatch_uid="calendar_override_deleted"
        )
        checks.register(check_calendar_coverage, checks.Tags.database)
