"""后台任务: the worker's periodic jobs, and the record of jobs that failed after their retries.

`yiwang run_huey` finds this module (and notifications.tasks) by name. Every job is idempotent — each
repeats a domain function that changes only what is still due — so a job run twice, or by two workers
at once, changes nothing the second time.
"""

from __future__ import annotations

import json
import traceback
from typing import Any

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task
from huey.exceptions import TaskLockedException

from yiwang.accounts.services import credentials_purge
from yiwang.accounts.throttle import throttle_purge
from yiwang.assistant.conversation import conversations_purge
from yiwang.cases.actions.sweep import cases_deem_accepted
from yiwang.cases.deadline_scan import deadline_scan
from yiwang.core.masking import mask_text
from yiwang.documents.services import documents_purge
from yiwang.feedback.scans import feedback_scan
from yiwang.ops.models import FailedJob

RETRY = {"retries": 3, "retry_delay": 30, "retry_backoff": 2}  # 30 s, 1 min, 2 min, then FailedJob


@db_periodic_task(crontab(minute="*/10"), **RETRY)
def deem_accepted() -> int:
    """§32: cases with no 补正 notice five working days after receipt count as accepted."""
    total = 0
    while done := cases_deem_accepted():
        total += done
    return total


@db_periodic_task(crontab(minute="*/15"), **RETRY)
def deadline_warnings() -> int:
    """临期预警 at 09:00 on working days; the later runs of the day (and a worker that was down at nine)
    find everything already written."""
    return deadline_scan().messages


@db_periodic_task(crontab(minute="5"), **RETRY)
def feedback_follow_up() -> int:
    """Hourly: overdue 差评整改 and 诉求 warn the head (红牌), unjudged answers close, deemed ratings."""
    result = feedback_scan()
    return result.warned + result.closed + result.deemed


@db_periodic_task(crontab(minute="20"), **RETRY)
def unattached_uploads() -> int:
    return documents_purge().documents


@db_periodic_task(crontab(minute="40"), **RETRY)
def expired_credentials() -> int:
    """Expired tokens and sessions, stale throttle counters, idle assistant conversations."""
    return credentials_purge() + throttle_purge() + conversations_purge()


@HUEY.post_execute()
def record_failure(task: Any, task_value: Any, exc: BaseException | None) -> None:
    """A job that failed with no retry left becomes a FailedJob row (admin: 失败的后台任务)."""
    if exc is None or task.retries or isinstance(exc, TaskLockedException):
        return
    args, kwargs = task.data if task.data else ((), {})
    error = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    FailedJob.objects.create(
        task=HUEY._registry.task_to_string(type(task)),
        task_id=str(task.id),
        args=json.loads(json.dumps(list(args), default=str)),
        kwargs=json.loads(json.dumps(dict(kwargs), default=str)),
        error=mask_text(error)[-8000:],
    )


def failed_job_retry(job: FailedJob) -> None:
    """Puts a failed job back on the queue with its arguments, as if it were new."""
    task_class = HUEY._registry.string_to_task(job.task)
    HUEY.enqueue(task_class(args=tuple(job.args), kwargs=dict(job.kwargs)))
    FailedJob.objects.filter(pk=job.pk).update(retried_at=timezone.now())
