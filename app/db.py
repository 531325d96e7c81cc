"""The database engine (one per process) and write transactions.

``DB`` lives here; ``app.piccolo_conf`` only re-exports it for Piccolo's tools, so importing
either module never imports the other one back."""

from __future__ import annotations

import sqlite3

from piccolo.engine.base import Engine

from app.settings import get_settings
from app.sqlite_engine import by_index, point_reads

__all__ = [
    "DB",
    "by_index",
    "enable_sqlite_wal",
    "make_engine",
    "point_reads",
    "start_pool",
    "write_transaction",
]


def make_engine() -> Engine:
    settings = get_settings()
    if settings.is_postgres:
        from piccolo.engine.postgres import PostgresEngine

        return PostgresEngine(config={"dsn": settings.database_url})
    from app.sqlite_engine import PooledSQLiteEngine

    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return PooledSQLiteEngine(path=str(path), timeout=10, read_connections=settings.sqlite_readers)


DB = make_engine()


async def _keep_session(connection: object) -> None:
    """What a PostgreSQL connection given back to the pool needs here: nothing. asyncpg has
    already rolled back a transaction left open; the app sets no session variable, holds no
    advisory lock or cursor and listens to nothing outside a transaction, so the default reset
    (``RESET ALL``, ``UNLISTEN *``, … — one more round trip after every statement) undoes
    nothing."""


async def start_pool(**kwargs: object) -> None:
    """The process' connections: asyncpg's pool on PostgreSQL, the kept connections on SQLite."""
    if get_settings().is_postgres:
        kwargs.setdefault("reset", _keep_session)
    await DB.start_connection_pool(**kwargs)


def enable_sqlite_wal() -> None:
    """WAL lets several workers read while one writes; the setting persists in the file."""
    settings = get_settings()
    if settings.is_postgres:
        return
    with sqlite3.connect(settings.sqlite_path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")


def write_transaction():
    """A transaction that will write. On SQLite it starts IMMEDIATE: it takes the write lock at
    once and waits for it (busy timeout) instead of failing with "database is locked" when two
    transactions that both read first try to write."""
    if get_settings().is_postgres:
        return DB.transaction()
    from piccolo.engine.sqlite import TransactionType

    return DB.transaction(transaction_type=TransactionType.immediate)
