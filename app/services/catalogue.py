"""The catalogue as read by the public pages: an immutable snapshot cached per process.

The snapshot is rebuilt when the ``catalogue_state.version`` row changes (every import bumps
it) or the day changes (fees have validity dates). The version is checked at most every
``MOTCUA_CATALOGUE_CACHE_SECONDS``, so a page costs no query at all in the common case, and
every worker on every machine sees an import within that many seconds.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from app.domain.search import Document, SearchIndex, fold
from app.models import (
    Agency,
    AgencyLevel,
    CatalogueState,
    Component,
    Fee,
    Procedure,
    ProcedureLevel,
    ProcedureSector,
    Sector,
)
from app.settings import get_settings

PAGE_SIZE = 20
RESULT_CACHE_SIZE = 512

log = logging.getLogger("motcua.catalogue")


@dataclass(frozen=True)
class SectorView:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class LevelView:
    id: int
    key: str
    name: str
    rank: int


@dataclass
class ProcedureView:
    id: int
    code: str
    national_code: str | None
    name: str
    row: dict
    sectors: list[SectorView]
    levels: list[LevelView]
    components: list[dict]
    fees: list[dict]
    # Markup rendered from this procedure alone (its catalogue list item), kept with the snapshot.
    rendered: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __getattr__(self, name: str):
        try:
            return self.row[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def slug(self) -> str:
        """The procedure's address: its national code when it has its own, else the local id."""
        return self.row.get("slug") or self.code

    @property
    def is_online(self) -> bool:
        """Whether a dossier can be submitted on this portal (toàn trình or một phần)."""
        return self.service_level >= 3

    @property
    def has_fee(self) -> bool:
        return any(f["amount_vnd"] != 0 for f in self.fees)

    @property
    def forms(self) -> list[dict]:
        return [c for c in self.components if c["template"]]


@dataclass(frozen=True)
class Filters:
    q: str = ""
    sector: str = ""
    level: str = ""
    service_level: int | None = None
    fee: str = ""  # "" | "co" | "mien"
    page: int = 1

    def query(self, page: int | None = None) -> str:
        """The query string of these filters, for links that keep them (page may change)."""
        params = {
            "q": self.q,
            "linh_vuc": self.sector,
            "cap": self.level,
            "muc_do": self.service_level or "",
            "phi": self.fee,
            "trang": page if page and page > 1 else "",
        }
        return "?" + urlencode({k: v for k, v in params.items() if v})

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.sector or self.level or self.service_level or self.fee)


@dataclass
class Page:
    items: list[ProcedureView]
    total: int
    page: int
    pages: int
    # When nothing matched: a corrected query ("" if none) and procedures to offer instead.
    suggestion: str = ""
    suggested: list[ProcedureView] = field(default_factory=list)


