"""Mutual exclusion per key within one process, across its event loops and threads.

Used where a read decides whether a following write is needed (tracking: read the counters of
mistakes, compare the factor, count a mistake): holding the keys makes the read-decide-write of
one code or address happen one at a time in a process, so a burst cannot all read "no mistakes
yet". Keys are taken all at once (no lock order, no deadlock). A task that finds a key taken
waits on an event that the holder sets when it lets go (from any thread, through the waiter's
own loop), so waiting costs nothing and a free key is taken at once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

WAKE_UP_SECONDS = 0.5  # a safety net only: a release always wakes the waiters


class KeyLocks:
    def __init__(self) -> None:
        self._held: set[str] = set()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event, set[str]]] = []
        self._guard = threading.Lock()

    def _take_or_wait(self, keys: set[str]) -> asyncio.Event | None:
        """Take the keys (None), or register and return an event to wait on."""
        with self._guard:
            if not self._held & keys:
                self._held |= keys
                return None
            event = asyncio.Event()
            self._waiters.append((asyncio.get_running_loop(), event, keys))
            return event

    def _release(self, keys: set[str]) -> None:
        with self._guard:
            self._held -= keys
            woken = [w for w in self._waiters if w[2] & keys]
            self._waiters = [w for w in self._waiters if not w[2] & keys]
        for loop, event, _ in woken:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    @asynccontextmanager
    async def hold(self, *keys: str) -> AsyncIterator[None]:
        wanted = set(keys)
        while (event := self._take_or_wait(wanted)) is not None:
            try:
                async with asyncio.timeout(WAKE_UP_SECONDS):  # no task of its own
                    await event.wait()
            except TimeoutError:
                with self._guard:
                    self._waiters = [w for w in self._waiters if w[1] is not event]
        try:
            yield
        finally:
            self._release(wanted)
