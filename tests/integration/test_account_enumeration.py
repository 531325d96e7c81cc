"""User enumeration: registration and password reset answer alike (and do the same work) for any
identifier, an account is made only from its confirmation link, and profile saves (which must say
when a phone or e-mail belongs to another account) are limited per account and address."""

import asyncio
import re

import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.models import Citizen, PendingRegistration
from app.services import accounts, rate_limit, registration
from tests.integration.helpers import confirmation_path, login, messages_to, post_form, register

CSRF_FIELD = re.compile(r'name="_csrf_token" value="[^"]*"|"x-csrftoken": "[^"]*"')


@pytest.fixture
async def fresh_client(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        yield client


def _without(text: str, *typed: str) -> str:
    text = CSRF_FIELD.sub("", text)
    for value in typed:
        text = text.replace(value, "")
    return text


async def test_reset_answers_the_same_for_an_account_a_phone_only_account_and_nobody(
    fresh_client,
):
    await register(fresh_client, "lan.pham@example.com")
    await register(fresh_client, "0907111222")
    await rate_limit.reset(accounts.RESET_PER_ADDRESS, "testclient")
    answers = []
    try:
        for login in ("lan.pham@example.com", "0907111222", "ai.do@example.com", "0907999888"):
            r = await post_form(fresh_client, "/quen-mat-khau", {"dinh_danh": login})
            answers.append((r.status_code, _without(r.text, login)))
    finally:
        await rate_limit.reset(accounts.RESET_PER_ADDRESS, "testclient")
    assert answers[0][0] == 200
    assert "chúng tôi đã gửi" in answers[0][1]
    assert all(answer == answers[0] for answer in answers[1:])


async def _profile_client(client: AsyncTestClient, login: str) -> None:
    r = await register(client, login)
    assert r.status_code == 303


def _profile(email: str) -> dict:
    return {"ho_ten": "Phạm Thị Lan", "thu_dien_tu": email, "dia_chi": "12 Lê Lợi"}


async def test_profile_saves_are_limited_per_account_and_keep_what_was_typed(
    fresh_client, monkeypatch
):
    monkeypatch.setattr(
        accounts, "PROFILE_PER_ACCOUNT", rate_limit.Limit("profile-account-test", 3, 3600)
    )
    await _profile_client(fresh_client, "lan.gioihan@example.com")
    statuses = []
    try:
        for i in range(4):
            data = _profile(f"thu.{i}@example.com")
            r = await post_form(fresh_client, "/tai-khoan", data, token_from="/tai-khoan")
            statuses.append(r.status_code)
    finally:
        await rate_limit.reset(accounts.PROFILE_PER_ADDRESS, "testclient")
    assert statuses == [303, 303, 303, 429]
    assert "Bạn đã lưu hồ sơ quá nhiều lần" in r.text
    assert 'value="thu.3@example.com"' in r.text and 'value="12 Lê Lợi"' in r.text
    saved = await Citizen.select(Citizen.email).where(Citizen.email == "thu.2@example.com").run()
    assert saved, "the allowed saves were stored"
    assert not await Citizen.exists().where(Citizen.email == "thu.3@example.com").run()


async def test_concurrent_profile_saves_cannot_pass_the_limit(demo_db, monkeypatch):
    limit = rate_limit.Limit("profile-account-burst", 5, 3600)
    monkeypatch.setattr(accounts, "PROFILE_PER_ACCOUNT", limit)
    citizen_id = 987_654

    async def one() -> bool:
        try:
            await accounts.admit_profile_save(citizen_id, "198.51.100.7")
        except accounts.FormErrors as exc:
            assert exc.status_code == 429
            return False
        return True

    try:
        results = await asyncio.gather(*(one() for _ in range(30)))
    finally:
        await rate_limit.reset(limit, f"citizen:{citizen_id}")
        await rate_limit.reset(accounts.PROFILE_PER_ADDRESS, "198.51.100.7")
    assert results.count(True) == 5


async def test_profile_saves_are_limited_per_address_across_accounts(demo_db, monkeypatch):
    limit = rate_limit.Limit("profile-address-test", 4, 3600)
    monkeypatch.setattr(accounts, "PROFILE_PER_ADDRESS", limit)
    address = "198.51.100.8"
    allowed = 0
    try:
        for citizen_id in range(900_001, 900_007):
            try:
                await accounts.admit_profile_save(citizen_id, address)
                allowed += 1
            except accounts.FormErrors:
                pass
    finally:
        await rate_limit.reset(limit, address)
        for citizen_id in range(900_001, 900_007):
            await rate_limit.reset(accounts.PROFILE_PER_ACCOUNT, f"citizen:{citizen_id}")
    assert allowed == 4


REGISTRATION = {"ho_ten": "Ngô Văn Thử", "mat_khau": "mot cau rat dai 2026"}


async def _register_answer(login: str) -> tuple[int, str]:
    async with AsyncTestClient(app=create_app()) as stranger:
        data = {**REGISTRATION, "dinh_danh": login, "nhap_lai": REGISTRATION["mat_khau"]}
        r = await post_form(stranger, "/dang-ky", data, token_from="/dang-ky")
        return r.status_code, _without(r.text, login)


async def test_registration_answers_the_same_for_a_taken_and_a_new_identifier(fresh_client):
    await register(fresh_client, "chu.cu@example.com")
    await register(fresh_client, "0907444555")
    answers = [
        await _register_answer(login)
        for login in ("chu.cu@example.com", "moi.toanh@example.com", "0907444555", "0907444666")
    ]
    assert answers[0][0] == 200
    assert "đã gửi liên kết xác nhận" in answers[0][1]
    assert all(answer == answers[0] for answer in answers[1:])


async def test_the_owner_is_told_and_no_second_account_is_made(fresh_client):
    assert (await register(fresh_client, "chu.that@example.com")).status_code == 303
    before = await messages_to("chu.that@example.com")
    await _register_answer("CHU.THAT@example.com")
    (warning,) = [m for m in await messages_to("chu.that@example.com") if m not in before]
    assert "Có người đăng ký" in warning["subject"]
    assert "/quen-mat-khau" in warning["body"] and "/dang-ky/xac-nhan/" not in warning["body"]
    assert await Citizen.count().where(Citizen.email == "chu.that@example.com").run() == 1
    assert (
        not await PendingRegistration.exists()
        .where(PendingRegistration.identifier == "chu.that@example.com")
        .run()
    )


async def test_a_new_account_exists_only_once_its_link_is_opened(fresh_client):
    await _register_answer("cho.xac.nhan@example.com")
    assert not await Citizen.exists().where(Citizen.email == "cho.xac.nhan@example.com").run()
    async with AsyncTestClient(app=create_app()) as early:
        refused = await login(early, "cho.xac.nhan@example.com", REGISTRATION["mat_khau"])
    assert refused.status_code == 401
    path = await confirmation_path("cho.xac.nhan@example.com")
    page = await fresh_client.get(path)
    assert page.status_code == 200 and "Kích hoạt tài khoản" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    done = await post_form(fresh_client, path, {}, token_from=path)
    assert done.status_code == 303 and done.headers["location"] == "/tai-khoan?moi=1"
    profile = await fresh_client.get("/tai-khoan")
    assert "Ngô Văn Thử" in profile.text
    again = await post_form(fresh_client, path, {}, token_from="/dang-nhap")
    assert again.status_code == 410 and "đã hết hạn hoặc đã được dùng" in again.text
    assert (await fresh_client.get(path)).status_code == 410


async def test_two_links_for_one_address_make_one_account(fresh_client):
    await _register_answer("hai.lien.ket@example.com")
    first = await confirmation_path("hai.lien.ket@example.com")
    await _register_answer("hai.lien.ket@example.com")
    second = await confirmation_path("hai.lien.ket@example.com")
    assert first != second
    assert (await post_form(fresh_client, second, {}, token_from=second)).status_code == 303
    async with AsyncTestClient(app=create_app()) as other:
        late = await post_form(other, first, {}, token_from="/dang-nhap")
    assert late.status_code == 410
    assert await Citizen.count().where(Citizen.email == "hai.lien.ket@example.com").run() == 1


async def test_an_unknown_or_forged_link_is_refused_without_error(fresh_client):
    for token in ("khong-co", "x" * 5000, "%00", "١٢٣"):
        r = await fresh_client.get(f"/dang-ky/xac-nhan/{token}")
        assert r.status_code in (404, 410), token
        r = await post_form(fresh_client, f"/dang-ky/xac-nhan/{token}", {})
        assert r.status_code in (404, 410), token


async def test_registration_does_the_same_work_for_a_taken_and_a_new_identifier(
    fresh_client, monkeypatch
):
    """Same answer, same time: one password hash and one queued message either way."""
    await register(fresh_client, "0907333444")
    calls: list[str] = []
    real_hash, real_enqueue = registration.hash_password, registration.outbox.enqueue

    async def counted_hash(password: str) -> str:
        calls.append("hash")
        return await real_hash(password)

    async def counted_enqueue(*args, **kwargs):
        calls.append("message")
        return await real_enqueue(*args, **kwargs)

    monkeypatch.setattr(registration, "hash_password", counted_hash)
    monkeypatch.setattr(registration.outbox, "enqueue", counted_enqueue)
    await _register_answer("0907333444")
    taken, calls[:] = list(calls), []
    await _register_answer("0907333999")
    assert taken == calls == ["hash", "message"]


async def test_one_address_receives_at_most_a_few_registration_messages(fresh_client):
    for _ in range(registration.MESSAGES_PER_IDENTIFIER.max_hits + 3):
        status, text = await _register_answer("bi.lam.phien@example.com")
        assert status == 200 and "đã gửi liên kết xác nhận" in text
    sent = await messages_to("bi.lam.phien@example.com")
    assert len(sent) == registration.MESSAGES_PER_IDENTIFIER.max_hits
