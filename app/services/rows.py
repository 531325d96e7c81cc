"""Whole rows read by written-out statements, for the paths every request takes.

The query builder spends more building a select of the dossier's forty-odd columns than the
database spends running it; these statements are written once, from the tables' own column
lists, so they stay in step with the models."""

from __future__ import annotations

import json
from typing import Any

from piccolo.table import Table


def columns_sql(table: type[Table], alias: str) -> str:
    """Every column of ``table`` as ``alias."column"``, named as the query builder names them."""
    return ", ".join(f'{alias}."{c._meta.db_column_name}"' for c in table._meta.columns)


def decoded(table: type[Table], row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its JSON columns decoded, as the query builder's ``load_json`` does."""
    for column in table._meta.json_columns:
        name = column._meta.db_column_name
        if isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    return row
