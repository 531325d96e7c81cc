"""Finding dossiers by a fragment of the applicant's name or of the dossier code.

A fragment matches where it occurs anywhere in the folded name (``applicant_search``: lower
case, no diacritics, single spaces) or in the code, the same on both databases:

- **SQLite**: an FTS5 table ``dossier_search(name, code)`` with the trigram tokenizer, one row
  per non-draft dossier (``rowid`` = dossier id), written by :func:`record` in the transaction
  of each transition;
- **PostgreSQL**: ``pg_trgm`` GIN indexes on ``dossier.applicant_search`` and ``dossier.code``,
  used by ``LIKE '%…%'``; nothing to maintain.

Fragments shorter than three characters (a trigram index cannot help) fall back to ``LIKE`` on
the dossier's columns, which gives the same answers, only without the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.dossier_codes import normalize_code
from app.domain.search import fold
from app.models import Dossier

TRIGRAM = 3


@dataclass(frozen=True)
class Fragment:
    name: str  # folded, single spaces
    code: str  # upper case, no spaces

    @property
    def indexed(self) -> bool:
        """True when the trigram index can answer (both parts at least three characters)."""
        return len(self.name) >= TRIGRAM and len(self.code) >= TRIGRAM


def fragment(text: str) -> Fragment:
    return Fragment(" ".join(fold(text).split()), normalize_code(text))


def is_postgres() -> bool:
    from app.settings import get_settings

    return get_settings().is_postgres


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_query(frag: Fragment) -> str:
    """The FTS5 MATCH expression: the name column contains one phrase, or the code the other."""

    def phrase(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    return f"name : {phrase(frag.name)} OR code : {phrase(frag.code)}"


def like_condition(frag: Fragment, alias: str = "dossier") -> tuple[str, list[Any]]:
    """SQL (with ``{}`` placeholders) true for a dossier row whose name or code contains the
    fragment, by ``LIKE`` — on PostgreSQL this is what the trigram indexes answer."""
    # Backslash escapes: PostgreSQL's default (an explicit ESCAPE would hide the pattern from
    # the trigram index's planner), SQLite's only when asked.
    escape = "" if is_postgres() else " ESCAPE '\\'"
    sql = f"({alias}.applicant_search LIKE {{}}{escape} OR {alias}.code LIKE {{}}{escape})"
    return sql, [like_pattern(frag.name), like_pattern(frag.code)]


def match_condition(frag: Fragment, id_sql: str = "dossier.id") -> tuple[str, list[Any]]:
    """SQL true for the dossiers matching the fragment, through the trigram index when it can:
    an ``IN`` over the FTS5 table on SQLite, the ``LIKE`` the GIN indexes serve on PostgreSQL.
    ``id_sql`` names the dossier id column in the caller's query."""
    if is_postgres() or not frag.indexed:
        alias = id_sql.rsplit(".", 1)[0]
        return like_condition(frag, alias)
    return (
        f"{id_sql} IN (SELECT rowid FROM dossier_search WHERE dossier_search MATCH {{}})",
        [fts_query(frag)],
    )


async def matches_at_least(frag: Fragment, limit: int) -> bool:
    """Whether ``limit`` dossiers or more match (drafts included): reads at most ``limit``
    entries of the index, so it is cheap whatever the number of matches."""
    if is_postgres() or not frag.indexed:
        sql, args = like_condition(frag, "d")
        query = f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM dossier d WHERE {sql} LIMIT {{}}) x"
    else:
        query = (
            "SELECT COUNT(*) AS n FROM (SELECT rowid FROM dossier_search "
            "WHERE dossier_search MATCH {} LIMIT {}) x"
        )
        args = [fts_query(frag)]
    rows = await Dossier.raw(query, *args, limit).run()
    return rows[0]["n"] >= limit


def _text(row: dict[str, Any] | None) -> tuple[str, str] | None:
    if row is None:
        return None
    return (row.get("applicant_search") or "", row.get("code") or "")


async def record(before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Keep the SQLite search row of a dossier: ``before``/``after`` are None while the dossier
    is not searchable (a draft). Called by :func:`app.services.queue_index.record`."""
    if is_postgres():
        return
    old, new = _text(before), _text(after)
    if old == new:
        return
    dossier_id = (after or before or {})["id"]
    if old is not None:
        await Dossier.raw("DELETE FROM dossier_search WHERE rowid = {}", dossier_id).run()
    if new is not None:
        await Dossier.raw(
            "INSERT INTO dossier_search (rowid, name, code) VALUES ({}, {}, {})",
            dossier_id,
            *new,
        ).run()


async def rebuild() -> None:
    """Fill the SQLite search table from ``dossier`` (inside the caller's transaction)."""
    if is_postgres():
        return
    from app.db import DB

    await DB.run_ddl("DELETE FROM dossier_search")
    await DB.run_ddl(
        "INSERT INTO dossier_search (rowid, name, code) "
        "SELECT id, applicant_search, COALESCE(code, '') FROM dossier WHERE status <> 'draft'"
    )
