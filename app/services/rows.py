"""Whole rows read by written-out statements, for the paths every request takes.

The query builder spends more building a select of the dossier's forty-odd columns than the
database spends running it; these statements are written once, from the tables' own column
lists, so they stay in step with the models."""

from __future__ import annotations

import json
from typing import Any

from piccolo.table import Table
from piccolo.utils.sql_values import convert_to_sql_value


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


def assignments(table: type[Table], values: dict[str, Any]) -> tuple[str, list[Any]]:
    """``"column" = {}, …`` for an UPDATE, and the values converted as the query builder
    converts them (JSON dumped, enums to their values)."""
    parts, args = [], []
    for name, value in values.items():
        column = table._meta.get_column_by_name(name)
        parts.append(f'"{column._meta.db_column_name}" = {{}}')
        args.append(convert_to_sql_value(value, column))
    return ", ".join(parts), args


def insert(table: type[Table], values: dict[str, Any]) -> tuple[str, list[Any]]:
    """An INSERT of one row of ``values`` (every column without a database default given)."""
    columns = [table._meta.get_column_by_name(name) for name in values]
    names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
    marks = ", ".join("{}" for _ in columns)
    args = [convert_to_sql_value(v, c) for v, c in zip(values.values(), columns, strict=True)]
    return f"INSERT INTO {table._meta.tablename} ({names}) VALUES ({marks})", args
