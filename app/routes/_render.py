"""Answers built the same way everywhere: a page or its fragment (decided from the HTMX request
headers), and a PDF file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from app.domain.uploads import EXTENSIONS
from app.services.files import dossier_attachment, read_blob

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


async def attachment_response(
    row: dict[str, Any] | None, filename: str, csp: str
) -> Response[bytes]:
    """A stored upload shown inline (404 when ``row`` is None): never cached, never sniffed,
    sandboxed by its own Content-Security-Policy."""
    if row is None:
        raise NotFoundException("Không tìm thấy tệp")
    ext = EXTENSIONS.get(row["media_type"], "bin")
    try:
        content = await read_blob(row["sha256"])
    except FileNotFoundError:  # the row outlived its file (a restore without MOTCUA_DATA_DIR)
        raise NotFoundException("Tệp này không còn trên máy chủ") from None
    return Response(
        content,
        media_type=row["media_type"],
        headers={
            "Content-Disposition": f'inline; filename="{filename}.{ext}"',
            "Cache-Control": PRIVATE,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": csp,
        },
    )


ATTACHMENT_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


async def dossier_attachment_response(dossier_id: int, token: str) -> Response[bytes]:
    """An attachment of this dossier, for its citizen or the desk (the caller checks which)."""
    row = await dossier_attachment(dossier_id, token)
    return await attachment_response(row, row["field_key"] if row else "", ATTACHMENT_CSP)


async def form_values(request: Request) -> dict[str, str]:
    """The posted form's text fields (files left out)."""
    data = await request.form()
    return {k: v for k, v in data.items() if isinstance(v, str)}


def redirect_to(
    request: Request, name: str, query: str = "", fragment: str = "", **path_params: Any
) -> Redirect:
    """303 to the named route (post/redirect/get), with an optional query and fragment."""
    url = request.app.route_reverse(name, **path_params)
    url += f"?{query}" if query else ""
    url += f"#{fragment}" if fragment else ""
    return Redirect(url, status_code=303)
