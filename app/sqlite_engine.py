"""Piccolo's SQLite engine with connections kept open: a few readers and one writer per process.

Piccolo's own engine opens a connection (and its thread) for every statement, about 1 ms each.
This engine keeps them per event loop:

- **readers** (``read_connections``, default 3): a statement outside a transaction that only
  reads (``SELECT``/``WITH … SELECT``/``EXPLAIN``) takes one from a queue and gives it back;
- **one writer**: every transaction, and every statement that writes outside one, runs on it,
  one at a time (an ``asyncio.Lock``). Other processes on the same file are kept out by SQLite's
  own write lock, which waits up to the busy timeout.

Every connection is opened with WAL, ``synchronous=NORMAL`` (durable across a crash of the
process; a power cut may lose the last commits, never the file), ``busy_timeout`` and foreign
keys on. :meth:`close_connection_pool` runs ``PRAGMA optimize`` on the writer and closes
everything (the app's lifespan calls it at shutdown). Connections' threads are daemons, so a
command that never closes the pool still exits.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType
from piccolo.querystring import QueryString

WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|VACUUM)\b", re.I)
READS = re.compile(r"^\s*(SELECT|WITH|EXPLAIN|VALUES)\b", re.I)


def is_read_only(sql: str) -> bool:
    """True for a statement a reader connection may run (no write anywhere in it)."""
    return bool(READS.match(sql)) and not WRITES.search(sql) and "PRAGMA" not in sql.upper()


class _Pool:
    """The connections of one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, size: int) -> None:
        self.loop = loop
        self.size = size
        self.idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self.readers: list[aiosqlite.Connection] = []
        self.writer: aiosqlite.Connection | None = None
        self.write_lock = asyncio.Lock()


class PooledTransaction(SQLiteTransaction):
    """A Piccolo transaction on the writer connection, holding the write lock until it ends."""

    __slots__ = ("_lock",)

    async def get_connection(self):
        pool = await self.engine.pool()
        self._lock = pool.write_lock
        await self._lock.acquire()
        try:
            return await self.engine.writer(pool)
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            self.engine.current_transaction.reset(self.context)
            self._lock.release()
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, timeout: float = 10, read_connections: int = 3) -> None:
        super().__init__(path=path, timeout=timeout)
        self.read_connections = read_connections
        self._pools: dict[int, _Pool] = {}  # by id() of the event loop

    async def _open(self) -> aiosqlite.Connection:
        conn = aiosqlite.connect(**self.connection_kwargs)
        conn._thread.daemon = True  # an unclosed pool must not keep the process alive
        await conn
        conn.row_factory = _dict_factory
        busy = int(float(self.connection_kwargs.get("timeout", 10)) * 1000)
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            f"busy_timeout={busy}",
            "foreign_keys=1",
        ):
            await conn.execute(f"PRAGMA {pragma}")
        return conn

    async def pool(self) -> _Pool:
        """The connections of the running loop (a process normally has one; tests and
        commands run several one after the other, or at once in threads)."""
        loop = asyncio.get_running_loop()
        pool = self._pools.get(id(loop))
        if pool is None or pool.loop is not loop:
            for key, old in list(self._pools.items()):
                if old.loop.is_closed():  # its loop has ended: let its connections go
                    del self._pools[key]
                    await self._close(old, optimize=False)
            pool = self._pools[id(loop)] = _Pool(loop, self.read_connections)
        return pool

    async def writer(self, pool: _Pool) -> aiosqlite.Connection:
        if pool.writer is None:
            pool.writer = await self._open()
        return pool.writer

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[aiosqlite.Connection]:
        pool = await self.pool()
        if pool.idle.empty() and len(pool.readers) < pool.size:
            conn = await self._open()
            pool.readers.append(conn)
        else:
            conn = await pool.idle.get()
        try:
            yield conn
        finally:
            pool.idle.put_nowait(conn)

    async def _execute(self, conn: aiosqlite.Connection, sql: str, args: list[Any]) -> Any:
        async with conn.execute(sql, args) as cursor:
            return await cursor.fetchall()

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False):
        sql, args = querystring.compile_string(engine_type=self.engine_type)
        return await self._run(sql, args)

    async def run_ddl(self, ddl: str, in_pool: bool = False):
        return await self._run(ddl, [])

    async def _run(self, sql: str, args: list[Any]) -> Any:
        if self.log_queries:
            self.print_query(query_id=self.get_query_id(), query=sql)
        current = self.current_transaction.get()
        if current is not None:
            return await self._execute(current.connection, sql, args)
        if is_read_only(sql):
            async with self.reader() as conn:
                return await self._execute(conn, sql, args)
        pool = await self.pool()
        async with pool.write_lock:
            return await self._execute(await self.writer(pool), sql, args)

    async def get_connection(self):
        """A connection of its own (Piccolo's batch(), tools): the caller closes it."""
        return await self._open()

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> PooledTransaction:
        return PooledTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def start_connection_pool(self, **kwargs: Any) -> None:
        await self.pool()

    async def close_connection_pool(self) -> None:
        pool = self._pools.pop(id(asyncio.get_running_loop()), None)
        if pool is not None:
            await self._close(pool, optimize=True)

    async def _close(self, pool: _Pool, optimize: bool) -> None:
        if pool.writer is not None:
            if optimize:
                with suppress(sqlite3.Error):
                    await pool.writer.execute("PRAGMA optimize")
            await pool.writer.close()
        for conn in pool.readers:
            await conn.close()


def _dict_factory(cursor: sqlite3.Cursor, row: tuple) -> dict:
    return {col[0]: row[i] for i, col in enumerate(cursor.description)}
