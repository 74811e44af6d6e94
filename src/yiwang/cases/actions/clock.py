"""办理时限: the fields a case's legal clock sets when it starts or when its limit changes (§42, §45)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from yiwang.accounts.roles import StaffRole
from yiwang.calendar.selectors import add_working_days
from yiwang.cases import deadlines
from yiwang.cases.models import Case
from yiwang.cases.states import Action


def clock_started(case: Case, start: date, **extra: Any) -> dict[str, Any]:
    """The case's fields for transition() when its clock starts on `start`, with `extra` fields."""
    return {**_dues(case, start), "step_due": _step_due(case, start), **extra}


def _step_due(case: Case, start: date) -> date | None:
    """The limit of the first review step (the step after intake), from when the clock starts."""
    step = case.item_version.steps.exclude(role=StaffRole.WINDOW_CLERK).order_by("order").first()
    if step is None or step.limit_days == 0:
        return None
    return add_working_days(start, step.limit_days)


def dues_after_change(case: Case) -> dict[str, Any]:
    """The dues as the case's extension and suspended days now stand; nothing before acceptance."""
    if case.accepted_on is None:
        return {}
    return _dues(case, _clock_start(case))


def _dues(case: Case, start: date) -> dict[str, Any]:
    """The promised and statutory dues and the yellow-light day, counted from `start`."""
    dues = deadlines.compute_dues(
        start=start,
        promised_days=case.promised_days,
        statutory_days=case.statutory_days,
        extension_days=case.extension_days,
        suspended_days=case.suspended_days,
    )
    return {
        "promised_due": dues.promised_due,
        "statutory_due": dues.statutory_due,
        "yellow_on": dues.yellow_on,
    }


def _clock_start(case: Case) -> date:
    """The day the clock started: acceptance, or for a waiting bundle member the day it started."""
    started = case.events.filter(action=Action.START).order_by("-at").values_list("at", flat=True).first()
    return timezone.localdate(started) if started else case.accepted_on  # type: ignore[return-value]
