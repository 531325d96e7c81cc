"""What runs beside the requests in every server process: the PostgreSQL pool and the loops.

Three background loops start with the process and stop with it: the outbox (messages), the
statistics (history applied to the figures) and housekeeping (expired rows purged). One switch,
MOTCUA_OUTBOX_WORKER, turns them all off: the tests run each step explicitly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar

from app.services import housekeeping, outbox, providers, statistics
from app.settings import get_settings

STATISTICS_POLL_SECONDS = 5.0


def _workers() -> list[asyncio.Task[None]]:
    settings = get_settings()
    if not settings.outbox_worker:
        return []
    return [
        asyncio.create_task(outbox.run_worker(providers.senders(), settings.outbox_poll_seconds)),
        asyncio.create_task(statistics.run_worker(STATISTICS_POLL_SECONDS)),
        asyncio.create_task(housekeeping.run_worker(settings.purge_seconds)),
    ]


@asynccontextmanager
async def database(app: Litestar) -> AsyncIterator[None]:
    from app.db import start_pool
    from app.piccolo_conf import DB

    settings = get_settings()
    pool = settings.db_pool if settings.is_postgres else True  # SQLite: closes, optimizes
    if pool:
        await start_pool()
    workers = _workers()
    try:
        yield
    finally:
        for worker in reversed(workers):
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        if pool:
            await DB.close_connection_pool()
