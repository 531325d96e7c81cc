"""The catalogue as read by the public pages: an immutable snapshot cached per process.

The snapshot is rebuilt when the ``catalogue_state.version`` row changes (every import bumps
it) or the day changes (fees have validity dates). The version is checked at most every
``MOTCUA_CATALOGUE_CACHE_SECONDS``, so a page costs no query at all in the common case, and
every worker on every machine sees an import within that many seconds.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import time
from datetime import date

from app import memory
from app.db import by_index
from app.models import CatalogueState
from app.services.catalogue_build import build_catalogue
from app.services.catalogue_views import (  # noqa: F401  (re-exported: what pages import)
    PAGE_SIZE,
    Catalogue,
    Filters,
    LevelView,
    Page,
    ProcedureView,
    SectorView,
)
from app.settings import get_settings

log = logging.getLogger("motcua.catalogue")


@by_index
async def _version() -> int:
    row = await CatalogueState.select(CatalogueState.version).first().run()
    return row["version"] if row else 0


class CatalogueCache:
    """Read-through cache of the catalogue snapshot for this process.

    Once the snapshot is older than ``max_age`` the next request starts a check of the version
    row in the background and is answered from the snapshot at once: under load a database
    round trip can take a few hundred milliseconds (every step waits its turn on a busy event
    loop), and no visitor should wait for it. A request waits only when there is no snapshot
    for today yet, or after :meth:`invalidate` (an import in this process).
    """

    def __init__(self, max_age: float):
        self.max_age = max_age
        self._catalogue: Catalogue | None = None
        self._checked_at = -math.inf
        self._must_check = True
        self._lock = asyncio.Lock()
        self._check: asyncio.Task[Catalogue] | None = None

    def invalidate(self) -> None:
        self._must_check = True

    async def get(self, today: date | None = None) -> Catalogue:
        today = today or date.today()
        current = self._catalogue
        if current is not None and current.on == today and not self._must_check:
            stale = time.monotonic() - self._checked_at >= self.max_age
            if stale and (self._check is None or self._check.done()):
                self._check = asyncio.create_task(self._refresh(today))
                self._check.add_done_callback(_log_failure)
            return current
        return await self._refresh(today)

    async def settled(self) -> Catalogue | None:
        """Wait for a background check, if one is running (tests use this)."""
        if self._check is not None:
            await asyncio.gather(self._check, return_exceptions=True)
        return self._catalogue

    async def _refresh(self, today: date) -> Catalogue:
        async with self._lock:
            current = self._catalogue
            fresh = time.monotonic() - self._checked_at < self.max_age
            if current is not None and current.on == today and fresh and not self._must_check:
                return current  # checked while this one waited for the lock
            self._must_check = False
            version = await _version()
            if current is None or current.version != version or current.on != today:
                self._catalogue = await build_catalogue(version, today)
                # The snapshot lives until the next import: keep the cyclic garbage collector
                # from walking its objects again and again (full collections of a large heap
                # showed up as 100–200 ms pauses under load).
                gc.freeze()
                memory.trim()  # the build's temporary objects are gone: return their pages
            self._checked_at = time.monotonic()
            return self._catalogue


def _log_failure(task: asyncio.Task[Catalogue]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("catalogue version check failed", exc_info=task.exception())


_cache: CatalogueCache | None = None


def catalogue_cache() -> CatalogueCache:
    global _cache
    if _cache is None:
        _cache = CatalogueCache(get_settings().catalogue_cache_seconds)
    return _cache


async def get_catalogue() -> Catalogue:
    return await catalogue_cache().get()


def home_agency() -> str:
    """The province's name from this process's snapshot ("" before the first one is built)."""
    snapshot = catalogue_cache()._catalogue
    return snapshot.home_agency if snapshot else ""
