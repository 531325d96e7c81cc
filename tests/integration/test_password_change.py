"""A citizen changes their password on "Tài khoản → Đổi mật khẩu": the current password is
checked like a login (counted first, so a burst of guesses cannot pass the limit), the new one
follows the registration rules, and every other session of the account ends."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import httpx
import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.services import accounts, login_limits, rate_limit
from app.services.sessions import COOKIE
from e2e.support import live_portal
from tests.integration.builders_payments import unique_phone
from tests.integration.helpers import CSRF_RE, login, post_form

PASSWORD, NEW_PASSWORD = "cay tre xanh 2026", "song hong mua thu 2026"
PAGE = "/tai-khoan/mat-khau"


@pytest.fixture
async def phone(demo_db) -> str:
    phone = unique_phone()
    await accounts.register("Đỗ Thị Mai", phone, PASSWORD, PASSWORD)
    return phone


async def _browser(phone: str) -> AsyncTestClient:
    client = AsyncTestClient(app=create_app())
    await client.__aenter__()
    assert (await login(client, phone, PASSWORD)).status_code == 303
    return client


def _change(current: str, new: str, confirm: str | None = None) -> dict:
    return {
        "mat_khau_cu": current,
        "mat_khau": new,
        "nhap_lai": new if confirm is None else confirm,
    }


@pytest.fixture
async def clean_limits():
    yield
    await rate_limit.reset(login_limits.PER_ADDRESS, "testclient")
    await rate_limit.reset(login_limits.PER_ADDRESS, "127.0.0.1")


async def test_the_page_is_reached_from_the_profile_and_needs_a_login(phone, clean_limits):
    async with AsyncTestClient(app=create_app()) as anonymous:
        r = await anonymous.get(PAGE, follow_redirects=False)
        assert r.status_code in (302, 303) and "/dang-nhap" in r.headers["location"]
    browser = await _browser(phone)
    try:
        profile = await browser.get("/tai-khoan")
        assert f'href="{PAGE}"' in profile.text
        page = await browser.get(PAGE)
        assert page.status_code == 200 and "Mật khẩu hiện tại" in page.text
        assert page.headers["cache-control"] == "no-store"
    finally:
        await browser.__aexit__(None, None, None)


async def test_a_wrong_current_password_changes_nothing(phone, clean_limits):
    browser = await _browser(phone)
    try:
        r = await post_form(browser, PAGE, _change("khong phai mat khau", NEW_PASSWORD), PAGE)
        assert r.status_code == 401
        assert "Mật khẩu hiện tại không đúng" in r.text
    finally:
        await browser.__aexit__(None, None, None)
    async with AsyncTestClient(app=create_app()) as other:
        assert (await login(other, phone, PASSWORD)).status_code == 303


@pytest.mark.parametrize(
    ("new", "confirm", "field", "message"),
    [
        ("ngan", None, "mat_khau", "Mật khẩu cần ít nhất 8 ký tự"),
        ("12345678", None, "mat_khau", "quá dễ đoán"),
        (NEW_PASSWORD, "khac han 2026", "nhap_lai", "Mật khẩu nhập lại không khớp"),
        (PASSWORD, None, "mat_khau", "cần khác mật khẩu hiện tại"),
    ],
)
async def test_the_new_password_follows_the_registration_rules(
    phone, clean_limits, new, confirm, field, message
):
    browser = await _browser(phone)
    try:
        r = await post_form(browser, PAGE, _change(PASSWORD, new, confirm), PAGE)
    finally:
        await browser.__aexit__(None, None, None)
    assert r.status_code == 422
    assert message in r.text and f'id="e-{field}"' in r.text
    assert 'aria-invalid="true"' in r.text


async def test_the_phone_number_cannot_be_the_new_password(phone, clean_limits):
    browser = await _browser(phone)
    try:
        r = await post_form(browser, PAGE, _change(PASSWORD, f"mk {phone} moi"), PAGE)
    finally:
        await browser.__aexit__(None, None, None)
    assert r.status_code == 422 and "không được chứa số điện thoại" in r.text


async def test_a_change_ends_every_other_session_and_keeps_this_one(phone, clean_limits):
    here, elsewhere = await _browser(phone), await _browser(phone)
    try:
        r = await post_form(here, PAGE, _change(PASSWORD, NEW_PASSWORD), PAGE)
        assert r.status_code == 303 and r.headers["location"] == "/tai-khoan?doi_mat_khau=1"
        assert (await here.get("/tai-khoan")).status_code == 200
        gone = await elsewhere.get("/tai-khoan", follow_redirects=False)
        assert gone.status_code in (302, 303) and "/dang-nhap" in gone.headers["location"]
    finally:
        await here.__aexit__(None, None, None)
        await elsewhere.__aexit__(None, None, None)
    async with AsyncTestClient(app=create_app()) as fresh:
        assert (await login(fresh, phone, PASSWORD)).status_code == 401
        assert (await login(fresh, phone, NEW_PASSWORD)).status_code == 303


# Concurrent wrong guesses against a real server -------------------------------------------------

GUESSES = 20


@pytest.fixture(scope="module")
def portal(demo_db, tmp_path_factory) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("password-change") / "server.log"
    with live_portal(os.environ.copy(), log_path) as url:
        yield url


async def _token(client: httpx.AsyncClient, path: str) -> str:
    return CSRF_RE.search((await client.get(path)).text).group(1)


async def test_concurrent_wrong_current_passwords_cannot_pass_the_limit(portal, phone):
    async with httpx.AsyncClient(base_url=portal) as client:
        data = {"_csrf_token": await _token(client, "/dang-nhap")}
        data |= {"dinh_danh": phone, "mat_khau": PASSWORD}
        assert (await client.post("/dang-nhap", data=data)).status_code == 303
        assert COOKIE in client.cookies
        token = await _token(client, PAGE)

        async def guess(i: int) -> httpx.Response:
            form = {"_csrf_token": token, **_change(f"doan sai {i:02d}", NEW_PASSWORD)}
            return await client.post(PAGE, data=form)

        answers = await asyncio.gather(*(guess(i) for i in range(GUESSES)))
        statuses = [a.status_code for a in answers]
        right = await client.post(
            PAGE, data={"_csrf_token": token, **_change(PASSWORD, NEW_PASSWORD)}
        )
    try:
        assert statuses.count(401) <= login_limits.TIERS[0].max_hits
        assert statuses.count(429) >= GUESSES - login_limits.TIERS[0].max_hits
        assert set(statuses) <= {401, 429}
        assert right.status_code == 429
        assert "quá nhiều lần" in right.text
    finally:
        citizen = (
            await accounts.Citizen.select(accounts.Citizen.id)
            .where(accounts.Citizen.phone == phone)
            .first()
            .run()
        )
        await login_limits.succeeded(f"password-change:citizen:{citizen['id']}", "127.0.0.1")
        await rate_limit.reset(login_limits.PER_ADDRESS, "127.0.0.1")
    async with AsyncTestClient(app=create_app()) as fresh:
        assert (await login(fresh, phone, PASSWORD)).status_code == 303, "nothing was changed"
