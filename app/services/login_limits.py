"""Login throttling shared by citizens and officers.

Every attempt is counted before its password is hashed, so a burst cannot slip past the limit.
Failures are counted per account *and* address with growing delays (5 in 15 minutes, 10 in an
hour, 20 in a day): a stranger elsewhere cannot lock the owner out, and one address guessing
one account slows to a few tries a day. Each address also has a ceiling across all accounts.
A successful login clears its account+address tiers and gives its address slot back.
"""

from __future__ import annotations

from app.services import rate_limit

PER_ADDRESS = rate_limit.Limit("login-address", 30, 15 * 60)
TIERS = (
    rate_limit.Limit("login-1", 5, 15 * 60),
    rate_limit.Limit("login-2", 10, 60 * 60),
    rate_limit.Limit("login-3", 20, 24 * 60 * 60),
)


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def _subject(account_key: str, address: str) -> str:
    return f"{account_key}@{address}"


async def admit(account_key: str, address: str) -> None:
    """Count this attempt; raise TooManyAttempts when any limit was already reached."""
    pairs = [(PER_ADDRESS, address), *((t, _subject(account_key, address)) for t in TIERS)]
    verdict = await rate_limit.hit_all(pairs)
    if not verdict.allowed:
        raise TooManyAttempts(verdict.retry_after)


async def succeeded(account_key: str, address: str) -> None:
    for tier in TIERS:
        await rate_limit.reset(tier, _subject(account_key, address))
    await rate_limit.give_back(PER_ADDRESS, address)
