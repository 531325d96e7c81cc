"""Per-process memory of the statistics figures, so a busy public page costs no query.

Figures are kept under a key that holds the aggregates' watermark (the last history row
applied): once the worker applies new history the key changes and the figures are computed
again. The watermark itself is read at most every ``WATERMARK_SECONDS`` per process (and
forgotten at once when this process applies history), and every entry lives at most
``cache_seconds()`` — the bound on how late ratings, PAKN and catalogue changes, which the
watermark does not follow, can appear. Concurrent askers of the same key wait for one
computation.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from app.models import StatisticState
from app.settings import get_settings

T = TypeVar("T")
WATERMARK_SECONDS = 2.0
MAX_ENTRIES = 1000
_entries: dict[Hashable, tuple[float, Any]] = {}
_locks: dict[Hashable, asyncio.Lock] = {}
_watermark: tuple[float, int] | None = None


def cache_seconds() -> float:
    """MOTCUA_STATISTICS_CACHE_SECONDS (default 30; 0: nothing is kept)."""
    return get_settings().statistics_cache_seconds


async def watermark() -> int:
    global _watermark
    now = time.monotonic()
    if _watermark and now - _watermark[0] < WATERMARK_SECONDS:
        return _watermark[1]
    row = await StatisticState.select(StatisticState.watermark).first().run()
    _watermark = (now, row["watermark"] if row else 0)
    return _watermark[1]


def forget() -> None:
    """Drop everything (this process applied history, or a test changed the data)."""
    global _watermark
    _watermark = None
    _entries.clear()


def _fresh(key: Hashable, ttl: float) -> tuple[bool, Any]:
    hit = _entries.get(key)
    if hit and time.monotonic() - hit[0] < ttl:
        return True, hit[1]
    return False, None


async def remembered(key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
    """``compute()``'s result for ``key`` (with the watermark), kept for cache_seconds()."""
    ttl = cache_seconds()
    if not ttl:
        return await compute()
    key = (key, await watermark())
    found, value = _fresh(key, ttl)
    if found:
        return value
    lock = _locks.setdefault(key, asyncio.Lock())
    async with lock:
        found, value = _fresh(key, ttl)
        if not found:
            value = await compute()
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
                _locks.clear()
            _entries[key] = (time.monotonic(), value)
    return value
