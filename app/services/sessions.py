"""Server-side sessions: the cookie holds a random token, the database its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.domain.session_rules import SessionState, session_state
from app.models import WebSession
from app.settings import get_settings

COOKIE = "motcua_session"


@dataclass(frozen=True)
class SessionInfo:
    account_kind: str
    account_id: int
    expires_at: datetime


def digest_of(token: str) -> str:
    return _digest(token)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(
    account_kind: str,
    account_id: int,
    ip: str = "",
    user_agent: str = "",
    old_token: str = "",
    lifetime: timedelta | None = None,
) -> str:
    """A new session for the account; the previous token (if any) stops working (rotation)."""
    if old_token:
        await close_session(old_token)
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    await (
        WebSession(
            token_hash=_digest(token),
            account_kind=account_kind,
            account_id=account_id,
            expires_at=now + (lifetime or timedelta(hours=get_settings().session_hours)),
            last_seen_at=now,
            ip=ip[:45],
            user_agent=user_agent[:255],
        )
        .save()
        .run()
    )
    return token


async def read_session(token: str, now: datetime | None = None) -> SessionInfo | None:
    """The session's account, or None once it is past its lifetime or idle period (then the
    row is deleted). ``now`` lets tests move the clock."""
    if not token:
        return None
    now = now or datetime.now(UTC)
    digest = _digest(token)
    row = (
        await WebSession.select(
            WebSession.account_kind,
            WebSession.account_id,
            WebSession.expires_at,
            WebSession.created_at,
            WebSession.last_seen_at,
        )
        .where(WebSession.token_hash == digest)
        .first()
        .run()
    )
    return await settle(row, digest, now)


async def settle(row: dict | None, digest: str, now: datetime) -> SessionInfo | None:
    """The session a row read by its token's digest stands for: None once it is past its
    lifetime or idle period (the row is deleted), its last visit noted when that is due."""
    if row is None:
        return None
    idle = timedelta(minutes=get_settings().idle_minutes(row["account_kind"]))
    seen = row["last_seen_at"] or row["created_at"]
    state = session_state(now, row["expires_at"], seen, idle)
    if state is SessionState.ENDED:
        await WebSession.delete().where(WebSession.token_hash == digest).run()
        return None
    if state is SessionState.TOUCH:
        await (
            WebSession.update({WebSession.last_seen_at: now})
            .where(WebSession.token_hash == digest)
            .run()
        )
    return SessionInfo(row["account_kind"], row["account_id"], row["expires_at"])


async def close_session(token: str) -> None:
    await WebSession.delete().where(WebSession.token_hash == _digest(token)).run()


async def close_all_sessions(account_kind: str, account_id: int) -> None:
    await (
        WebSession.delete()
        .where((WebSession.account_kind == account_kind) & (WebSession.account_id == account_id))
        .run()
    )


async def purge_ended(now: datetime | None = None) -> None:
    """Delete the sessions past their lifetime or idle period that nobody came back to read."""
    now = now or datetime.now(UTC)
    await WebSession.delete().where(WebSession.expires_at <= now).run()
    for kind in ("citizen", "officer"):
        idle_since = now - timedelta(minutes=get_settings().idle_minutes(kind))
        never_seen = WebSession.last_seen_at.is_null() & (WebSession.created_at <= idle_since)
        await (
            WebSession.delete()
            .where(
                (WebSession.account_kind == kind)
                & ((WebSession.last_seen_at <= idle_since) | never_seen)
            )
            .run()
        )


async def close_other_sessions(account_kind: str, account_id: int, keep_token: str) -> None:
    """End every session of the account but the one holding ``keep_token``."""
    await (
        WebSession.delete()
        .where(
            (WebSession.account_kind == account_kind)
            & (WebSession.account_id == account_id)
            & (WebSession.token_hash != _digest(keep_token))
        )
        .run()
    )
