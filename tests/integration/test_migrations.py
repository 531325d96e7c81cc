"""The migrations build exactly the tables the models define, and every one says what it does."""

import importlib
import os
from pathlib import Path

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
