"""A PostgreSQL connection given back to the pool is not reset with ``RESET ALL`` and more (a
round trip after every statement): only a transaction left open is undone (app/db.py)."""

from app import db
from app.settings import get_settings


async def test_start_pool_asks_for_the_light_reset_on_postgresql_only(monkeypatch):
    asked: dict = {}

    class Engine:
        async def start_connection_pool(self, **kwargs):
            asked.update(kwargs)

    monkeypatch.setattr(db, "DB", Engine())
    await db.start_pool(max_size=3)
    expected = {"max_size": 3}
    if get_settings().is_postgres:
        expected["reset"] = db._keep_session
    assert asked == expected


async def test_a_released_connection_has_its_open_transaction_rolled_back(demo_db):
    if not get_settings().is_postgres:
        assert await db._keep_session(object()) is None  # nothing to send, nothing done
        return
    import asyncpg

    pool = await asyncpg.create_pool(
        dsn=get_settings().database_url, min_size=1, max_size=1, reset=db._keep_session
    )
    try:
        async with pool.acquire() as conn:
            await conn.execute("BEGIN")
            await conn.execute("CREATE TEMP TABLE left_open (x int)")
            assert conn.is_in_transaction()
        async with pool.acquire() as conn:  # the one connection, given back
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT to_regclass('pg_temp.left_open')") is None
            await conn.execute("SET application_name = 'motcua-test'")
        async with pool.acquire() as conn:  # no RESET ALL: what a session sets stays
            assert await conn.fetchval("SHOW application_name") == "motcua-test"
    finally:
        await pool.close()
