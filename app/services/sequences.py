"""Atomic counters in the database (dossier codes per agency and day, fee receipt numbers)."""

from __future__ import annotations

from app.models import DossierSequence


async def next_value(key: str) -> int:
    """The next value of counter ``key``: one statement, safe under concurrent callers."""
    rows = await DossierSequence.raw(
        "INSERT INTO dossier_sequence (key, last_value) VALUES ({}, 1) "
        "ON CONFLICT (key) DO UPDATE SET last_value = dossier_sequence.last_value + 1 "
        "RETURNING last_value",
        key,
    ).run()
    return rows[0]["last_value"]
