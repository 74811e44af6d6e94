"""The local rules the desk and the 差评 handling run on: working-day limits per region (settings
YIWANG_FEEDBACK_LIMITS, the longest matching region prefix over the default), and when a case ended."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from yiwang.calendar.selectors import add_working_days
from yiwang.cases.models import Case
from yiwang.cases.states import CaseStatus

RATEABLE = (CaseStatus.COMPLETED, CaseStatus.REFUSED)  # 办结 (准予 or 不予许可) and 不予受理


def limit(region_code: str, name: str) -> int:
    """Working days for `name` (callback, fix, sign, consult … report, judge) in `region_code`."""
    table: dict[str, dict[str, int]] = settings.YIWANG_FEEDBACK_LIMITS
    value = table[""][name]
    best = -1
    for prefix, limits in table.items():
        if prefix and region_code.startswith(prefix) and len(prefix) > best and name in limits:
            value, best = limits[name], len(prefix)
    return int(value)


def due_after(start: date, region_code: str, name: str) -> date:
    return add_working_days(start, limit(region_code, name))


def today() -> date:
    return timezone.localdate()


def case_ended_at(case: Case) -> datetime | None:
    """When the case ended (办结, 不予许可 then 办结, or 不予受理); None while it runs."""
    if case.status not in RATEABLE:
        return None
    return case.completed_at or case.decided_at or case.updated_at


def rating_closes_on(case: Case) -> date | None:
    """The last day the case may be rated (一事一评), YIWANG_RATING_WINDOW_DAYS after it ended."""
    ended = case_ended_at(case)
    if ended is None:
        return None
    return timezone.localdate(ended) + timedelta(days=settings.YIWANG_RATING_WINDOW_DAYS)
