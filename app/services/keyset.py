"""Keyset pagination: a page starts after the last row of the previous one, never at an OFFSET.

A desk list is ordered by ``(priority_rank, <a timestamp>, dossier)``, all ascending (rank 0 =
priority first), which is the order of the list's index. The cursor of the next page is that
triple of the page's last row, in an opaque URL-safe string::

    cursor = encode(Key(rank, at, dossier_id))   # → "WzEsIjIwMjYtMTIt…"
    key = decode(cursor)                          # → Key, or None for anything malformed

:func:`after_sql` gives the condition "strictly after this key" for one rank of the index; the
page query is the UNION ALL of rank 0 and rank 1, each one range of the index (see
``app/services/desk.py``). Cost per page: the rows read, whatever the page number.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Key:
    rank: int  # 0 priority, 1 other
    at: datetime
    dossier: int


def encode(key: Key) -> str:
    raw = json.dumps([key.rank, key.at.isoformat(), key.dossier], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str | None) -> Key | None:
    """The key in a cursor; None (start from the first page) for an empty or forged one."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        rank, at, dossier = json.loads(raw)
        when = datetime.fromisoformat(at)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    if rank not in (0, 1) or not isinstance(dossier, int) or when.tzinfo is None:
        return None
    return Key(rank, when, dossier)


def ranks_after(key: Key | None) -> list[int]:
    """The priority ranks a page after ``key`` still has to read."""
    return [0, 1] if key is None or key.rank == 0 else [1]


def after_sql(key: Key | None, rank: int, column: str, id_column: str) -> tuple[str, list]:
    """SQL (``{}`` placeholders) for "after ``key``" within one rank: empty when the whole
    rank comes after the key."""
    if key is None or key.rank != rank:
        return "", []
    return f" AND ({column}, {id_column}) > ({{}}, {{}})", [key.at, key.dossier]


def key_of(row: dict, at_field: str = "k_at") -> Key:
    """The key of a row the page query returned (``k_rank``, ``k_at``, ``id``)."""
    at = row[at_field]
    if isinstance(at, str):  # SQLite gives the stored text when it cannot see the column type
        at = datetime.fromisoformat(at)
    return Key(int(row["k_rank"]), at, int(row["id"]))
