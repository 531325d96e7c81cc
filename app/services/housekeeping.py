"""Rows that only grow are deleted once they have expired, from each server process's loop.

Rate-limit windows, ended sessions, expired password-reset and registration links: none of them
can decide anything after expiry, and keeping them would slow every look-up over the years."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from app.services import accounts, rate_limit, registration, sessions

log = logging.getLogger("motcua.housekeeping")


async def purge_expired(now: datetime | None = None) -> None:
    """One round: delete what expired before ``now`` (tests move the clock)."""
    now = now or datetime.now(UTC)
    await rate_limit.purge_expired(now)
    await sessions.purge_ended(now)
    await accounts.purge_expired_resets(now)
    await registration.purge_expired(now)


async def run_worker(poll_seconds: float) -> None:
    """Purge forever (started with each server process; stops when cancelled)."""
    while True:
        try:
            await purge_expired()
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be briefly unavailable: try again next round
            log.exception("housekeeping round failed")
        await asyncio.sleep(poll_seconds)
