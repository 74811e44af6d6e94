"""Token cache (令牌缓存): the user behind each Bearer token, kept in the process between requests.

Every API request looked its token up: on a status read that was a third of the server's work. The
cache keeps, per token digest, the user as loaded and the token's expiry, and hands each
request its own copy (so nothing a request does to its user reaches another).

A change must never be served stale for long: a revoked token or a deactivated user is refused at
once. So the cache is used only where changes are notified (core.changes, PostgreSQL): every change
to a user or token row, whatever makes it (a service, the admin, a queryset update, SQL by hand),
fires a trigger (migration accounts 0006) that drops that user's entries in every process. Entries
are also dropped after YIWANG_TOKEN_CACHE_SECONDS, should a notification go missing on a connection
that died silently (0 turns the cache off).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from django.conf import settings

from yiwang.accounts.models import User
from yiwang.core.changes import ChangeFeed, feed
from yiwang.core.compiled import copy_loaded

CHANNEL = "yiwang_auth"
MAX_ENTRIES = 20_000


class _Entry:
    __slots__ = ("user", "user_id", "expires_at", "stored_at")

    def __init__(self, user: User, user_id: int, expires_at: datetime, stored_at: float) -> None:
        self.user = user
        self.user_id = user_id
        self.expires_at = expires_at
        self.stored_at = stored_at


class TokenCache:
    """One process's cache. Readers never lock: dict operations are atomic, and `generation` (raised
    by every drop) keeps a row loaded before a change from being stored after it."""

    def __init__(self, changes: ChangeFeed) -> None:
        self.entries: dict[str, _Entry] = {}
        self.generation = 0
        self.changes = changes
        self._lock = threading.Lock()
        changes.subscribe(CHANNEL, self._changed, self.drop)

    def seconds(self) -> float:
        return float(settings.YIWANG_TOKEN_CACHE_SECONDS)

    def usable(self) -> bool:
        return self.seconds() > 0 and self.changes.usable()

    def get(self, digest: str, now: datetime) -> User | None:
        entry = self.entries.get(digest)
        if entry is None:
            return None
        if (
            not self.changes.live
            or now >= entry.expires_at
            or time.monotonic() - entry.stored_at > self.seconds()
        ):
            self.entries.pop(digest, None)
            return None
        return copy_loaded(entry.user)

    def put(self, digest: str, user: User, expires_at: datetime, generation: int) -> None:
        """Keep a copy of a user just loaded (before anything read from it), unless a drop came
        since `generation` was read, before the look-up."""
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
        entry = _Entry(copy_loaded(user), user.pk, expires_at, time.monotonic())
        with self._lock:
            if self.changes.live and generation == self.generation:
                self.entries[digest] = entry

    def drop(self, user_id: int | None = None) -> None:
        """Forget one user's tokens, or every token (None)."""
        with self._lock:
            self.generation += 1
            if user_id is None:
                self.entries.clear()
            else:
                for digest in [d for d, e in self.entries.items() if e.user_id == user_id]:
                    self.entries.pop(digest, None)

    def _changed(self, payload: str) -> None:
        self.drop(int(payload) if payload.isdigit() else None)


token_cache = TokenCache(feed)
