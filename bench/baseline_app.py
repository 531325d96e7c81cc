"""The app plus one route that renders the catalogue page from data already in memory.

``/_bench/thu-tuc-memory`` renders the same template as ``GET /thu-tuc`` with the same context
objects (the catalogue snapshot, ``Filters()`` and its search result), but computes them once,
at its first request, and keeps them in a module global: no catalogue lookup, no search and no
database access per request. Everything else (routing, CSRF cookie, session hook, gzip, security
headers) is the real app's, so ``/thu-tuc`` ÷ this route measures what the data path costs.

Serve with ``uvicorn --factory bench.baseline_app:create_bench_app`` from the project root.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, MediaType, Request, get
from litestar.response import Template

from app.main import create_app
from app.services.catalogue import Filters, get_catalogue

MEMORY_PATH = "/_bench/thu-tuc-memory"
PING_PATH = "/_bench/ping"

_context: dict[str, Any] | None = None


@get(MEMORY_PATH, name="bench.catalogue_memory", include_in_schema=False)
async def catalogue_from_memory(request: Request) -> Template:
    global _context
    if _context is None:
        catalogue = await get_catalogue()
        filters = Filters()
        _context = {"catalogue": catalogue, "filters": filters, "result": catalogue.search(filters)}
    return Template(
        template_name="pages/public/catalogue.html",
        context=dict(_context),
        headers={"Vary": "HX-Request"},
    )


@get(PING_PATH, name="bench.ping", media_type=MediaType.TEXT, include_in_schema=False)
async def ping() -> str:
    """Readiness probe that touches neither the catalogue nor the database."""
    return "ok"


def create_bench_app() -> Litestar:
    return create_app(extra_route_handlers=[catalogue_from_memory, ping])
