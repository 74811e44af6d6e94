"""Change notifications (变更通知): caches kept in a server process learn at once that rows they keep
have changed, whichever process, admin page or SQL console changed them.

PostgreSQL only. Triggers on the tables a cache reads send a notification on the cache's channel when
a change commits (the migrations that add them: accounts 0006, catalog 0003), and each process keeps
one connection listening on every channel a cache subscribed to. A cache may keep rows only while
that connection is up (`ChangeFeed.usable`): when it breaks, or before it is up, every subscriber is
reset and reads the database as if it had no cache, until the connection is back.

One connection per server process, apart from those serving requests, idle but for the notifications.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_SECONDS = 5.0


class ChangeFeed:
    def __init__(self) -> None:
        self.live = False  # the listening connection is up: notifications will arrive
        self.listener_pid = 0
        self._subscribers: dict[str, tuple[Callable[[str], None], Callable[[], None]]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def subscribe(self, channel: str, on_change: Callable[[str], None], on_reset: Callable[[], None]) -> None:
        """`on_change(payload)` for each notification on `channel`; `on_reset()` whenever notifications
        may have been missed (the connection went up or down): forget everything kept."""
        self._subscribers[channel] = (on_change, on_reset)

    def usable(self) -> bool:
        """Whether caches may keep rows now; starts this process's listener on first use."""
        if not settings.YIWANG_PROCESS_CACHES or connections["default"].vendor != "postgresql":
            return False
        if self.listener_pid != os.getpid():
            self._start()
        return self.live

    def stop(self) -> None:
        """End this process's listening (within a second); the next `usable` starts it again."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stopping.set()
            self.listener_pid = 0
        if thread is not None:
            thread.join(timeout=5)
        self._set_live(False)

    def _start(self) -> None:
        with self._lock:
            if self.listener_pid == os.getpid():
                return
            # A forked child inherits the parent's state but not its thread: it starts its own.
            self.listener_pid = os.getpid()
            self.live = False
            self._stopping = threading.Event()
            self._thread = threading.Thread(
                target=self._listen, args=(_listen_params(), self._stopping), name="change-feed", daemon=True
            )
            self._thread.start()
        self._reset_all()

    def _set_live(self, live: bool) -> None:
        self.live = live
        self._reset_all()

    def _reset_all(self) -> None:
        for _on_change, on_reset in list(self._subscribers.values()):
            on_reset()

    def _listen(self, params: dict[str, Any], stopping: threading.Event) -> None:
        import psycopg

        while not stopping.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    for channel in list(self._subscribers):
                        conn.execute(f"LISTEN {channel}")
                    if stopping.is_set():  # stop() came while connecting: a newer listener may be up
                        return
                    self._set_live(True)
                    while not stopping.is_set():
                        for notification in conn.notifies(timeout=1.0):
                            subscriber = self._subscribers.get(notification.channel)
                            if subscriber is not None:
                                subscriber[0](notification.payload)
            except Exception as exc:  # the connection broke or could not be made: no cache until back
                logger.warning("变更通知连接中断，暂停进程内缓存并重连：%s", type(exc).__name__)
            if stopping.is_set():
                return
            self._set_live(False)
            stopping.wait(RETRY_SECONDS)


def _listen_params() -> dict[str, Any]:
    """The default database's connection parameters, for a connection of its own apart from those serving requests."""
    params = dict(connections["default"].get_connection_params())
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    params.update(keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
    return params


feed = ChangeFeed()

_MISSING = object()


class Kept(Generic[T]):
    """One read's results kept per key while `feed` is live, all forgotten on any change notified
    on `channel`. Each caller gets `copy` of what is kept, so none can change another's.

        _VERSIONS = Kept("yiwang_catalog", load=lambda code: ..., copy=copy_loaded)
        _VERSIONS.get(code)
    """

    def __init__(
        self,
        channel: str,
        load: Callable[[Any], T],
        copy: Callable[[T], T],
        *,
        changes: ChangeFeed = feed,
        max_entries: int = 4096,
    ) -> None:
        self.load, self.copy, self.changes, self.max_entries = load, copy, changes, max_entries
        self.entries: dict[Hashable, Any] = {}
        self.generation = 0
        self._lock = threading.Lock()
        changes.subscribe(channel, lambda _payload: self.forget(), self.forget)

    def get(self, key: Hashable) -> T:
        if not self.changes.usable():
            return self.load(key)
        kept = self.entries.get(key, _MISSING)
        if kept is not _MISSING:
            return self.copy(kept) if kept is not None else kept
        generation = self.generation
        value = self.load(key)  # fresh, seen by no one else yet: kept as it is, a copy handed out
        with self._lock:
            if self.changes.live and generation == self.generation:
                if len(self.entries) >= self.max_entries:
                    self.entries.clear()
                self.entries[key] = value
        return self.copy(value) if value is not None else value

    def forget(self) -> None:
        with self._lock:
            self.generation += 1
            self.entries.clear()
