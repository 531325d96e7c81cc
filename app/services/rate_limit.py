"""Fixed-window rate limits kept in the database, so every worker and machine shares them.

Every limit counts first (one INSERT … ON CONFLICT … RETURNING) and decides on the count it got."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
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


async def hit_all(pairs: Sequence[tuple[Limit, str]], now: float | None = None) -> Verdict:
    """Count one event against every (limit, subject) first; allowed only if all still are.

    Counting before the work being limited (a password hash, a factor comparison) is what makes
    a limit hold under a burst: a request learns its place in the window from the same
    statement that takes it, so no two requests can both see "one left"."""
    now = time.time() if now is None else now
    verdicts = [await hit(limit, subject, now) for limit, subject in pairs]
    refused = [v.retry_after for v in verdicts if not v.allowed]
    return Verdict(not refused, max(refused, default=0))


async def reset(limit: Limit, subject: str, now: float | None = None) -> None:
    number, _ = _window(limit, time.time() if now is None else now)
    await RateLimit.delete().where(RateLimit.key == _key(limit, subject, number)).run()


async def give_back(limit: Limit, subject: str, now: float | None = None) -> None:
    """Uncount one event (a successful login does not use up its address's allowance)."""
    number, _ = _window(limit, time.time() if now is None else now)
    await RateLimit.raw(
        "UPDATE rate_limit SET count = count - 1 WHERE key = {} AND count > 0",
        _key(limit, subject, number),
    ).run()


async def purge_expired(now: datetime | None = None) -> None:
    """Delete the counters of windows that have ended (run by services/housekeeping)."""
    await RateLimit.delete().where(RateLimit.expires_at < (now or datetime.now(UTC))).run()


def keys_of(pairs: Sequence[tuple[Limit, str]], now: float) -> list[str]:
    """The counter rows of every (limit, subject) in the window of ``now`` (for a caller that
    reads them within a statement of its own: ``SELECT count FROM rate_limit WHERE key = …``,
    no row meaning 0)."""
    return [_key(limit, subject, _window(limit, now)[0]) for limit, subject in pairs]


async def peek_all(pairs: Sequence[tuple[Limit, str]], now: float | None = None) -> list[int]:
    """The counts so far of every (limit, subject) in this window, in one read and no write."""
    now = time.time() if now is None else now
    keys = keys_of(pairs, now)
    rows = await RateLimit.raw(
        "SELECT key, count FROM rate_limit WHERE key IN (" + ", ".join("{}" for _ in keys) + ")",
        *keys,
    ).run()
    found = {r["key"]: r["count"] for r in rows}
    return [found.get(k, 0) for k in keys]


def verdict_of(pairs: Sequence[tuple[Limit, str]], counts: Sequence[int], now: float) -> Verdict:
    """Refused when any count has reached its limit (the next event would be over it)."""
    waits = [
        math.ceil(_window(limit, now)[1] - now)
        for (limit, _), n in zip(pairs, counts, strict=True)
        if n >= limit.max_hits
    ]
    return Verdict(not waits, max(waits, default=0))


async def hit_many(pairs: Sequence[tuple[Limit, str]], now: float | None = None) -> None:
    """Count one event against every (limit, subject) in one statement."""
    now = time.time() if now is None else now
    rows: list = []
    for limit, subject in pairs:
        number, ends = _window(limit, now)
        rows += [_key(limit, subject, number), datetime.fromtimestamp(ends, UTC)]
    await RateLimit.raw(
        "INSERT INTO rate_limit (key, count, expires_at) VALUES "
        + ", ".join("({}, 1, {})" for _ in pairs)
        + " ON CONFLICT (key) DO UPDATE SET count = rate_limit.count + 1",
        *rows,
    ).run()