@dataclass
class Catalogue:
    version: int
    on: date
    home_agency: str
    procedures: list[ProcedureView]
    sectors: list[SectorView]
    levels: list[LevelView]
    index: SearchIndex = field(repr=False)
    by_code: dict[str, ProcedureView] = field(repr=False)
    by_sector: dict[str, set[int]] = field(repr=False)
    by_level: dict[str, set[int]] = field(repr=False)
    by_service_level: dict[int, set[int]] = field(repr=False, default_factory=dict)
    with_fee: set[int] = field(repr=False, default_factory=set)
    by_slug: dict[str, ProcedureView] = field(repr=False, default_factory=dict)
    _results: dict[tuple, list[int]] = field(repr=False, default_factory=dict)
    # Markup that depends on this snapshot alone (filter options), rendered once.
    rendered: dict[tuple, str] = field(repr=False, default_factory=dict)

    def get(self, code: str) -> ProcedureView | None:
        """A procedure by its national code (its address) or its local id."""
        return self.by_slug.get(code) or self.by_code.get(code)

    def most_used(self, n: int = 6) -> list[ProcedureView]:
        return sorted(self.procedures, key=lambda p: (-p.usage_count, p.name))[:n]

    def grouped_by_sector(self) -> list[tuple[SectorView, list[ProcedureView]]]:
        return [
            (s, [self.procedures[i] for i in sorted(self.by_sector.get(s.code, ()))])
            for s in self.sectors
            if self.by_sector.get(s.code)
        ]

    def count_by_level(self) -> list[tuple[LevelView, int]]:
        return [(lv, len(self.by_level.get(lv.key, ()))) for lv in self.levels]

    def _candidates(self, filters: Filters) -> set[int] | None:
        sets: list[set[int]] = []
        if filters.sector:
            sets.append(self.by_sector.get(filters.sector, set()))
        if filters.level:
            sets.append(self.by_level.get(filters.level, set()))
        if filters.service_level:
            sets.append(self.by_service_level.get(filters.service_level, set()))
        if filters.fee == "co":
            sets.append(self.with_fee)
        elif filters.fee == "mien":
            sets.append(set(range(len(self.procedures))) - self.with_fee)
        if not sets:
            return None
        return set.intersection(*sorted(sets, key=len))

    def _ordered(self, filters: Filters) -> list[int]:
        """Every match, best first; the last RESULT_CACHE_SIZE answers are kept with the
        snapshot (they are as immutable as it is)."""
        key = (filters.q, filters.sector, filters.level, filters.service_level, filters.fee)
        found = self._results.get(key)
        if found is None:
            found = self.index.search(filters.q, self._candidates(filters))
            if len(self._results) >= RESULT_CACHE_SIZE:
                self._results.pop(next(iter(self._results)))
            self._results[key] = found
        return found

    def search(self, filters: Filters) -> Page:
        keys = self._ordered(filters)
        pages = max(1, math.ceil(len(keys) / PAGE_SIZE))
        page = min(max(1, filters.page), pages)
        start = (page - 1) * PAGE_SIZE
        items = [self.procedures[k] for k in keys[start : start + PAGE_SIZE]]
        result = Page(items, len(keys), page, pages)
        if not keys:
            self._suggest(filters, result)
        return result

    def _suggest(self, filters: Filters, result: Page) -> None:
        """Nothing matched: the closest spelling and what it finds, else the most used."""
        fixed, keys = (
            self.index.suggest(filters.q, self._candidates(filters)) if filters.q else ("", [])
        )
        result.suggestion = fixed if keys else ""
        result.suggested = [self.procedures[k] for k in keys[:5]] or self.most_used(5)


async def _version() -> int:
    row = await CatalogueState.select(CatalogueState.version).first().run()
    return row["version"] if row else 0


async def build_catalogue(version: int, on: date) -> Catalogue:
    levels = [
        LevelView(r["id"], r["key"], r["name"], r["rank"])
        for r in await AgencyLevel.select()
        .where(AgencyLevel.is_active == True)  # noqa: E712
        .order_by(AgencyLevel.rank)
        .run()
    ]
    level_by_id = {lv.id: lv for lv in levels}
    sectors = [SectorView(r["id"], r["code"], r["name"]) for r in await Sector.select().run()]
    sectors.sort(key=lambda s: fold(s.name))
    sector_by_id = {s.id: s for s in sectors}
    rows = (
        await Procedure.select()
        .where(Procedure.valid_to.is_null() | (Procedure.valid_to >= on))
        .order_by(Procedure.name)
        .output(load_json=True)
        .run()
    )
    proc_sectors: dict[int, list[SectorView]] = defaultdict(list)
    for r in await ProcedureSector.select().order_by(ProcedureSector.position).run():
        proc_sectors[r["procedure"]].append(sector_by_id[r["sector"]])
    proc_levels: dict[int, list[LevelView]] = defaultdict(list)
    for r in await ProcedureLevel.select().run():
        if r["level"] in level_by_id:
            proc_levels[r["procedure"]].append(level_by_id[r["level"]])
    components: dict[int, list[dict]] = defaultdict(list)
    for r in await Component.select().order_by(Component.position).output(load_json=True).run():
        components[r["procedure"]].append(r)
    fees: dict[int, list[dict]] = defaultdict(list)
    fee_rows = (
        await Fee.select()
        .where(
            (Fee.valid_from.is_null() | (Fee.valid_from <= on))
            & (Fee.valid_to.is_null() | (Fee.valid_to >= on))
        )
        .order_by(Fee.position)
        .run()
    )
    for r in fee_rows:
        fees[r["procedure"]].append(r)
    rows.sort(key=lambda r: fold(r["name"]))
    _assign_slugs(rows)
    procedures = [
        ProcedureView(
            id=r["id"],
            code=r["code"],
            national_code=r["national_code"],
            name=r["name"],
            row=r,
            sectors=proc_sectors[r["id"]],
            levels=sorted(proc_levels[r["id"]], key=lambda lv: lv.rank),
            components=components[r["id"]],
            fees=fees[r["id"]],
        )
        for r in rows
    ]
    by_sector: dict[str, set[int]] = defaultdict(set)
    by_level: dict[str, set[int]] = defaultdict(set)
    by_service_level: dict[int, set[int]] = defaultdict(set)
    for i, p in enumerate(procedures):
        for s in p.sectors:
            by_sector[s.code].add(i)
        for lv in p.levels:
            by_level[lv.key].add(i)
        by_service_level[p.service_level].add(i)
    index = SearchIndex.build(
        Document(
            key=i,
            title=p.name,
            body=" ".join([p.code, p.national_code or "", *(s.name for s in p.sectors)]),
            weight=p.usage_count,
        )
        for i, p in enumerate(procedures)
    )
    root = (
        await Agency.select(Agency.name)
        .where(Agency.parent.is_null())
        .order_by(Agency.id)
        .first()
        .run()
    )
    return Catalogue(
        version=version,
        on=on,
        home_agency=root["name"] if root else "",
        procedures=procedures,
        sectors=[s for s in sectors if by_sector.get(s.code)],
        levels=levels,
        index=index,
        by_code={p.code: p for p in procedures},
        by_slug={p.slug: p for p in procedures},
        by_sector=dict(by_sector),
        by_level=dict(by_level),
        by_service_level=dict(by_service_level),
        with_fee={i for i, p in enumerate(procedures) if p.has_fee},
    )


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


