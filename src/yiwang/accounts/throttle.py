"""限流 (throttling): how often one key may fail in a time window, counted in the database so every
server process and worker shares one count.

A key names what is being guessed and by whom, e.g. `track:number:<digest>` or `track:ip:<address>`.
Keys that would hold personal data are digested by the caller (`throttle_key`), never kept in clear.
Counts live in fixed windows: at most `limit` failures from the window's start, then every try is
refused until the window ends — or, for a rule with `delays`, each failure past the limit makes the
key wait the next delay (the last repeats), so a guesser slows down step by step while a person who
mistyped a few times is barely held up. `throttle_reset` forgets a key (a success, an unlock). Old
windows are removed by `throttle_purge`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
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
    """At most `limit` failures per `window` under one key; with `delays`, the failures past the limit
    each block the key for the next delay instead of until the window ends."""

    limit: int
    window: timedelta
    delays: tuple[timedelta, ...] = ()


def throttle_key(kind: str, *values: str) -> str:
    """A counter key for values that may be personal (an application number, an ID number, an address):
    a keyed digest of each, so keys sharing a first value share a prefix (`throttle_reset(prefixes=…)`)."""
    return ":".join([kind, *(protection.blind_index(value)[:32] for value in values)])


def wait_seconds(until: datetime, now: datetime) -> int:
    """Whole seconds from `now` until `until`, at least 1: a wait is never announced as 0."""
    return max(1, math.ceil((until - now).total_seconds()))


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=timezone.get_current_timezone())


def throttle_blocked_until(key: str, rule: Rule, *, now: datetime | None = None) -> datetime | None:
    """When `key` may try again, or None while it is under its rule."""
    now = now or timezone.now()
    if rule.delays:
        # Any window's block: one set just before a window turned over still holds in the next.
        blocks = AttemptCounter.objects.filter(key=key, blocked_until__gt=now)
        return blocks.aggregate(until=Max("blocked_until"))["until"]  # type: ignore[no-any-return]
    start = _window_start(now, rule.window)
    count = AttemptCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first()
    if count is None or count < rule.limit:
        return None
    return start + rule.window


def throttle_wait(key: str, rule: Rule, *, now: datetime | None = None) -> int:
    """Seconds until `key` may try again: 0 while it is under its rule."""
    now = now or timezone.now()
    until = throttle_blocked_until(key, rule, now=now)
    return 0 if until is None else wait_seconds(until, now)


def throttle_fail(key: str, rule: Rule, *, now: datetime | None = None) -> datetime | None:
    """Count one failure under `key`; returns when the key may try again if this failure reached the
    rule's limit, else None. Call it outside any transaction the caller may roll back, or the count
    goes with it."""
    now = now or timezone.now()
    start = _window_start(now, rule.window)
    row = AttemptCounter.objects.filter(key=key, window_start=start)
    with transaction.atomic():
        if not row.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    AttemptCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another request made the row a moment ago
                row.update(count=F("count") + 1)
        count = row.values_list("count", flat=True).get()
        if count < rule.limit:
            return None
        if not rule.delays:
            return start + rule.window
        until = now + rule.delays[min(count - rule.limit, len(rule.delays) - 1)]
        row.update(blocked_until=until)
        return until


def throttle_check(counted: Sequence[tuple[str, Rule]], *, refusal: str, code: str) -> None:
    """Throttled (429) saying “<refusal>，请 N 分钟后再试” while any key is past its rule; else nothing."""
    wait = max(throttle_wait(key, rule) for key, rule in counted)
    if wait:
        raise Throttled(f"{refusal}，请 {math.ceil(wait / 60)} 分钟后再试", retry_after=wait, code=code)


def throttle_take(key: str, rule: Rule, *, refusal: str, code: str) -> None:
    """Count one try under `key`, each try counting, not only failed ones; once the rule's tries are
    used up, Throttled (429) saying “<refusal>，请 N 分钟后再试” instead."""
    throttle_check([(key, rule)], refusal=refusal, code=code)
    throttle_fail(key, rule)


def throttle_reset(*keys: str, prefixes: Sequence[str] = ()) -> int:
    """Forget every count and block under `keys` and under the keys starting with one of `prefixes`."""
    match = Q(key__in=keys)
    for prefix in prefixes:
        match |= Q(key__startswith=prefix)
    deleted, _ = AttemptCounter.objects.filter(match).delete()
    return deleted


def throttle_purge(*, before: datetime | None = None, now: datetime | None = None) -> int:
    """Remove counters of windows that started more than a day ago (or before `before`), except those
    still blocking their key: a lock set late in a window may outlast the next one."""
    now = now or timezone.now()
    before = before or now - timedelta(days=1)
    stale = AttemptCounter.objects.filter(window_start__lt=before).exclude(blocked_until__gt=now)
    deleted, _ = stale.delete()
    return deleted
