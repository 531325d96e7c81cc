"""Refuse requests whose Host header is not one of the portal's own names (400)."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from app.domain.addresses import host_allowed
from app.settings import get_settings

BODY = "Yêu cầu không hợp lệ: tên miền không thuộc cổng dịch vụ công này.".encode()


def allowed_hosts_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            host = headers.get(b"host", b"").decode("latin-1")
            if not host_allowed(host, get_settings().allowed_hosts):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": BODY})
                return
        await app(scope, receive, send)

    return middleware
