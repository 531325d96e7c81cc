"""Answers built the same way everywhere: a page or its fragment (decided from the HTMX request
headers), and a PDF file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from litestar import Request, Response
from litestar.response import Template

PRIVATE = "private, no-store"


def wants_fragment(request: Request) -> bool:
    """In-page swaps get the fragment; normal, boosted and history-restore requests the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(
    request: Request,
    page: str,
    fragment: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> Template:
    name = fragment if wants_fragment(request) else page
    return Template(
        template_name=name,
        context=context,
        status_code=status_code,
        headers={"Vary": "HX-Request"},
    )


async def pdf_response(
    draw: Callable[[], bytes], filename: str, cache_control: str = PRIVATE
) -> Response[bytes]:
    """A PDF download: drawn in a worker thread (drawing is CPU work), saved as ``filename``.
    Pages with one person's data stay out of every cache; a blank form may be cached."""
    body = await anyio.to_thread.run_sync(draw)
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": cache_control,
        },
    )
