"""Piccolo's SQLite engine with connections kept open: a few readers and one writer per process.

Piccolo's own engine opens a connection (and its thread) for every statement, about 1 ms each.
This engine keeps them per event loop:

- **readers** (``read_connections``, default 3): a statement outside a transaction that only
  reads (``SELECT``/``WITH … SELECT``/``EXPLAIN``) takes one from a queue and gives it back;
- **one writer**: every transaction, and every statement that writes outside one, runs on it,
  one at a time (an ``asyncio.Lock``). Other processes on the same file are kept out by SQLite's
  own write lock, which waits up to the busy timeout.

**Point reads** (:func:`point_reads`): a read-only statement run inside that block, outside a
transaction, runs on the event loop's own thread through one more connection, without a trip to
a connection's thread (which costs several times what a look-up by an index does). It never
waits: that connection has no busy timeout, and a statement it finds locked runs on a reader as
usual. Only look-ups through an index belong there (a row by its key, a page of an index, a
counter); a statement that may scan would hold up every request of the process while it runs.

Every connection is opened with WAL, ``synchronous=NORMAL`` (durable across a crash of the
process; a power cut may lose the last commits, never the file), ``busy_timeout`` and foreign
keys on. :meth:`close_connection_pool` runs ``PRAGMA optimize`` on the writer and closes
everything (the app's lifespan calls it at shutdown). Connections' threads are daemons, so a
command that never closes the pool still exits.
"""

from __future__ import annotations

import asyncio
import functools
import re
import sqlite3
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, ParamSpec, TypeVar

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType
from piccolo.querystring import QueryString

WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|VACUUM)\b", re.I)
READS = re.compile(r"^\s*(SELECT|WITH|EXPLAIN|VALUES)\b", re.I)
BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_POINT_READS: ContextVar[bool] = ContextVar("point_reads", default=False)
_LOCKED = object()  # a point read found the database locked


@contextmanager
def point_reads() -> Iterator[None]:
    """Reads in this block are look-ups through an index: on SQLite they run on the event
    loop's thread (see the module's text); elsewhere this changes nothing."""
    token = _POINT_READS.set(True)
    try:
        yield
    finally:
        _POINT_READS.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def by_index(function: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """A coroutine function whose reads are all point reads (:func:`point_reads`)."""

    @functools.wraps(function)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with point_reads():
            return await function(*args, **kwargs)

    return wrapper


@lru_cache(maxsize=1024)  # the app's statements are few texts with parameters
def is_read_only(sql: str) -> bool:
    """True for a statement a reader connection may run (no write anywhere in it)."""
    return bool(READS.match(sql)) and not WRITES.search(sql) and "PRAGMA" not in sql.upper()


class _Pool:
    """The connections of one event loop. A reader given back goes to the statement that has
    waited longest (first come, first served): a queue would let a newcomer take it before the
    waiter it woke, and under load some requests would wait many turns."""

    def __init__(self, loop: asyncio.AbstractEventLoop, size: int) -> None:
        self.loop = loop
        self.size = size
        self.idle: list[aiosqlite.Connection] = []
        self.waiting: deque[asyncio.Future[aiosqlite.Connection]] = deque()
        self.readers: list[aiosqlite.Connection] = []
        self.opening = 0  # readers being opened
        self.writer: aiosqlite.Connection | None = None
        self.here: sqlite3.Connection | None = None  # point reads, on the loop's thread
        self.write_lock = asyncio.Lock()

    async def take(self) -> aiosqlite.Connection:
        if self.idle:
            return self.idle.pop()
        turn = self.loop.create_future()
        self.waiting.append(turn)
        try:
            return await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.give_back(turn.result())  # handed over just as the wait was cancelled
            raise

    def give_back(self, conn: aiosqlite.Connection) -> None:
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(conn)
                return
        self.idle.append(conn)


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

    def _read_here(self, pool: _Pool, sql: str, args: list[Any]) -> Any:
        if pool.here is None:
            kwargs = {**self.connection_kwargs, "timeout": 0, "check_same_thread": False}
            pool.here = sqlite3.connect(**kwargs)  # a file open: no wait, no lock
            pool.here.row_factory = _dict_factory
            pool.here.execute("PRAGMA query_only=1")
        try:
            return pool.here.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode in BUSY:
                return _LOCKED
            raise

    async def _read(self, sql: str, args: list[Any]) -> Any:
        pool = await self.pool()
        if not pool.idle and pool.opening + len(pool.readers) < pool.size:
            pool.opening += 1  # counted before the wait, so a burst opens no more than size
            try:
                conn = await self._open()
            finally:
                pool.opening -= 1
            pool.readers.append(conn)
        else:
            conn = await pool.take()
        try:
            return await self._execute(conn, sql, args)
        finally:
            pool.give_back(conn)

    async def _execute(self, conn: aiosqlite.Connection, sql: str, args: list[Any]) -> Any:
        # one trip to the connection's thread (execute and fetch together), not three
        return await conn.execute_fetchall(sql, args)

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
            if _POINT_READS.get():
                found = self._read_here(await self.pool(), sql, args)
                if found is not _LOCKED:
                    return found
            return await self._read(sql, args)
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
        if pool.here is not None:
            pool.here.close()
        for conn in pool.readers:
            await conn.close()


def _dict_factory(cursor: sqlite3.Cursor, row: tuple) -> dict:
    return {col[0]: row[i] for i, col in enumerate(cursor.description)}
