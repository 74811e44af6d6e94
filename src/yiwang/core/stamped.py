"""The one way a process keeps something built from the database (the working calendar, the catalog
index, the published item versions): a `StampedCache`.

Rule: the value is rebuilt when its stamp — a cheap query of what it was built from, such as a row
count and the latest change time — differs from the stamp it was built at. The stamp is read on every
`get()`, or at most every `recheck_seconds`; `invalidate()` forces a rebuild at the next `get()` (for
a change this process made and must see at once). Each process, and each server worker, keeps its
own copy, so no message between processes is needed.

A value may also start empty and be filled as it is used (a dict of the rows read so far): whatever
it gets was read after the stamp it is kept under, so it is never older than that stamp.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from time import monotonic
from typing import Generic, TypeVar

T = TypeVar("T")


class StampedCache(Generic[T]):
    def __init__(
        self, *, stamp: Callable[[], Hashable], build: Callable[[], T], recheck_seconds: float = 0.0
    ) -> None:
        self._stamp_of = stamp
        self._build = build
        self._recheck = recheck_seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._stamp: Hashable = None
        self._next_check = 0.0

    def get(self) -> T:
        value = self._value
        if value is not None and self._recheck and monotonic() < self._next_check:
            return value
        with self._lock:
            # The stamp is read before the rows: a change landing in between leaves a stale stamp,
            # which only causes one extra rebuild at the next check, never a missed change.
            stamp = self._stamp_of()
            if self._value is None or stamp != self._stamp:
                self._value, self._stamp = self._build(), stamp
            self._next_check = monotonic() + self._recheck
            return self._value

    def invalidate(self) -> None:
        self._value = None
