"""When a login session ends: an absolute lifetime and an idle period."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

# last_seen_at is written at most this often, so a busy page costs no write per request.
TOUCH_EVERY = timedelta(minutes=1)


class SessionState(Enum):
    ENDED = "ended"  # past its absolute lifetime or idle too long: delete it
    TOUCH = "touch"  # valid; record that it was seen now
    VALID = "valid"  # valid and seen less than TOUCH_EVERY ago


def session_state(
    now: datetime, expires_at: datetime, last_seen_at: datetime, idle: timedelta
) -> SessionState:
    if expires_at <= now or now - last_seen_at >= idle:
        return SessionState.ENDED
    if now - last_seen_at >= TOUCH_EVERY:
        return SessionState.TOUCH
    return SessionState.VALID
