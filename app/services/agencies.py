"""Agency reference data: levels and the agency tree, upserted by key and code."""

from __future__ import annotations

from app.db import write_transaction
from app.domain import limits
from app.models import Agency, AgencyLevel


class AgencyDataInvalid(Exception):
    pass


async def load_agencies(document: dict) -> tuple[int, int]:
    """Upsert levels by key and agencies by code; parents must come before children."""
    levels = document.get("levels", [])
    agencies = document.get("agencies", [])
    async with write_transaction():
        for row in levels:
            await _upsert_level(row)
        level_ids = {r["key"]: r["id"] for r in await AgencyLevel.select().run()}
        codes = {r["code"]: r["id"] for r in await Agency.select(Agency.id, Agency.code).run()}
        for position, row in enumerate(agencies, start=1):
            values = _agency_values(position, row, level_ids, codes)
            codes[row["code"]] = await _upsert_agency(row["code"], values)
    return len(levels), len(agencies)


async def _upsert_level(row: dict) -> None:
    values = {
        "name": row["name"],
        "rank": int(row.get("rank", 0)),
        "is_active": bool(row.get("is_active", True)),
    }
    existing = await AgencyLevel.objects().where(AgencyLevel.key == row["key"]).first().run()
    if existing is None:
        existing = AgencyLevel(key=row["key"], **values)
    else:
        for key, value in values.items():
            setattr(existing, key, value)
    await existing.save().run()


def _agency_values(
    position: int, row: dict, level_ids: dict[str, int], codes: dict[str, int]
) -> dict:
    """The columns of the agency at ``position``; AgencyDataInvalid for a row that cannot be."""
    if row.get("level") not in level_ids:
        raise AgencyDataInvalid(f"cơ quan thứ {position}: cấp {row.get('level')!r} không có")
    long = limits.too_long(row, limits.AGENCY_FIELDS)
    if long:
        field, message = next(iter(long.items()))
        raise AgencyDataInvalid(f"cơ quan thứ {position}, trường {field!r}: {message}")
    parent = row.get("parent")
    if parent and parent not in codes:
        raise AgencyDataInvalid(f"cơ quan thứ {position}: cơ quan cha {parent!r} không có")
    return {
        "name": row["name"],
        "short_name": row.get("short_name", ""),
        "level": level_ids[row["level"]],
        "parent": codes.get(parent) if parent else None,
        "kind": row.get("kind", "peoples_committee"),
        "address": row.get("address", ""),
        "phone": row.get("phone", ""),
    }


async def _upsert_agency(code: str, values: dict) -> int:
    existing = await Agency.objects().where(Agency.code == code).first().run()
    if existing is None:
        existing = Agency(code=code, **values)
    else:
        for key, value in values.items():
            setattr(existing, key, value)
    await existing.save().run()
    return existing.id


async def agency_name(agency_id: int) -> str:
    row = await Agency.select(Agency.name).where(Agency.id == agency_id).first().run()
    return row["name"] if row else ""


async def other_agencies(agency_id: int) -> list[dict]:
    """Every agency but this one (where a dossier can be transferred)."""
    return await Agency.select(Agency.id, Agency.name).where(Agency.id != agency_id).run()


async def agencies_by_code() -> list[dict]:
    return await Agency.select(Agency.code, Agency.name).order_by(Agency.code).run()
