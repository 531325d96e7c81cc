"""Where a page's time goes: replay it in-process and time every SQL statement the app runs.

``python -m bench._querytime SPEC.json`` with the MOTCUA_* environment of a database. SPEC:
``{"session": TOKEN, "repeat": N, "pages": [[key, label, [path, …], logged_in], …]}``. Each
page is
requested once to warm up, then N times one after the other (cycling through its paths) through
``httpx.ASGITransport`` — the real app from ``create_app()``, no network, no concurrency — with
the officer's session cookie when ``logged_in``. The engine's ``run_querystring`` is wrapped
(in this process only) so each statement's wall time is recorded: for SQLite that includes
opening the connection Piccolo makes per statement. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


async def replay(spec: dict[str, Any]) -> dict[str, Any]:
    import httpx
    from piccolo.querystring import QueryString

    from app.db import start_pool
    from app.main import create_app
    from app.piccolo_conf import DB
    from app.settings import get_settings

    settings = get_settings()
    app = create_app()
    records: list[tuple[str, float]] = []
    first_args: dict[str, list[Any]] = {}  # statement → the arguments of its first call
    engine_class = type(DB)  # the engine has __slots__: wrap the method on its class
    original = engine_class.run_querystring

    async def timed(engine: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        sql, sql_args = querystring.compile_string(engine_type=engine.engine_type)
        first_args.setdefault(" ".join(sql.split()), list(sql_args))
        started = time.perf_counter()
        try:
            return await original(engine, querystring, *args, **kwargs)
        finally:
            records.append((" ".join(sql.split()), (time.perf_counter() - started) * 1000))

    pool = settings.is_postgres and settings.db_pool
    if pool:
        await start_pool()  # as the app starts it
    engine_class.run_querystring = timed  # type: ignore[method-assign]
    try:
        # the cost of one trivial statement through the engine (connection handling included)
        trivial = []
        for _ in range(30):
            t0 = time.perf_counter()
            await original(DB, QueryString("SELECT 1"))
            trivial.append((time.perf_counter() - t0) * 1000)
        stock = await stock_engine_ms(settings)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        out = []
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            for key, label, paths, logged_in in spec["pages"]:
                client.cookies.clear()
                if logged_in:
                    client.cookies.set("motcua_session", spec["session"])
                resp = await client.get(paths[0])  # warm-up (catalogue snapshot, templates)
                if resp.status_code != 200:
                    out.append({"key": key, "label": label, "error": resp.status_code})
                    continue
                records.clear()
                total = 0.0
                statuses: dict[int, int] = defaultdict(int)
                n = spec["repeat"]
                for i in range(n):
                    t0 = time.perf_counter()
                    resp = await client.get(paths[i % len(paths)])
                    total += (time.perf_counter() - t0) * 1000
                    statuses[resp.status_code] += 1
                by_sql: dict[str, list[float]] = defaultdict(list)
                for sql, ms in records:
                    by_sql[sql].append(ms)
                top = sorted(
                    (
                        {
                            "sql": sql,
                            "calls": len(times) / n,
                            "mean_ms": sum(times) / len(times),
                            "ms": sum(times) / n,
                        }
                        for sql, times in by_sql.items()
                    ),
                    key=lambda s: -s["ms"],
                )
                plans = [
                    {"sql": s["sql"], "plan": await explain(s["sql"], first_args.get(s["sql"], []))}
                    for s in top[:2]
                ]
                out.append(
                    {
                        "key": key,
                        "label": label,
                        "plans": plans,
                        "request_ms": total / n,
                        "sql_ms": sum(ms for _, ms in records) / n,
                        "statements": len(records) / n,
                        "statuses": dict(statuses),
                        "top": top[:8],
                    }
                )
        return {
            "repeat": spec["repeat"],
            "trivial_statement_ms": sorted(trivial)[len(trivial) // 2],
            "trivial_statement_ms_stock": stock,
            "pages": out,
        }
    finally:
        engine_class.run_querystring = original  # type: ignore[method-assign]
        if pool:
            await DB.close_connection_pool()


async def stock_engine_ms(settings: Any) -> float | None:
    """The same trivial statement through Piccolo's own SQLiteEngine (a connection per
    statement), on the same file: the "before" of app/sqlite_engine.py. None on PostgreSQL."""
    if settings.is_postgres:
        return None
    from piccolo.engine.sqlite import SQLiteEngine
    from piccolo.querystring import QueryString

    engine = SQLiteEngine(path=str(settings.sqlite_path), timeout=10)
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        await engine.run_querystring(QueryString("SELECT 1"))
        times.append((time.perf_counter() - t0) * 1000)
    return sorted(times)[len(times) // 2]


async def explain(sql: str, args: list[Any]) -> list[str]:
    """The plan of one statement with the arguments it ran with (ANALYZE on PostgreSQL)."""
    from app.settings import get_settings

    settings = get_settings()
    if not sql.lstrip().upper().startswith("SELECT"):
        return []
    try:
        if settings.is_postgres:
            import asyncpg

            conn = await asyncpg.connect(settings.database_url)
            try:
                rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *args)
            finally:
                await conn.close()
            keep = ("(actual", "Filter:", "Rows Removed", "Index Cond", "Execution Time")
            lines = [r[0] for r in rows]
            return [line for line in lines if any(k in line for k in keep)][:14]
        import sqlite3

        import piccolo.engine.sqlite  # noqa: F401  (registers the adapters of datetimes, JSON…)

        with sqlite3.connect(settings.sqlite_path) as conn:
            rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()
        return [str(r[-1]) for r in rows]
    except Exception as exc:  # a plan is a nice-to-have
        return [f"(no plan: {type(exc).__name__}: {exc})"]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench._querytime SPEC.json", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text())
    print(json.dumps(asyncio.run(replay(spec))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
