"""`yiwang sweep_cases`: apply §32 — cases with no 补正 notice five working days after receipt are accepted.

Safe to run on many workers at once: each case is claimed by a conditional update on its revision.
Run it from cron (e.g. every 15 minutes); actions on a case also apply the rule when they touch it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.cases.actions.sweep import cases_deem_accepted


class Command(BaseCommand):
    help = "依《行政许可法》第三十二条，将逾期未告知补正的办件视为受理"

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while True:
            done = cases_deem_accepted()
            total += done
            if done == 0:
                break
        self.stdout.write(f"视为受理 {total} 件")
