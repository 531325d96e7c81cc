"""The outbox: messages are written with the change that caused them and delivered later.

Any worker may deliver: a row is claimed with a compare-and-set on ``claimed_until`` so two
workers never send the same message at once; a failure schedules a retry with exponential
backoff; a message is marked sent only after the provider accepted it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.models import Outbox

log = logging.getLogger("motcua.outbox")

CLAIM_SECONDS = 120
MAX_BACKOFF_SECONDS = 3600


@dataclass(frozen=True)
class Message:
    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    dedupe_key: str


Sender = Callable[[Message], Awaitable[None]]


async def enqueue(
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    dedupe_key: str,
    dossier_id: int | None = None,
) -> bool:
    """Queue a message once per ``dedupe_key``; returns False if it was already queued. One
    statement, which the key's unique index keeps right when two transitions queue at once."""
    message = Outbox(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        dossier=dossier_id,
    )
    inserted = (
        await Outbox.insert(message)
        .on_conflict(target=Outbox.dedupe_key, action="DO NOTHING")
        .returning(Outbox.id)
        .run()
    )
    return bool(inserted)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, 5 * 2 ** max(0, attempts - 1)))


async def _claim(row_id: int, now: datetime) -> bool:
    claimed = (
        await Outbox.update({Outbox.claimed_until: now + timedelta(seconds=CLAIM_SECONDS)})
        .where(
            (Outbox.id == row_id)
            & Outbox.sent_at.is_null()
            & (Outbox.claimed_until.is_null() | (Outbox.claimed_until < now))
        )
        .returning(Outbox.id)
        .run()
    )
    return bool(claimed)


async def deliver_due(
    senders: dict[str, Sender], now: datetime | None = None, batch: int = 20
) -> int:
    """Deliver what is due; returns how many were sent."""
    now = now or datetime.now(UTC)
    rows = (
        await Outbox.select()
        .where(
            Outbox.sent_at.is_null()
            & (Outbox.next_attempt_at <= now)
            & (Outbox.claimed_until.is_null() | (Outbox.claimed_until < now))
        )
        .order_by(Outbox.id)
        .limit(batch)
        .run()
    )
    sent = 0
    for row in rows:
        if await _claim(row["id"], now) and await _send(senders, row, now):
            sent += 1
    return sent


async def _send(senders: dict[str, Sender], row: dict, now: datetime) -> bool:
    """Send one claimed message; a failure is recorded with its next attempt. True when sent."""
    message = Message(
        row["id"],
        row["channel"],
        row["recipient"],
        row["subject"],
        row["body"],
        row["dedupe_key"],
    )
    try:
        await senders[message.channel](message)
    except Exception as exc:  # any provider failure: retry later
        attempts = row["attempts"] + 1
        log.warning("outbox %s: attempt %s failed: %s", message.id, attempts, exc)
        await (
            Outbox.update(
                {
                    Outbox.attempts: attempts,
                    Outbox.next_attempt_at: now + backoff(attempts),
                    Outbox.claimed_until: None,
                    Outbox.last_error: str(exc)[:500],
                }
            )
            .where(Outbox.id == message.id)
            .run()
        )
        return False
    await (
        Outbox.update({Outbox.sent_at: datetime.now(UTC), Outbox.attempts: row["attempts"] + 1})
        .where(Outbox.id == message.id)
        .run()
    )
    return True


async def run_worker(senders: dict[str, Sender], poll_seconds: float) -> None:
    """Deliver forever (started with each server process; stops when cancelled)."""
    while True:
        try:
            while await deliver_due(senders):
                pass
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be briefly unavailable: try again next round
            log.exception("outbox delivery round failed")
        await asyncio.sleep(poll_seconds)


async def resend(message_id: int, key_prefix: str) -> bool:
    """Send a message again: a new outbox row with the same text (the old one stays on record)."""
    row = (
        await Outbox.select()
        .where((Outbox.id == message_id) & Outbox.dedupe_key.like(f"{key_prefix}%"))
        .first()
        .run()
    )
    if row is None:
        return False
    same_dossier = (
        Outbox.dossier.is_null() if row["dossier"] is None else Outbox.dossier == row["dossier"]
    )
    count = (
        await Outbox.count()
        .where(same_dossier & Outbox.dedupe_key.like(f"{row['dedupe_key']}%"))
        .run()
    )
    return await enqueue(
        row["channel"],
        row["recipient"],
        row["subject"],
        row["body"],
        f"{row['dedupe_key']}:lai-{count}",
        row["dossier"],
    )
