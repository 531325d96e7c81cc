"""The database's schema as sorted lines, independent of table and column order.

``python -m tests.integration.schema URL`` prints it, so two databases (before and after a
migration squash, see docs/operations.md) can be compared with ``diff``."""

from __future__ import annotations

import asyncio
import sqlite3
import sys

PG_COLUMNS = """
SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
FROM information_schema.columns WHERE table_schema = 'public'"""
PG_INDEXES = "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
PG_CONSTRAINTS = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'public'::regnamespace"""


def sqlite_schema(path: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        lines = []
        # sqlite_stat1 and the like are SQLite's own (ANALYZE, PRAGMA optimize), not the schema's
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith("sqlite_")
        ]
        for table in tables:
            for _, name, kind, notnull, default, pk in conn.execute(
                f'PRAGMA table_info("{table}")'
            ):
                lines.append(
                    f"column {table}.{name} {kind} notnull={notnull} default={default} pk={pk}"
                )
            for row in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                lines.append(
                    f"fk {table}.{row[3]} -> {row[2]}.{row[4]} update={row[5]} delete={row[6]}"
                )
            for _, index, unique, origin, _partial in conn.execute(f'PRAGMA index_list("{table}")'):
                columns = [r[2] for r in conn.execute(f'PRAGMA index_info("{index}")')]
                name = index if origin == "c" else f"({origin})"
                lines.append(f"index {table} {name} unique={unique} {columns}")
        return sorted(lines)
    finally:
        conn.close()


async def postgres_schema(url: str) -> list[str]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        lines = [f"column {r[0]}.{r[1]} {list(r)[2:]}" for r in await conn.fetch(PG_COLUMNS)]
        lines += [f"index {r[0]} {r[1]}" for r in await conn.fetch(PG_INDEXES)]
        lines += [f"constraint {r[0]} {r[1]} {r[2]}" for r in await conn.fetch(PG_CONSTRAINTS)]
        return sorted(lines)
    finally:
        await conn.close()


def schema(url: str) -> list[str]:
    if url.startswith("sqlite:///"):
        return sqlite_schema(url.removeprefix("sqlite:///"))
    return asyncio.run(postgres_schema(url))


if __name__ == "__main__":
    print("\n".join(schema(sys.argv[1])))
