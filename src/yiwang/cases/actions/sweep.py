"""§32 sweep: cases with no 补正 notice five working days after receipt count as accepted on receipt.

The `sweep_cases` command runs it; actions on a case apply the same rule when they touch it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yiwang.cases.actions.intake import deem_accepted_if_due
from yiwang.cases.models import Case
from yiwang.cases.states import BEFORE_ACCEPTANCE
from yiwang.cases.status import application_refresh_status
from yiwang.core.errors import Conflict


def cases_deem_accepted(*, today: date | None = None, batch: int = 500) -> int:
    """视为受理: accept up to `batch` cases whose 补正 notice deadline passed without a notice, oldest
    deadline first; returns how many. Safe on many workers: each case is claimed by transition()."""
    today = today or timezone.localdate()
    done = 0
    overdue = (
        Case.objects.filter(status__in=BEFORE_ACCEPTANCE, supplement_deadline__lt=today)
        .select_related("application", "item_version__item", "department", "bundle_member")
        .order_by("supplement_deadline", "id")[:batch]
    )
    for case in overdue:
        try:
            with transaction.atomic():
                if deem_accepted_if_due(case, today=today):
                    application_refresh_status(case.application)
                    done += 1
        except Conflict:
            continue  # another worker or an officer got there first
    return done
