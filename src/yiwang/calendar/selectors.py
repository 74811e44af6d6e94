"""工作日计算 (working-day arithmetic) for the whole process, on a cached `WorkingCalendar`.

Freshness (core.stamped): the calendar is rebuilt at once when a `DayOverride` is saved or deleted
in this process (signals, wired in apps.py), and again after the commit so the other threads see the
committed rows. Other processes (more web workers, the deadline sweeper) cannot hear those signals;
instead each re-reads the override table's stamp — row count and latest `updated_at` — at most every
RECHECK_SECONDS and rebuilds when it changed. An edit or a deletion changes one of the two; a
`QuerySet.update()` changes neither, so call `calendar_invalidate()` after one (the admin always
saves row by row).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from yiwang.calendar.index import WorkingCalendar
from yiwang.calendar.models import DayOverride
from yiwang.core.stamped import StampedCache

RECHECK_SECONDS = 60.0


def working_calendar() -> WorkingCalendar:
    """The process-wide calendar, rebuilt when the override table changed."""
    return _calendar.get()


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (start not counted); n = 0 → start or the next working day."""
    return working_calendar().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]; 0 when b ≤ a."""
    return working_calendar().working_days_between(a, b)


def is_working_day(day: date) -> bool:
    return working_calendar().is_working_day(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    return working_calendar().next_working_day(day)


def year_has_official_arrangement(year: int) -> bool:
    """The State Council arrangement (调休 included) of `year` is known: from chinese-calendar or
    entered as overrides. Otherwise the year counts the statutory holidays only, and its
    deadlines may move once the arrangement is published."""
    return working_calendar().has_official_arrangement(year)


def calendar_coverage_warnings(*, today: date | None = None) -> list[str]:
    """Chinese warnings for years from this year to +2 without the State Council arrangement (their
    statutory holidays are computed, their 调休 is missing); empty when the near future is complete."""
    return working_calendar().coverage_warnings(today=today or timezone.localdate())


def calendar_invalidate() -> None:
    """Drop the cached calendar; the next call rebuilds it from the database."""
    _calendar.invalidate()


def calendar_invalidate_on_change(**kwargs: Any) -> None:
    """post_save/post_delete receiver for DayOverride."""
    # Now, so this request sees its own change; after commit, because a thread that rebuilt in
    # between read the old committed rows.
    calendar_invalidate()
    transaction.on_commit(calendar_invalidate)


def _build() -> WorkingCalendar:
    return WorkingCalendar(overrides=dict(DayOverride.objects.values_list("date", "is_working_day")))


def _override_token() -> tuple[int, datetime | None]:
    row = DayOverride.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return row["count"], row["latest"]


_calendar: StampedCache[WorkingCalendar] = StampedCache(
    stamp=_override_token, build=_build, recheck_seconds=RECHECK_SECONDS
)
