"""工作日计算 (working-day arithmetic) for the whole process, on a cached `WorkingCalendar`.

Freshness: the calendar is rebuilt at once when a `DayOverride` is saved or deleted in this
process (signals, wired in apps.py), and again after the commit so the other threads see the
committed rows. Other processes (more web workers, the deadline sweeper) cannot hear those
signals; instead each re-reads a cheap token of the override table — row count and latest
`updated_at` — at most every RECHECK_SECONDS and rebuilds when it changed. An edit or a deletion
changes one of the two; a `QuerySet.update()` changes neither, so call `calendar_invalidate()`
after one (the admin always saves row by row).
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from time import monotonic
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from yiwang.calendar.index import WorkingCalendar
from yiwang.calendar.models import DayOverride

RECHECK_SECONDS = 60.0

_lock = threading.Lock()
_calendar: WorkingCalendar | None = None
_token: tuple[int, datetime | None] | None = None
_next_check = 0.0


def working_calendar() -> WorkingCalendar:
    """The process-wide calendar, rebuilt when the override table changed."""
    calendar = _calendar
    if calendar is None or monotonic() >= _next_check:
        calendar = _refresh()
    return calendar


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
    global _calendar
    _calendar = None


def calendar_invalidate_on_change(**kwargs: Any) -> None:
    """post_save/post_delete receiver for DayOverride."""
    # Now, so this request sees its own change; after commit, because a thread that rebuilt in
    # between read the old committed rows.
    calendar_invalidate()
    transaction.on_commit(calendar_invalidate)


def _refresh() -> WorkingCalendar:
    global _calendar, _token, _next_check
    with _lock:
        if _calendar is not None and monotonic() < _next_check:
            return _calendar  # another thread refreshed while this one waited
        # The token is read before the rows: a change landing in between leaves a stale token,
        # which only causes one extra rebuild at the next check, never a missed change.
        token = _override_token()
        if _calendar is None or token != _token:
            overrides = dict(DayOverride.objects.values_list("date", "is_working_day"))
            _calendar, _token = WorkingCalendar(overrides=overrides), token
        _next_check = monotonic() + RECHECK_SECONDS
        return _calendar


def _override_token() -> tuple[int, datetime | None]:
    row = DayOverride.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return row["count"], row["latest"]
