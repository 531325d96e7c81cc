"""Which statements are point reads (app/sqlite_engine.py: on SQLite they run on the event
loop's own thread, so nothing that may scan belongs there). The mark is read where every
statement passes (the engine's ``run_querystring``), on either database."""

import pytest
from piccolo.querystring import QueryString

from app.db import DB
from app.services import tracking
from app.sqlite_engine import _POINT_READS
from tests.integration.builders import Clients
from tests.integration.builders_notifications import submitted_dossier


@pytest.fixture
async def clients(demo_db):
    made = Clients()
    yield made
    await made.aclose()


@pytest.fixture
def marked(monkeypatch):
    """(statement, whether it ran as a point read) for every statement from now on."""
    seen: list[tuple[str, bool]] = []
    original = type(DB).run_querystring

    async def spy(engine, querystring, *args, **kwargs):
        sql = querystring.compile_string(engine_type=engine.engine_type)[0]
        seen.append((" ".join(sql.split()), _POINT_READS.get()))
        return await original(engine, querystring, *args, **kwargs)

    monkeypatch.setattr(type(DB), "run_querystring", spy)
    return seen


async def test_a_tracking_look_up_is_point_reads_only(demo_db, marked):
    dossier = await submitted_dossier("0904000021", "point21@example.com")
    marked.clear()
    assert await tracking.look_up(dossier["code"], "0021", "198.51.100.21") is not None
    assert len(marked) == 2 and all(point for _, point in marked), marked
    marked.clear()
    assert await tracking.by_signed_link(dossier["code"]) is not None
    assert marked and all(point for _, point in marked), marked


async def test_the_desk_queue_is_point_reads_and_its_search_and_filters_are_not(clients, marked):
    desk = await clients.officer("tiepnhan.hoabinh")
    for path in ("/mot-cua", "/mot-cua?hang=qua-han"):
        await desk.get(path)  # the catalogue snapshot and the calendar are built by then
        marked.clear()
        assert (await desk.get(path)).status_code == 200
        reads = [(sql, point) for sql, point in _own(marked) if sql.upper().startswith("SELECT")]
        assert len(reads) == 4 and all(point for _, point in reads), reads
    for path in ("/mot-cua?q=nguyen", "/mot-cua?hang=dang-xu-ly&kenh=online"):
        marked.clear()
        assert (await desk.get(path)).status_code == 200
        session, *rest = _own(marked)  # who is asking: by the token's digest, a point read
        assert "web_session" in session[0] and session[1]
        assert rest and not any(point for _, point in rest), rest


def _own(marked: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """The request's own statements: the catalogue's version is checked by a background task
    once the snapshot is older than its maximum age (every request in the tests), and that
    check is a point read too."""
    version = [point for sql, point in marked if '"catalogue_state"' in sql]
    assert all(version), marked
    return [(sql, point) for sql, point in marked if '"catalogue_state"' not in sql]


async def test_nothing_outside_a_marked_call_is_a_point_read(demo_db, marked):
    dossier = await submitted_dossier("0904000022", "point22@example.com")
    assert await tracking.look_up(dossier["code"], "0022", "198.51.100.22") is not None
    marked.clear()
    await DB.run_querystring(QueryString("SELECT 1"))
    assert marked == [("SELECT 1", False)]
