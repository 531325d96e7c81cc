"""Writing a validated catalogue into the database, all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from app.db import write_transaction
from app.domain.catalogue_import import FeeRecord, ProcedureRecord, parse_catalogue
from app.domain.levels import service_level_for
from app.domain.search import tokens
from app.models import (
    AgencyLevel,
    CatalogueState,
    Component,
    Fee,
    Procedure,
    ProcedureLevel,
    ProcedureSector,
    Sector,
)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} thêm mới, {self.updated} cập nhật, {self.unchanged} không đổi"


def _content_hash(record: ProcedureRecord) -> str:
    payload = json.dumps(asdict(record), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _fee_key(fee: FeeRecord | dict) -> tuple:
    f = fee if isinstance(fee, dict) else asdict(fee)
    return (f["name"], f["kind"], f["amount_vnd"], f["unit"], f["channel"], f["note"])


async def import_catalogue(document: object, effective_on: date) -> ImportSummary:
    """Validate ``document`` fully, then upsert every procedure by code in one transaction.

    Fees that change are closed the day before ``effective_on`` and the new ones start that
    day, so a dossier can still be judged by the fees in force when it was received.
    """
    levels = {row["key"]: row["id"] for row in await AgencyLevel.select().run()}
    records = parse_catalogue(document, set(levels))
    summary = ImportSummary()
    async with write_transaction():
        sector_ids = await _ensure_sectors(records)
        for record in records:
            outcome = await _upsert_procedure(record, levels, sector_ids, effective_on)
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        await bump_catalogue_version()
    return summary


async def bump_catalogue_version() -> None:
    state = await CatalogueState.select(CatalogueState.id).first().run()
    if state is None:
        await CatalogueState.insert(CatalogueState(version=1)).run()
    else:
        await (
            CatalogueState.update({CatalogueState.version: CatalogueState.version + 1})
            .where(CatalogueState.id == state["id"])
            .run()
        )


async def _ensure_sectors(records: list[ProcedureRecord]) -> dict[str, int]:
    existing = {row["name"]: row["id"] for row in await Sector.select().run()}
    for record in records:
        for name, name_en in record.sectors:
            if name not in existing:
                sector = Sector(code="-".join(tokens(name))[:40], name=name, name_en=name_en)
                await sector.save().run()
                existing[name] = sector.id
    return existing


async def _upsert_procedure(
    record: ProcedureRecord, levels: dict[str, int], sector_ids: dict[str, int], today: date
) -> str:
    digest = _content_hash(record)
    current = await Procedure.objects().where(Procedure.code == record.code).first().run()
    if current is not None and current.content_hash == digest:
        return "unchanged"
    values = {**_procedure_values(record, today), "content_hash": digest}
    if current is None:
        procedure = Procedure(code=record.code, **values)
        await procedure.save().run()
        outcome = "created"
    else:
        procedure = current
        for key, value in values.items():
            setattr(procedure, key, value)
        procedure.revision = current.revision + 1
        await procedure.save().run()
        outcome = "updated"
    await _replace_parts(procedure.id, record, levels, sector_ids)
    await _replace_fees(procedure.id, record.fees, today)
    return outcome


def _procedure_values(record: ProcedureRecord, today: date) -> dict:
    """The procedure's own columns from its record (its content hash aside)."""
    has_forms = any(c.template for c in record.components)
    return {
        "national_code": record.national_code,
        "name": record.name,
        "name_en": record.name_en,
        "implementing_agency": record.implementing_agency,
        "applicants": record.applicants,
        "time_limit_value": record.time_limit_value,
        "time_limit_unit": record.time_limit_unit,
        "time_limit_text": record.time_limit_text,
        "max_working_days": record.max_working_days,
        "after_cutoff_next_day": record.after_cutoff_next_day,
        "steps": record.steps,
        "channels": record.channels,
        "conditions": record.conditions,
        "result": record.result,
        "legal_basis": record.legal_basis,
        "online_level": record.online_level.value,
        "service_level": record.service_level
        or int(service_level_for(record.online_level, has_forms)),
        "usage_count": record.usage_count,
        "form_schema": getattr(record, "form_schema", None),
        "is_approximate": record.is_approximate,
        "valid_from": record.valid_from or today,
        "valid_to": record.valid_to,
    }


async def _replace_parts(
    pid: int, record: ProcedureRecord, levels: dict[str, int], sector_ids: dict[str, int]
) -> None:
    """The procedure's sectors, levels and dossier components, replaced by the record's."""
    await ProcedureSector.delete().where(ProcedureSector.procedure == pid).run()
    await ProcedureLevel.delete().where(ProcedureLevel.procedure == pid).run()
    await Component.delete().where(Component.procedure == pid).run()
    for position, (name, _) in enumerate(record.sectors):
        await (
            ProcedureSector(procedure=pid, sector=sector_ids[name], position=position).save().run()
        )
    for key in record.levels:
        await ProcedureLevel(procedure=pid, level=levels[key]).save().run()
    if record.components:
        await Component.insert(
            *[
                Component(procedure=pid, position=i, **asdict(c))
                for i, c in enumerate(record.components)
            ]
        ).run()


async def _replace_fees(procedure_id: int, fees: list[FeeRecord], today: date) -> None:
    current = (
        await Fee.select()
        .where((Fee.procedure == procedure_id) & (Fee.valid_to.is_null() | (Fee.valid_to >= today)))
        .order_by(Fee.position)
        .run()
    )
    if [_fee_key(f) for f in current] == [_fee_key(f) for f in fees]:
        return
    for row in current:
        if row["valid_from"] is not None and row["valid_from"] >= today:
            await Fee.delete().where(Fee.id == row["id"]).run()
        else:
            await (
                Fee.update({Fee.valid_to: today - timedelta(days=1)})
                .where(Fee.id == row["id"])
                .run()
            )
    if fees:
        await Fee.insert(
            *[
                Fee(procedure=procedure_id, position=i, valid_from=today, **asdict(f))
                for i, f in enumerate(fees)
            ]
        ).run()
