"""Answers for a database that is momentarily busy: 503 with a page to send the form again.

SQLite answers "database is locked" when another writer holds the file longer than the busy
timeout; PostgreSQL aborts one of two conflicting transactions (serialization failure, deadlock).
Nothing was written in either case, so the same request can simply be sent again. A form's text
values come back as hidden fields with a "Gửi lại" button posting to the same address; files
cannot be put back into a page and must be chosen again.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any
from urllib.parse import parse_qsl

from asyncpg.exceptions import DeadlockDetectedError, SerializationError
from litestar import Request, Response
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.enums import RequestEncodingType
from litestar.response import Template
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

log = logging.getLogger("motcua")
BUSY_ERRORS = (sqlite3.OperationalError, SerializationError, DeadlockDetectedError)
RETRY_AFTER_SECONDS = "2"
CSRF_FIELD = "_csrf_token"


def is_busy(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        message = str(exc).lower()
        return "locked" in message or "busy" in message
    return isinstance(exc, SerializationError | DeadlockDetectedError)


def _submitted(request: Request) -> tuple[list[tuple[str, str]], bool]:
    """The text values of the form that was posted, and whether it carried files.

    Exception handlers are synchronous, so this reads the form the handler already parsed
    (Litestar keeps it in the scope), or the urlencoded body if only that was read.
    """
    if request.method != "POST":
        return [], False
    state = ScopeState.from_scope(request.scope)
    if state.form is not Empty:
        items = FormMultiDict.from_form_data(state.form).multi_items()
    elif state.body is not Empty and request.content_type[0] == RequestEncodingType.URL_ENCODED:
        items = parse_qsl(state.body.decode("utf-8", "replace"), keep_blank_values=True)
    else:
        return [], False
    values: list[tuple[str, str]] = []
    had_files = False
    for name, value in items:
        if isinstance(value, UploadFile):
            had_files = had_files or bool(value.filename)
        elif name != CSRF_FIELD:
            values.append((name, str(value)))
    return values, had_files


def database_busy(request: Request, exc: Exception) -> Response[Any] | None:
    """503 "Hệ thống đang bận" for a busy database; None for any other database error (the
    caller, app/errors.py, answers those with the 500 page)."""
    if not is_busy(exc):
        return None
    log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
    values, had_files = _submitted(request)
    content_type = request.headers.get("content-type", "")
    return Template(
        "pages/busy.html",
        context={
            "action": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            "is_post": request.method == "POST",
            "values": values,
            "had_files": had_files,
            "multipart": content_type.startswith("multipart/"),
        },
        status_code=503,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )
