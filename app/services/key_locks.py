"""Mutual exclusion per key within one process, across its event loops and threads.

Used where a read decides whether a following write is needed (tracking: read the counters of
mistakes, compare the factor, count a mistake): holding the keys makes the read-decide-write of
one code or address happen one at a time in a process, so a burst cannot all read "no mistakes
yet". Keys are taken all at once (no lock order, no deadlock); a contended key is polled."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class KeyLocks:
    def __init__(self) -> None:
        self._held: set[str] = set()
        self._guard = threading.Lock()

    def _take(self, keys: set[str]) -> bool:
        with self._guard:
            if self._held & keys:
                return False
            self._held |= keys
            return True

    @asynccontextmanager
    async def hold(self, *keys: str) -> AsyncIterator[None]:
        wanted = set(keys)
        delay = 0.0005
        while not self._take(wanted):
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.01)
        try:
            yield
        finally:
            with self._guard:
                self._held -= wanted
