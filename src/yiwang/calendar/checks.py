"""System check calendar.W001: the State Council holiday arrangement runs out soon.

A database check: it reads the override table, so like Django's own it reports only when a
command names a database (`migrate`, `check --database default`), not before every command —
`make run` prints it once, from `migrate`, not again from `load_demo`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError
from django.utils import timezone

from yiwang.calendar.index import coverage_warnings, official_years

HINT = (
    "法定节假日已自动计算；国务院安排公布后，在管理后台“工作日历 › 工作日调整”中逐日录入调休："
    "周末上班日（勾选“是否工作日”）和法定节假日以外的放假日。运行 `yiwang calendar_check` 查看详情。"
)


def check_calendar_coverage(
    app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if not databases:
        return []
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
