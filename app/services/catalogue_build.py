"""Building a catalogue snapshot from the database (app/services/catalogue.py caches it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date

from app.domain.search import Document, SearchIndex, fold
from app.models import (
    Agency,
    AgencyLevel,
    Component,
    Fee,
    Procedure,
    ProcedureLevel,
    ProcedureSector,
    Sector,
)
from app.services.catalogue_views import (
    Catalogue,
    LevelView,
    ProcedureView,
    SectorView,
    pack_details,
)

CHUNK = 500  # procedures read at a time while a snapshot is built


async def build_catalogue(version: int, on: date) -> Catalogue:
    levels = [
        LevelView(r["id"], r["key"], r["name"], r["rank"])
        for r in await AgencyLevel.select()
        .where(AgencyLevel.is_active == True)  # noqa: E712
        .order_by(AgencyLevel.rank)
        .run()
    ]
    sectors = [SectorView(r["id"], r["code"], r["name"]) for r in await Sector.select().run()]
    sectors.sort(key=lambda s: fold(s.name))
    procedures = await _procedure_views(on, {lv.id: lv for lv in levels}, sectors)
    by_sector: dict[str, set[int]] = defaultdict(set)
    by_level: dict[str, set[int]] = defaultdict(set)
    by_service_level: dict[int, set[int]] = defaultdict(set)
    for i, p in enumerate(procedures):
        for s in p.sectors:
            by_sector[s.code].add(i)
        for lv in p.levels:
            by_level[lv.key].add(i)
        by_service_level[p.service_level].add(i)
    return Catalogue(
        version=version,
        on=on,
        home_agency=await _home_agency(),
        procedures=procedures,
        sectors=[s for s in sectors if by_sector.get(s.code)],
        levels=levels,
        index=_search_index(procedures),
        by_code={p.code: p for p in procedures},
        by_slug={p.slug: p for p in procedures},
        by_sector=dict(by_sector),
        by_level=dict(by_level),
        by_service_level=dict(by_service_level),
        with_fee={i for i, p in enumerate(procedures) if p.has_fee},
    )


async def _procedure_views(
    on: date, level_by_id: dict[int, LevelView], sectors: list[SectorView]
) -> list[ProcedureView]:
    """The procedures in force on ``on``, by folded name, with their sectors, levels,
    components (packed with the details) and the fees valid that day. Rows are read a chunk
    at a time, so the decoded rows of the whole catalogue never sit in memory at once (a
    worker's heap stays near what the snapshot keeps)."""
    sector_by_id = {s.id: s for s in sectors}
    proc_sectors: dict[int, list[SectorView]] = defaultdict(list)
    for r in await ProcedureSector.select().order_by(ProcedureSector.position).run():
        proc_sectors[r["procedure"]].append(sector_by_id[r["sector"]])
    proc_levels: dict[int, list[LevelView]] = defaultdict(list)
    for r in await ProcedureLevel.select().run():
        if r["level"] in level_by_id:
            proc_levels[r["procedure"]].append(level_by_id[r["level"]])
    fees = await _fees_on(on)
    views = []
    async for rows, components in _procedure_chunks(on):
        for r in rows:
            packed = pack_details(r, components.get(r["id"], []))
            views.append(
                ProcedureView(
                    id=r["id"],
                    code=r["code"],
                    national_code=r["national_code"],
                    name=r["name"],
                    row=r,
                    sectors=proc_sectors[r["id"]],
                    levels=sorted(proc_levels[r["id"]], key=lambda lv: lv.rank),
                    packed=packed,
                    fees=fees[r["id"]],
                )
            )
    views.sort(key=lambda v: fold(v.name))
    _assign_slugs([v.row for v in views])
    return views


async def _procedure_chunks(on: date) -> AsyncIterator[tuple[list[dict], dict[int, list[dict]]]]:
    """The procedures in force on ``on`` by id, CHUNK at a time, with their components."""
    in_force = Procedure.valid_to.is_null() | (Procedure.valid_to >= on)
    last = 0
    while True:
        rows = (
            await Procedure.select()
            .where(in_force & (Procedure.id > last))
            .order_by(Procedure.id)
            .limit(CHUNK)
            .run()
        )
        if not rows:
            return
        first, last = rows[0]["id"], rows[-1]["id"]
        components: dict[int, list[dict]] = defaultdict(list)
        for r in (
            await Component.select()
            .where((Component.procedure >= first) & (Component.procedure <= last))
            .order_by(Component.procedure, Component.position)
            .run()
        ):
            components[r["procedure"]].append(r)
        yield rows, components


async def _fees_on(on: date) -> dict[int, list[dict]]:
    fees: dict[int, list[dict]] = defaultdict(list)
    rows = (
        await Fee.select()
        .where(
            (Fee.valid_from.is_null() | (Fee.valid_from <= on))
            & (Fee.valid_to.is_null() | (Fee.valid_to >= on))
        )
        .order_by(Fee.position)
        .run()
    )
    for r in rows:
        fees[r["procedure"]].append(r)
    return fees


def _search_index(procedures: list[ProcedureView]) -> SearchIndex:
    return SearchIndex.build(
        Document(
            key=i,
            title=p.name,
            body=" ".join([p.code, p.national_code or "", *(s.name for s in p.sectors)]),
            weight=p.usage_count,
        )
        for i, p in enumerate(procedures)
    )


async def _home_agency() -> str:
    root = (
        await Agency.select(Agency.name)
        .where(Agency.parent.is_null())
        .order_by(Agency.id)
        .first()
        .run()
    )
    return root["name"] if root else ""


def _assign_slugs(rows: list[dict]) -> None:
    """A procedure is addressed by its national code when no other procedure shares it (two
    local procedures may implement one national one); otherwise by its local id."""
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["national_code"]:
            counts[r["national_code"]] += 1
    for r in rows:
        code = r["national_code"]
        r["slug"] = code if code and counts[code] == 1 else r["code"]
