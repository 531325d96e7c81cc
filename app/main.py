"""Application factory: create_app() lists the audience routers, the plugins and the hooks.

What they do lives beside this module: app/routes/audiences.py (one router per audience, with
its guard), app/security.py (CSRF, security headers), app/lifespan.py (database pool and the
background loops), app/errors.py (every error as a Vietnamese page), app/templating.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.types import ControllerRouterHandler

from app import memory, security, templating
from app.errors import EXCEPTION_HANDLERS
from app.input_guard import InputGuard, SafeRequest
from app.lifespan import database
from app.routes import audiences
from app.routes._guards import load_account
from app.routes._hosts import allowed_hosts_middleware
from app.settings import check as check_settings
from app.settings import get_settings

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def create_app(extra_route_handlers: Sequence[ControllerRouterHandler] = ()) -> Litestar:
    settings = get_settings()
    check_settings(settings)  # an unsafe configuration never serves a request
    memory.limit_arenas(settings.malloc_arenas)
    return Litestar(
        route_handlers=[
            audiences.public(),
            audiences.citizen(),
            audiences.desk(),
            audiences.admin(),
            audiences.payments(sandbox=settings.sandbox_gateway),
            *extra_route_handlers,
        ],
        template_config=templating.template_config(TEMPLATE_DIR),
        csrf_config=security.csrf_config(),
        compression_config=CompressionConfig(
            backend="gzip", gzip_compress_level=6, minimum_size=500, exclude="^/static/"
        ),
        plugins=[HTMXPlugin()],
        lifespan=[database],
        before_request=load_account,
        before_send=[security.before_send],
        middleware=[allowed_hosts_middleware, InputGuard()],
        request_class=SafeRequest,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=None,
        request_max_body_size=settings.max_request_bytes,
    )
