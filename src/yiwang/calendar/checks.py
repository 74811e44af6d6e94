"""System check calendar.W001: the national holiday data runs out soon."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError
from django.utils import timezone

from yiwang.calendar.index import coverage_warnings, official_years

HINT = (
    "在管理后台“工作日历 › 工作日调整”中逐日录入该年的放假和调休安排；运行 `yiwang calendar_check` 查看详情。"
)


def check_calendar_coverage(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if app_configs is not None and not any(config.label == "calendar" for config in app_configs):
        return []
    from yiwang.calendar.models import DayOverride
    from yiwang.calendar.selectors import calendar_coverage_warnings

    try:
        texts = calendar_coverage_warnings()
    except DatabaseError:
        # Checks also run before `migrate` has created the table: judge by chinese-calendar alone.
        texts = coverage_warnings(known_years=official_years(), overrides={}, today=timezone.localdate())
    return [Warning(text, hint=HINT, obj=DayOverride, id="calendar.W001") for text in texts]
