"""Fixed-window rate limits kept in the database, so every worker and machine shares them."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from app.domain import limits
from app.models import RateLimit


@dataclass(frozen=True)
class Limit:
    purpose: str
    max_hits: int
    window_seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds


def _key(limit: Limit, subject: str, number: str) -> str:
    """The row key; a subject too long for the column (a long address) is hashed."""
    key = f"{limit.purpose}:{subject}:{number}"
    if len(key) <= limits.RATE_LIMIT_KEY:
        return key
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{limit.purpose}:sha256={digest}:{number}"


def _window(limit: Limit, now: float) -> tuple[str, float]:
    number = math.floor(now / limit.window_seconds)
    return str(number), (number + 1) * limit.window_seconds


async def check(limit: Limit, subject: str, now: float | None = None) -> Verdict:
    """Whether ``subject`` is still under ``limit`` in the current window (does not count)."""
    now = time.time() if now is None else now
    number, ends = _window(limit, now)
    row = (
        await RateLimit.select(RateLimit.count)
        .where(RateLimit.key == _key(limit, subject, number))
        .first()
        .run()
    )
    count = row["count"] if row else 0
    return Verdict(count < limit.max_hits, 0 if count < limit.max_hits else math.ceil(ends - now))


async def hit(limit: Limit, subject: str, now: float | None = None) -> Verdict:
    """Count one event for ``subject`` atomically and say whether it was still allowed."""
    now = time.time() if now is None else now
    number, ends = _window(limit, now)
    key = _key(limit, subject, number)
    expires = datetime.fromtimestamp(ends, UTC)
    rows = await RateLimit.raw(
        "INSERT INTO rate_limit (key, count, expires_at) VALUES ({}, 1, {}) "
        "ON CONFLICT (key) DO UPDATE SET count = rate_limit.count + 1 RETURNING count",
        key,
        expires,
    ).run()
    count = rows[0]["count"]
    allowed = count <= limit.max_hits
    return Verdict(allowed, 0 if allowed else math.ceil(ends - now))


async def reset(limit: Limit, subject: str, now: float | None = None) -> None:
    number, _ = _window(limit, time.time() if now is None else now)
    await RateLimit.delete().where(RateLimit.key == _key(limit, subject, number)).run()


async def purge_expired(now: datetime | None = None) -> None:
    await RateLimit.delete().where(RateLimit.expires_at < (now or datetime.now(UTC))).run()
