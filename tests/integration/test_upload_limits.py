"""The upload limit: a file under MOTCUA_MAX_UPLOAD_MB is never refused by the framework, a file
over it gets the portal's own message on the same step, with or without HTMX."""

from __future__ import annotations

import pytest

from app.settings import FORM_OVERHEAD_BYTES, MAX_FILES_PER_REQUEST, get_settings
from tests.integration.builders import (
    TEMPORARY_RESIDENCE,
    Clients,
    generic_answers,
    jpeg_bytes,
    reference_in,
    token_of,
)

MB = 1024 * 1024


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


def jpeg_of_size(size: int) -> bytes:
    """A JPEG (by its first bytes) padded to ``size`` bytes."""
    head = jpeg_bytes()
    return head + b"\0" * (size - len(head))


async def _at_documents_step(clients) -> tuple:
    citizen = await clients.citizen()
    location = await citizen.start(TEMPORARY_RESIDENCE)
    reference = reference_in(location)
    answers = generic_answers()
    for step in ("noi_nop", "nguoi_nop", "noi_dung"):
        response = await citizen.save_step(reference, step, answers[step])
        assert response.status_code == 303, step
    return citizen, reference


async def _post_documents(citizen, reference, declaration: bytes, htmx: bool):
    path = f"/ho-so/{reference}/buoc/giay_to"
    token = await token_of(citizen.client, path)
    return await citizen.client.post(
        path,
        data={"_csrf_token": token, "tiep": "1"},
        files={
            "tp_0": ("to-khai.jpg", declaration, "image/jpeg"),
            "tp_1": ("giay-to.jpg", jpeg_bytes(), "image/jpeg"),
        },
        headers={"HX-Request": "true", "HX-Target": "wizard"} if htmx else {},
        follow_redirects=False,
    )


def test_the_request_limit_leaves_room_for_every_file_at_the_limit_and_the_form():
    settings = get_settings()
    assert settings.max_request_bytes == (
        MAX_FILES_PER_REQUEST * settings.max_upload_bytes + FORM_OVERHEAD_BYTES
    )
    assert settings.max_request_bytes > 10.5 * MB


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
async def test_a_9_9_mb_photo_is_accepted(clients, htmx):
    citizen, reference = await _at_documents_step(clients)
    response = await _post_documents(citizen, reference, jpeg_of_size(int(9.9 * MB)), htmx)
    assert response.status_code in (200, 303), response.text[:300]
    assert "Tệp lớn hơn" not in response.text


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
async def test_a_10_5_mb_photo_gets_the_portals_message_on_the_step(clients, htmx):
    citizen, reference = await _at_documents_step(clients)
    response = await _post_documents(citizen, reference, jpeg_of_size(int(10.5 * MB)), htmx)
    assert response.status_code == 422
    assert "Tệp lớn hơn 10 MB, vui lòng chụp lại hoặc nén nhỏ hơn" in response.text
    assert '<h1 tabindex="-1">Giấy tờ đính kèm</h1>' in response.text
    # the other file of the step was kept
    assert "Đã đính kèm: " in response.text and "giay-to.jpg" in response.text
    assert ("<!doctype html>" in response.text.lower()) is not htmx


async def test_a_body_over_the_server_limit_goes_back_to_the_step_with_the_message(clients):
    citizen, reference = await _at_documents_step(clients)
    path = f"/ho-so/{reference}/buoc/giay_to"
    token = await token_of(citizen.client, path)
    huge = get_settings().max_request_bytes + 1
    response = await citizen.client.post(
        path,
        data={"_csrf_token": token, "tiep": "1"},
        files={"tp_0": ("to-khai.jpg", jpeg_of_size(huge), "image/jpeg")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = await citizen.client.get(response.headers["location"])
    assert "Tệp gửi lên quá lớn. Mỗi tệp tối đa 10 MB" in page.text
    assert "Yêu cầu không hợp lệ" not in page.text
