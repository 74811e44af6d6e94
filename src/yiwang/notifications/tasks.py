"""The worker's side of the outbox: send what is due when a message is written, and every minute
(retries after their backoff, messages held over quiet hours, rows a killed worker left)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yiwang.notifications.delivery import sms_send_due


@db_task(retries=3, retry_delay=10, retry_backoff=2)
def sms_dispatch() -> int:
    return sms_send_due()


@db_periodic_task(crontab(minute="*"), retries=2, retry_delay=10)
def sms_dispatch_due() -> int:
    return sms_send_due()
