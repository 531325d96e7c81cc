"""User enumeration: password reset answers alike for any identifier, and profile saves (which
must say when a phone or e-mail belongs to another account) are limited per account and address."""

import asyncio
import re

import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.models import Citizen
from app.services import accounts, rate_limit
from tests.integration.helpers import post_form, register

CSRF_FIELD = re.compile(r'name="_csrf_token" value="[^"]*"')


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


async def test_registering_a_taken_identifier_spends_a_password_hash(fresh_client, monkeypatch):
    await register(fresh_client, "0907333444")
    spent: list[str] = []

    async def counted(password: str) -> None:
        spent.append(password)

    monkeypatch.setattr(accounts, "burn_time", counted)
    async with AsyncTestClient(app=create_app()) as stranger:
        r = await register(stranger, "0907333444", "mat khau khac 2026")
    assert r.status_code == 422
    assert spent == ["mat khau khac 2026"]
