"""Hostile input stops here, before any handler or database call.

- Path segments with control characters (NUL above all: PostgreSQL refuses it) and integer ids
  outside a 32-bit column's range answer 404: no such page can exist.
- Query strings with invalid UTF-8 answer 400; control characters are removed from their values.
- Form values (urlencoded and multipart) with invalid UTF-8 answer 400; control characters are
  removed from every text value, so no NUL reaches a column.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes, urlencode

from litestar.datastructures import FormMultiDict, UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, NotFoundException
from litestar.middleware import ASGIMiddleware
from litestar.plugins.htmx import HTMXRequest
from litestar.types import ASGIApp, Receive, Scope, Send

from app.domain.text import has_controls, strip_controls

MAX_ID = 2**31 - 1  # the largest value of the integer id columns on both databases
BAD_BYTES = (
    "Dữ liệu gửi lên có ký tự không hợp lệ (không phải mã UTF-8). Vui lòng quay lại, "
    "nhập lại bằng bàn phím tiếng Việt thông thường rồi gửi lại."
)


class BadEncoding(ClientException):
    status_code = 400


def _check_path(scope: Scope) -> None:
    path = scope.get("path", "")
    if has_controls(path) or "\ufffd" in path:
        raise NotFoundException("Không tìm thấy trang")
    for value in (scope.get("path_params") or {}).values():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            raise NotFoundException("Không tìm thấy trang")


def clean_query(raw: bytes) -> bytes:
    """The query string with control characters removed; BadEncoding for invalid UTF-8."""
    if not raw:
        return raw
    try:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise BadEncoding(BAD_BYTES) from exc
    cleaned = [(strip_controls(k), strip_controls(v)) for k, v in pairs]
    return raw if cleaned == pairs else urlencode(cleaned).encode()


class InputGuard(ASGIMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["type"] == "http":
            _check_path(scope)
            scope["query_string"] = clean_query(scope.get("query_string", b""))
        await next_app(scope, receive, send)


def _valid_urlencoded(body: bytes) -> None:
    for pair in body.split(b"&"):
        try:
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadEncoding(BAD_BYTES) from exc


def _clean(value: Any) -> Any:
    return strip_controls(value) if isinstance(value, str) else value


class SafeRequest(HTMXRequest):
    _clean_form: FormMultiDict | None = None

    """The app's request class: ``form()`` refuses invalid UTF-8 and strips control characters.

    The CSRF middleware reads the form through this class too, so it is the only way in."""

    async def form(self) -> FormMultiDict:
        if self._clean_form is not None:
            return self._clean_form
        content_type, _ = self.content_type
        if content_type == RequestEncodingType.URL_ENCODED:
            _valid_urlencoded(await self.body())
        try:
            parsed = await super().form()
        except UnicodeDecodeError as exc:
            raise BadEncoding(BAD_BYTES) from exc
        items = [
            (strip_controls(k), v if isinstance(v, UploadFile) else _clean(v))
            for k, v in parsed.multi_items()
        ]
        self._clean_form = FormMultiDict(items)
        return self._clean_form
