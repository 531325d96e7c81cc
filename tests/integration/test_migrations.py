"""The migrations build exactly the tables the models define, and every one says what it does."""

import importlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from app.models import TABLES
from tests.integration.schema import schema

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_a_migrated_database_has_every_column_of_every_model_and_no_other(demo_db):
    found: dict[str, set[str]] = {}
    for line in schema(os.environ["MOTCUA_DATABASE_URL"]):
        kind, name = line.split(" ", 2)[:2]
        if kind == "column":
            table, column = name.split(".", 1)
            found.setdefault(table, set()).add(column)
    found.pop("migration", None)  # Piccolo's own record of what ran
    # SQLite's FTS5 index of names and codes (app/services/dossier_search.py): a virtual table and
    # the shadow tables SQLite keeps for it, created by a hand-written migration, not a model.
    fts = {t for t in found if t == "dossier_search" or t.startswith("dossier_search_")}
    if fts:
        assert found.pop("dossier_search") == {"name", "code"}
        for shadow in fts - {"dossier_search"}:
            found.pop(shadow)
    expected = {
        table._meta.tablename: {c._meta.db_column_name for c in table._meta.columns}
        for table in TABLES
    }
    assert found == expected


def test_every_migration_has_a_real_description_and_a_unique_id():
    ids = []
    for path in sorted(MIGRATIONS.glob("motcua_*.py")):
        module = importlib.import_module(f"migrations.{path.stem}")
        description = " ".join(module.DESCRIPTION.split())
        assert description not in ("", "True"), path.name
        assert len(description.split()) >= 4, path.name
        ids.append(module.ID)
    assert ids and len(ids) == len(set(ids))


RENAME = "motcua_2026_12_03t12_49_42_345815"
BEFORE_RENAME = "2026-12-03T09:40:00:000000"
RENAME_ID = "2026-12-03T12:49:42:345815"  # reversed back to and including the rename
OLD_ROW = "INSERT INTO payment (txn_ref, amount_vnd, receipt_series, receipt_number)"
NEW_ROW = "SELECT fee_receipt_series, fee_receipt_number FROM payment WHERE txn_ref = 'CU-1'"


def _piccolo(url: str, *args: str) -> None:
    env = {**os.environ, "MOTCUA_DATABASE_URL": url, "PICCOLO_CONF": "app.piccolo_conf"}
    piccolo = Path(sys.executable).with_name("piccolo")
    subprocess.run([str(piccolo), "migrations", *args], check=True, capture_output=True, env=env)


async def _sql(url: str, statement: str) -> list[tuple]:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            rows = conn.execute(statement).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()
    conn = await asyncpg.connect(url)
    try:
        return [tuple(r) for r in await conn.fetch(statement)]
    finally:
        await conn.close()


@pytest.fixture
async def scratch_url(tmp_path):
    """An empty database of the same kind as the suite's, dropped afterwards."""
    url = os.environ["MOTCUA_DATABASE_URL"]
    if url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'rename.sqlite3'}"
        return
    name = url.rsplit("/", 1)[1] + "_rename"
    await _sql(url, f"DROP DATABASE IF EXISTS {name}")
    await _sql(url, f"CREATE DATABASE {name}")
    yield url.rsplit("/", 1)[0] + "/" + name
    await _sql(url, f"DROP DATABASE IF EXISTS {name}")


async def test_the_fee_receipt_rename_keeps_the_numbers_already_issued(scratch_url):
    assert (MIGRATIONS / f"{RENAME}.py").exists()
    _piccolo(scratch_url, "forwards", "motcua", f"--migration_id={BEFORE_RENAME}")
    await _sql(scratch_url, f"{OLD_ROW} VALUES ('CU-1', 50000, '000.00.32.H99/2026', 17)")
    _piccolo(scratch_url, "forwards", "motcua")
    assert await _sql(scratch_url, NEW_ROW) == [("000.00.32.H99/2026", 17)]
    _piccolo(scratch_url, "backwards", "motcua", f"--migration_id={RENAME_ID}", "--auto_agree")
    old = "SELECT receipt_series, receipt_number FROM payment WHERE txn_ref = 'CU-1'"
    assert await _sql(scratch_url, old) == [("000.00.32.H99/2026", 17)]
