"""One helper decides between a full page and a fragment, from the HTMX request headers."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template


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
