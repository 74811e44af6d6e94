"""限流 (throttling): how often one key may fail in a time window, counted in the database so every
server process and worker shares one count.

A key names what is being guessed and by whom, e.g. `track:number:<digest>` or `track:ip:<address>`.
Keys that would hold personal data are digested by the caller (`throttle_key`), never kept in clear.
Counts live in fixed windows: at most `limit` failures from the window's start, then every try is
refused until the window ends. Old windows are removed by `throttle_purge`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import AttemptCounter
from yiwang.core import protection
from yiwang.core.errors import DomainError


class Throttled(DomainError):
    """Too many failed tries: answered 429 with the time to wait."""

    status = 429

    def __init__(self, message: str, retry_after: int, code: str = "throttled") -> None:
        super().__init__(code, message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rule:
    """At most `limit` failures per `window` under one key."""

    limit: int
    window: timedelta


def throttle_key(kind: str, value: str) -> str:
    """A counter key for a value that may be personal (an application number, an ID number): keyed digest."""
    return f"{kind}:{protection.blind_index(value)[:32]}"


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=timezone.get_current_timezone())


def throttle_wait(key: str, rule: Rule, *, now: datetime | None = None) -> int:
    """Seconds until `key` may try again: 0 while it is under its rule's limit."""
    now = now or timezone.now()
    start = _window_start(now, rule.window)
    count = AttemptCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first()
    if count is None or count < rule.limit:
        return 0
    return max(1, int((start + rule.window - now).total_seconds()))


def throttle_fail(key: str, rule: Rule, *, now: datetime | None = None) -> None:
    """Count one failure under `key`. Call it outside any transaction the caller may roll back, or the
    count goes with it."""
    start = _window_start(now or timezone.now(), rule.window)
    with transaction.atomic():
        if AttemptCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                AttemptCounter.objects.create(key=key, window_start=start, count=1)
        except IntegrityError:  # another request made the row a moment ago
            AttemptCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)


def throttle_purge(*, before: datetime | None = None) -> int:
    """Remove counters of windows that started more than a day ago (or before `before`)."""
    before = before or timezone.now() - timedelta(days=1)
    deleted, _ = AttemptCounter.objects.filter(window_start__lt=before).delete()
    return deleted
