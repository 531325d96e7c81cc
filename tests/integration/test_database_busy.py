"""A busy database (SQLite "database is locked", PostgreSQL serialization failure or deadlock)
answers 503 with a page that sends the same form again; other database errors stay a 500."""

import html
import re
import sqlite3
from typing import Annotated

import pytest
from asyncpg.exceptions import DeadlockDetectedError, SerializationError
from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.testing import AsyncTestClient

from app.main import create_app
from tests.integration.builders import token_of

ERRORS = {
    "locked": sqlite3.OperationalError("database is locked"),
    "serialization": SerializationError("could not serialize access"),
    "deadlock": DeadlockDetectedError("deadlock detected"),
    "other": sqlite3.OperationalError("no such table: ghost"),
}
URL_ENCODED = RequestEncodingType.URL_ENCODED
calls: list[dict] = []


@post("/thu-nghiem/ban/{kind:str}", sync_to_thread=False)
def busy_form(kind: FromPath[str], data: Annotated[dict, Body(media_type=URL_ENCODED)]) -> str:
    calls.append(data)
    raise ERRORS[kind]


@post("/thu-nghiem/tep", sync_to_thread=False)
def busy_upload(data: Annotated[dict, Body(media_type=RequestEncodingType.MULTI_PART)]) -> str:
    raise ERRORS["locked"]


@get("/thu-nghiem/ban/{kind:str}", sync_to_thread=False)
def busy_page(kind: FromPath[str]) -> str:
    raise ERRORS[kind]


@pytest.fixture
async def client(demo_db):
    calls.clear()
    async with AsyncTestClient(app=create_app([busy_form, busy_upload, busy_page])) as client:
        yield client


def _hidden(page: str) -> dict[str, str]:
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {html.unescape(k): html.unescape(v) for k, v in fields}


@pytest.mark.parametrize("kind", ["locked", "serialization", "deadlock"])
async def test_a_busy_database_answers_503_and_keeps_what_was_typed(client, kind):
    typed = {"ho_ten": 'Nguyễn Văn "A" <b>', "ghi_chu": "dòng 1\ndòng 2"}
    token = await token_of(client)
    response = await client.post(
        f"/thu-nghiem/ban/{kind}", data={"_csrf_token": token, **typed}, follow_redirects=False
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert "Hệ thống đang bận, vui lòng thử lại" in response.text
    assert f'action="/thu-nghiem/ban/{kind}" method="post"' in response.text
    assert "Gửi lại" in response.text
    assert "<b>" not in response.text.split("<main", 1)[-1]
    hidden = _hidden(response.text)
    assert {k: v for k, v in hidden.items() if k != "_csrf_token"} == typed
    again = await client.post(f"/thu-nghiem/ban/{kind}", data=hidden, follow_redirects=False)
    assert again.status_code == 503, "the re-sent form must pass the CSRF check"
    assert calls[-1] == {**typed, "_csrf_token": hidden["_csrf_token"]}


async def test_a_busy_page_offers_to_load_it_again(client):
    response = await client.get("/thu-nghiem/ban/locked")
    assert response.status_code == 503
    assert "Hệ thống đang bận, vui lòng thử lại" in response.text
    assert 'href="/thu-nghiem/ban/locked"' in response.text
    assert "content-security-policy" in response.headers


async def test_another_database_error_is_still_a_500(client):
    response = await client.get("/thu-nghiem/ban/other")
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.text


async def test_a_busy_upload_keeps_the_text_and_asks_for_the_files_again(client):
    token = await token_of(client)
    response = await client.post(
        "/thu-nghiem/tep",
        data={"_csrf_token": token, "ghi_chu": "bản sao"},
        files={"tep": ("giay.pdf", b"%PDF-1.4 x", "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 503
    assert 'enctype="multipart/form-data"' in response.text
    assert "chọn lại tệp" in response.text
    assert {k: v for k, v in _hidden(response.text).items() if k != "_csrf_token"} == {
        "ghi_chu": "bản sao"
    }