class CatalogueCache:
    """Read-through cache of the catalogue snapshot for this process.

    Once the snapshot is older than ``max_age`` the next request starts a check of the version
    row in the background and is answered from the snapshot at once: under load a database
    round trip can take a few hundred milliseconds (every step waits its turn on a busy event
    loop), and no visitor should wait for it. A request waits only when there is no snapshot
    for today yet, or after :meth:`invalidate` (an import in this process).
    """

    def __init__(self, max_age: float):
        self.max_age = max_age
        self._catalogue: Catalogue | None = None
        self._checked_at = -math.inf
        self._must_check = True
        self._lock = asyncio.Lock()
        self._check: asyncio.Task[Catalogue] | None = None

    def invalidate(self) -> None:
        self._must_check = True

    async def get(self, today: date | None = None) -> Catalogue:
        today = today or date.today()
        current = self._catalogue
        if current is not None and current.on == today and not self._must_check:
            stale = time.monotonic() - self._checked_at >= self.max_age
            if stale and (self._check is None or self._check.done()):
                self._check = asyncio.create_task(self._refresh(today))
                self._check.add_done_callback(_log_failure)
            return current
        return await self._refresh(today)

    async def settled(self) -> Catalogue | None:
        """Wait for a background check, if one is running (tests use this)."""
        if self._check is not None:
            await asyncio.gather(self._check, return_exceptions=True)
        return self._catalogue

    async def _refresh(self, today: date) -> Catalogue:
        async with self._lock:
            current = self._catalogue
            fresh = time.monotonic() - self._checked_at < self.max_age
            if current is not None and current.on == today and fresh and not self._must_check:
                return current  # checked while this one waited for the lock
            self._must_check = False
            version = await _version()
            if current is None or current.version != version or current.on != today:
                self._catalogue = await build_catalogue(version, today)
                # The snapshot lives until the next import: keep the cyclic garbage collector
                # from walking its objects again and again (full collections of a large heap
                # showed up as 100–200 ms pauses under load).
                gc.freeze()
            self._checked_at = time.monotonic()
            return self._catalogue


def _log_failure(task: asyncio.Task[Catalogue]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("catalogue version check failed", exc_info=task.exception())


_cache: CatalogueCache | None = None


def catalogue_cache() -> CatalogueCache:
    global _cache
    if _cache is None:
        _cache = CatalogueCache(get_settings().catalogue_cache_seconds)
    return _cache


async def get_catalogue() -> Catalogue:
    return await catalogue_cache().get()


def home_agency() -> str:
    """The province's name from this process's snapshot ("" before the first one is built)."""
    snapshot = catalogue_cache()._catalogue
    return snapshot.home_agency if snapshot else ""
