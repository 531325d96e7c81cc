"""Mutual exclusion per key within one process, across its event loops and threads.

Used where a read decides whether a following write is needed (tracking: read the counters of
mistakes, compare the factor, count a mistake): holding the keys makes the read-decide-write of
one code or address happen one at a time in a process, so a burst cannot all read "no mistakes
yet". Keys are taken all at once (no lock order, no deadlock).

First come, first served: a task that finds a key taken waits in line, and whoever lets go hands
the keys to the waiters at the front whose keys are all free (from any thread, through the
waiter's own loop). Nobody arriving later takes a key before an earlier waiter that wants it:
when every look-up comes from one address (a carrier's NAT, a bench), letting newcomers take a
key just freed left some waiters behind for over a second."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass(eq=False)
class _Waiter:
    loop: asyncio.AbstractEventLoop
    keys: frozenset[str]
    event: asyncio.Event = field(default_factory=asyncio.Event)
    granted: bool = False


class KeyLocks:
    def __init__(self) -> None:
        self._held: set[str] = set()
        self._waiters: list[_Waiter] = []  # in order of arrival
        self._guard = threading.Lock()

    def _take_or_wait(self, keys: frozenset[str]) -> _Waiter | None:
        """Take the keys (None), or join the line and return the place in it."""
        with self._guard:
            if not self._held & keys and not any(w.keys & keys for w in self._waiters):
                self._held |= keys
                return None
            waiter = _Waiter(asyncio.get_running_loop(), keys)
            self._waiters.append(waiter)
            return waiter

    def _release(self, keys: frozenset[str]) -> None:
        """Let go of ``keys`` and hand keys to the waiters they free, in order."""
        with self._guard:
            self._held -= keys
            granted, waiting, wanted = [], [], set()
            for w in self._waiters:
                if w.keys & (self._held | wanted):  # taken, or wanted by an earlier waiter
                    wanted |= w.keys
                    waiting.append(w)
                else:
                    self._held |= w.keys
                    w.granted = True
                    granted.append(w)
            self._waiters = waiting
        for w in granted:
            if w.loop.is_closed():  # nobody left to use them
                self._release(w.keys)
            else:
                w.loop.call_soon_threadsafe(w.event.set)

    @asynccontextmanager
    async def hold(self, *keys: str) -> AsyncIterator[None]:
        wanted = frozenset(keys)
        waiter = self._take_or_wait(wanted)
        if waiter is not None:
            try:
                await waiter.event.wait()
            except BaseException:  # cancelled in line: leave it, or give back what came
                with self._guard:
                    granted = waiter.granted
                    if not granted:
                        self._waiters.remove(waiter)
                self._release(wanted if granted else frozenset())
                raise
        try:
            yield
        finally:
            self._release(wanted)
