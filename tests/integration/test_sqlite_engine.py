"""The embedded database's engine (app/sqlite_engine.py): kept connections, one writer, and
point reads on the event loop's own thread. It runs on a file of its own, whatever database
the suite uses."""

import asyncio
import sqlite3
import threading

import pytest
from piccolo.engine.sqlite import TransactionType
from piccolo.querystring import QueryString

from app.sqlite_engine import PooledSQLiteEngine, by_index, is_read_only, point_reads


@pytest.fixture
async def engine(tmp_path):
    db = PooledSQLiteEngine(path=str(tmp_path / "engine.sqlite3"), read_connections=2)
    await db.run_ddl("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    await db.run_ddl("INSERT INTO item (name) VALUES ('một'), ('hai')")
    yield db
    await db.close_connection_pool()


def q(sql: str, *args) -> QueryString:
    return QueryString(sql, *args)


async def test_statements_reuse_the_same_connections(engine):
    for _ in range(20):
        assert await engine.run_querystring(q("SELECT count(*) AS n FROM item")) == [{"n": 2}]
    pool = await engine.pool()
    assert len(pool.readers) == 1  # one at a time: the first reader, again and again
    assert pool.writer is not None and pool.here is None
    await asyncio.gather(*(engine.run_querystring(q("SELECT 1 AS x")) for _ in range(10)))
    assert len(pool.readers) == 2  # a burst waits for the pool's readers, opens no more
    before = list(pool.readers)
    await engine.run_querystring(q("SELECT 1 AS x"))
    assert pool.readers == before


async def test_a_reader_given_back_goes_to_the_longest_waiting_statement(engine):
    pool = await engine.pool()
    await engine.run_querystring(q("SELECT 1 AS x"))  # one reader open
    pool.size = 1
    conn = await pool.take()  # held: the statements below wait for it
    order: list[str] = []

    async def read(name: str) -> None:
        await engine.run_querystring(q("SELECT 1 AS x"))
        order.append(name)

    first = asyncio.create_task(read("first"))
    await asyncio.sleep(0)
    second = asyncio.create_task(read("second"))
    await asyncio.sleep(0)
    pool.give_back(conn)
    # a newcomer arriving just after the hand-over waits its turn behind both
    await read("newcomer")
    await asyncio.gather(first, second)
    assert order == ["first", "second", "newcomer"]
    assert pool.idle == [conn] and not pool.waiting


async def test_a_cancelled_wait_for_a_reader_loses_no_connection(engine):
    pool = await engine.pool()
    await engine.run_querystring(q("SELECT 1 AS x"))
    pool.size = 1
    conn = await pool.take()
    waiter = asyncio.create_task(pool.take())
    await asyncio.sleep(0)
    pool.give_back(conn)  # handed to the waiter, which is cancelled before it runs
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert pool.idle == [conn]
    assert await engine.run_querystring(q("SELECT 2 AS x")) == [{"x": 2}]


async def test_a_point_read_runs_on_the_loops_thread_and_answers_the_same(engine):
    outside = await engine.run_querystring(q("SELECT id, name FROM item WHERE id = {}", 1))
    with point_reads():
        inside = await engine.run_querystring(q("SELECT id, name FROM item WHERE id = {}", 1))
    assert inside == outside == [{"id": 1, "name": "một"}]
    pool = await engine.pool()
    assert pool.here is not None
    pool.here.create_function("thread_id", 0, threading.get_ident)
    with point_reads():
        found = await engine.run_querystring(q("SELECT thread_id() AS t"))
    assert found == [{"t": threading.get_ident()}]
    with pytest.raises(sqlite3.OperationalError, match="no such function"):
        await engine.run_querystring(q("SELECT thread_id() AS t"))  # outside: on a reader


async def test_a_point_read_sees_what_was_just_written(engine):
    await engine.run_querystring(q("INSERT INTO item (name) VALUES ({})", "ba"))
    with point_reads():
        found = await engine.run_querystring(q("SELECT name FROM item WHERE name = {}", "ba"))
    assert found == [{"name": "ba"}]


async def test_writes_in_a_point_read_block_still_go_to_the_writer(engine):
    with point_reads():
        await engine.run_querystring(q("UPDATE item SET name = {} WHERE id = {}", "MỘT", 1))
        found = await engine.run_querystring(q("SELECT name FROM item WHERE id = {}", 1))
    assert found == [{"name": "MỘT"}]
    pool = await engine.pool()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        pool.here.execute("DELETE FROM item")  # the loop's connection cannot write at all


async def test_a_point_read_inside_a_transaction_reads_the_transaction(engine):
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.run_querystring(q("INSERT INTO item (name) VALUES ({})", "bốn"))
        with point_reads():
            found = await engine.run_querystring(q("SELECT count(*) AS n FROM item"))
        assert found == [{"n": 3}]  # the uncommitted row: the transaction's own connection
    pool = await engine.pool()
    assert pool.here is None


class _Locked:
    """A connection that finds the database locked, as the loop's connection may (it never
    waits)."""

    def __init__(self) -> None:
        self.calls = 0

    def execute(self, sql, args):
        self.calls += 1
        error = sqlite3.OperationalError("database is locked")
        error.sqlite_errorcode = sqlite3.SQLITE_BUSY
        raise error

    def close(self) -> None:
        pass


async def test_a_locked_point_read_runs_on_a_reader_instead(engine):
    pool = await engine.pool()
    pool.here = locked = _Locked()
    with point_reads():
        found = await engine.run_querystring(q("SELECT name FROM item WHERE id = {}", 2))
    assert found == [{"name": "hai"}]
    assert locked.calls == 1 and len(pool.readers) == 1


async def test_another_error_of_a_point_read_is_raised(engine):
    with point_reads(), pytest.raises(sqlite3.OperationalError, match="no such table"):
        await engine.run_querystring(q("SELECT * FROM ghost"))


async def test_by_index_marks_a_whole_coroutine_and_nothing_after_it(engine):
    @by_index
    async def read(item_id: int):
        return await engine.run_querystring(q("SELECT name FROM item WHERE id = {}", item_id))

    assert await read(1) == [{"name": "một"}]
    pool = await engine.pool()
    assert pool.here is not None and pool.readers == []
    await engine.run_querystring(q("SELECT name FROM item WHERE id = {}", 1))
    assert len(pool.readers) == 1  # outside, a reader again


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1", True),
        ("  with x as (select 1) select * from x", True),
        ("SELECT * FROM item; DELETE FROM item", False),
        ("INSERT INTO item (name) VALUES ('x') RETURNING id", False),
        ("UPDATE item SET name = 'x'", False),
        ("PRAGMA optimize", False),
        ("SELECT * FROM pragma_table_info('item')", False),
    ],
)
def test_what_a_reader_may_run(sql, expected):
    assert is_read_only(sql) is expected
