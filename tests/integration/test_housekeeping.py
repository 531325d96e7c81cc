"""Tables that only grow are purged from the background loop once their rows have expired."""

import asyncio
from datetime import UTC, datetime, timedelta

from app.models import Citizen, PasswordReset, PendingRegistration, RateLimit, WebSession
from app.services import housekeeping, rate_limit
from app.services.sessions import _digest, open_session, read_session

LIMIT = rate_limit.Limit("housekeeping-test", 1000, 60)


async def _citizen_id() -> int:
    row = await Citizen.select(Citizen.id).first().run()
    if row is not None:
        return row["id"]
    saved = await Citizen.insert(
        Citizen(full_name="Nguyễn Văn Dọn", phone="0912000777", password_hash="x")
    ).run()
    return saved[0]["id"]


async def _reset(citizen_id: int, token: str, expires_at: datetime) -> None:
    await PasswordReset(citizen=citizen_id, token_hash=token, expires_at=expires_at).save().run()


async def test_expired_rows_are_purged_and_live_ones_kept(demo_db):
    now = datetime.now(UTC)
    await rate_limit.hit(LIMIT, "old", now.timestamp() - 3600)
    await rate_limit.hit(LIMIT, "live", now.timestamp())
    live_session = await open_session("officer", 1)
    idle_session = await open_session("officer", 2)
    await (
        WebSession.update({WebSession.last_seen_at: now - timedelta(minutes=31)})
        .where(WebSession.token_hash == _digest(idle_session))
        .run()
    )
    old_session = await open_session("citizen", 1, lifetime=timedelta(seconds=-1))
    citizen_id = await _citizen_id()
    await _reset(citizen_id, "h" * 64, now - timedelta(minutes=1))
    await _reset(citizen_id, "k" * 64, now + timedelta(minutes=59))
    for digest, expires_at in (
        ("p" * 64, now - timedelta(minutes=1)),
        ("q" * 64, now + timedelta(hours=1)),
    ):
        await (
            PendingRegistration(
                token_hash=digest,
                kind="email",
                identifier="a@example.vn",
                full_name="Nguyễn Văn Chờ",
                password_hash="x",
                expires_at=expires_at,
            )
            .save()
            .run()
        )

    await housekeeping.purge_expired(now)

    keys = {r["key"].split(":")[1] for r in await RateLimit.select(RateLimit.key).run()}
    assert "live" in keys and "old" not in keys
    hashes = {r["token_hash"] for r in await WebSession.select(WebSession.token_hash).run()}
    assert _digest(live_session) in hashes
    assert _digest(idle_session) not in hashes and _digest(old_session) not in hashes
    resets = {r["token_hash"] for r in await PasswordReset.select(PasswordReset.token_hash).run()}
    assert "k" * 64 in resets and "h" * 64 not in resets
    pending = PendingRegistration.select(PendingRegistration.token_hash)
    left = {r["token_hash"] for r in await pending.run()}
    assert "q" * 64 in left and "p" * 64 not in left
    assert await read_session(live_session) is not None


async def test_the_background_loop_runs_the_purge(demo_db):
    await rate_limit.hit(LIMIT, "loop", datetime.now(UTC).timestamp() - 3600)
    key_like = RateLimit.key.like("housekeeping-test:loop:%")
    assert await RateLimit.exists().where(key_like).run()
    worker = asyncio.create_task(housekeeping.run_worker(0.01))
    try:
        for _ in range(500):
            if not await RateLimit.exists().where(key_like).run():
                break
            await asyncio.sleep(0.01)
        assert not await RateLimit.exists().where(key_like).run()
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)


async def test_purging_during_a_burst_loses_no_count_of_the_current_window(demo_db):
    limit = rate_limit.Limit("housekeeping-burst", 1000, 3600)
    now = datetime.now(UTC).timestamp()
    await asyncio.gather(
        *[rate_limit.hit(limit, "burst", now) for _ in range(20)],
        *[housekeeping.purge_expired() for _ in range(5)],
    )
    verdict = await rate_limit.hit(limit, "burst", now)
    row = (
        await RateLimit.select(RateLimit.count)
        .where(RateLimit.key.like("housekeeping-burst:%"))
        .first()
        .run()
    )
    assert verdict.allowed and row["count"] == 21
