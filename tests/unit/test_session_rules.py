from datetime import UTC, datetime, timedelta

from app.domain.session_rules import SessionState, session_state

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)
LATER = NOW + timedelta(hours=12)


def test_a_session_seen_seconds_ago_needs_no_write():
    assert session_state(NOW, LATER, NOW - timedelta(seconds=59), IDLE) is SessionState.VALID


def test_a_session_seen_a_minute_ago_is_touched():
    assert session_state(NOW, LATER, NOW - timedelta(minutes=1), IDLE) is SessionState.TOUCH


def test_idle_for_the_whole_period_ends_it():
    assert session_state(NOW, LATER, NOW - IDLE, IDLE) is SessionState.ENDED
    assert session_state(NOW, LATER, NOW - IDLE + timedelta(seconds=1), IDLE) is SessionState.TOUCH


def test_the_absolute_lifetime_ends_it_even_when_active():
    assert session_state(NOW, NOW, NOW, IDLE) is SessionState.ENDED
