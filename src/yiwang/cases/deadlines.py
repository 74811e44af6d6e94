"""期限计算: a case's due dates in working days (行政许可法 §82), from the calendar.

Convention (STANDARDS.md §6): the day the clock starts is not counted; N working days from day D
end with the N-th working day after D; 即办件 are due on the day of acceptance (or the next working
day). Working days spent in 特别程序 (§45) and an extension (§42) are added to both dues.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from yiwang.calendar.selectors import add_working_days, working_days_between

SUPPLEMENT_NOTICE_DAYS = 5  # 行政许可法 §32: tell the applicant what to correct within five days


class Warning:
    NONE = ""
    NORMAL = "normal"
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class Dues:
    promised_due: date
    statutory_due: date
    yellow_on: date


def supplement_deadline(received_on: date) -> date:
    """The last day a 补正 notice may be issued; afterwards the case counts as accepted on receipt."""
    return add_working_days(received_on, SUPPLEMENT_NOTICE_DAYS)


def compute_dues(
    *, start: date, promised_days: int, statutory_days: int, extension_days: int, suspended_days: int
) -> Dues:
    """Due dates for a clock started on `start` (acceptance, or the day prerequisites were met)."""
    added = extension_days + suspended_days
    promised_total = promised_days + added
    promised_due = add_working_days(start, promised_total)
    statutory_due = add_working_days(start, statutory_days + added)
    # Yellow when at most YELLOW_SHARE of the promised time is left (即办件: on the due day itself).
    margin = math.floor(promised_days * settings.YIWANG_WARNING_YELLOW_SHARE)
    yellow_on = add_working_days(promised_due, -margin) if margin else promised_due
    if promised_days and yellow_on <= start:
        yellow_on = promised_due
    return Dues(promised_due=promised_due, statutory_due=statutory_due, yellow_on=yellow_on)


def warning_level(
    *, today: date, promised_due: date | None, yellow_on: date | None, step_due: date | None
) -> str:
    """Red when the promised date has passed; yellow near it or when the current step is over its limit."""
    if promised_due is None:
        return Warning.NONE
    if today > promised_due:
        return Warning.RED
    if (yellow_on is not None and today >= yellow_on) or (step_due is not None and today > step_due):
        return Warning.YELLOW
    return Warning.NORMAL


def working_days_used(start: date | None, today: date, suspended_days: int) -> int:
    if start is None:
        return 0
    return max(0, working_days_between(start, today) - suspended_days)


def working_days_left(today: date, promised_due: date | None) -> int | None:
    """Working days from today to the due date (negative once overdue)."""
    if promised_due is None:
        return None
    if today <= promised_due:
        return working_days_between(today, promised_due)
    return -working_days_between(promised_due, today)
