"""argon2id hashing off the event loop, with bounded concurrency per process."""

from __future__ import annotations

import asyncio
import weakref
from functools import lru_cache

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.settings import get_settings


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    s = get_settings()
    return PasswordHasher(
        time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib, parallelism=1
    )


# One limiter per event loop: a server worker has one loop; a limiter must never be shared
# between loops (its waiters would be woken from the wrong thread).
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _capacity() -> anyio.CapacityLimiter:
    """At most MOTCUA_HASH_CONCURRENCY hashes at once: a burst of logins queues, memory stays."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(get_settings().hash_concurrency)
    return limiter


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(hasher().hash, password, limiter=_capacity())


def _verify(stored: str, password: str) -> tuple[bool, bool]:
    ph = hasher()
    try:
        ph.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    return True, ph.check_needs_rehash(stored)


async def verify_password(stored: str, password: str) -> tuple[bool, bool]:
    """(matches, needs_rehash): rehash when the configured parameters have changed."""
    return await anyio.to_thread.run_sync(_verify, stored, password, limiter=_capacity())


_DUMMY: str | None = None


async def burn_time(password: str) -> None:
    """Spend a verification's worth of time when the account does not exist (no user oracle)."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = await hash_password("dummy-password-for-timing")
    await verify_password(_DUMMY, password)
