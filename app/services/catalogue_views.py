"""The catalogue snapshot's objects: procedures as pages read them, filters, result pages.

A procedure keeps its short columns (what a list item shows) as they are and its details (steps,
channels, conditions, legal basis, form schema, components) as one compressed JSON text,
decoded when a page reads them (see ``pack_details``)."""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from app.domain.search import SearchIndex

PAGE_SIZE = 20
RESULT_CACHE_SIZE = 512


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


# What a page about one procedure reads (its steps, channels, conditions, legal basis, form
# schema, components) is kept per procedure as one compressed JSON text and decoded when a page
# reads it; a list reads only the row's short fields. Decoded, 5,000 procedures' details took
# ~100 MiB of small objects in every worker (Vietnamese text is two bytes a character in Python).
JSON_COLUMNS = frozenset({"applicants", "steps", "channels", "legal_basis", "form_schema"})
DETAIL_COLUMNS = JSON_COLUMNS | {
    "conditions",
    "result",
    "time_limit_text",
    "implementing_agency",
    "name_en",
    "content_hash",
}


def pack_details(row: dict, components: list[dict]) -> bytes:
    """Take the detail columns out of ``row`` and return them with the components, packed."""
    details = {c: row.pop(c) for c in DETAIL_COLUMNS if c in row}
    for column in JSON_COLUMNS & details.keys():
        details[column] = _decoded(details[column])
    details["components"] = [{**c, "template": _decoded(c["template"])} for c in components]
    return zlib.compress(json.dumps(details, ensure_ascii=False).encode(), 6)


@lru_cache(maxsize=256)
def unpack_details(packed: bytes) -> dict[str, Any]:
    """The details of a procedure (the last pages' procedures stay decoded; read, never change)."""
    return json.loads(zlib.decompress(packed))


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@dataclass
class ProcedureView:
    id: int
    code: str
    national_code: str | None
    name: str
    row: dict  # the short columns (a list item's)
    sectors: list[SectorView]
    levels: list[LevelView]
    packed: bytes  # pack_details()
    fees: list[dict]
    # Markup rendered from this procedure alone (its catalogue list item), kept with the snapshot.
    rendered: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __getattr__(self, name: str):
        if name in self.row:
            return self.row[name]
        if name in DETAIL_COLUMNS:
            return unpack_details(self.packed).get(name)
        raise AttributeError(name)

    @property
    def components(self) -> list[dict]:
        return [dict(c) for c in unpack_details(self.packed)["components"]]

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

    @property
    def has_forms(self) -> bool:
        return any(c["template"] for c in unpack_details(self.packed)["components"])


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
