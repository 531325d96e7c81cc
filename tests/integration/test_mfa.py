"""Officers' second factor: setting up TOTP, the code step of the login, roles that require it."""

import asyncio
import re

import pyotp
import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.models import MfaRequirement, Officer, OfficerTotp, RateLimit, WebSession
from app.services import mfa
from app.services.sessions import COOKIE, _digest
from tests.integration.helpers import csrf_token, post_form

PASSWORD = "motcua-demo-2026"
SECRET_RE = re.compile(r'aria-label="Khoá bí mật">([A-Z2-7]+)<')
CODE_RE = re.compile(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>")


@pytest.fixture(autouse=True)
async def _no_second_factor_left(demo_db):
    """The demo database is shared: leave no TOTP, requirement or code counter behind."""
    yield
    await OfficerTotp.delete(force=True).run()
    await mfa.RecoveryCode.delete(force=True).run()
    await MfaRequirement.delete(force=True).run()
    await RateLimit.delete().where(RateLimit.key.like("%totp:%")).run()


async def _password(client: AsyncTestClient, username: str):
    token = await csrf_token(client, "/mot-cua/dang-nhap")
    return await client.post(
        "/mot-cua/dang-nhap",
        data={"_csrf_token": token, "ten_dang_nhap": username, "mat_khau": PASSWORD},
        follow_redirects=False,
    )


async def _turn_on(client: AsyncTestClient) -> tuple[str, list[str]]:
    page = await client.get("/mot-cua/bao-mat")
    assert page.status_code == 200 and "<svg" in page.text
    secret = SECRET_RE.search(page.text).group(1)
    wrong = await post_form(
        client, "/mot-cua/bao-mat/xac-nhan", {"ma": "000000"}, "/mot-cua/bao-mat"
    )
    assert wrong.status_code == 422 and "Mã xác thực không đúng" in wrong.text
    code = pyotp.TOTP(secret).now()
    r = await post_form(client, "/mot-cua/bao-mat/xac-nhan", {"ma": code}, "/mot-cua/bao-mat")
    assert r.status_code == 200
    codes = CODE_RE.findall(r.text)
    assert len(codes) == 10
    return secret, codes


async def _use_step(secret: str, officer_id: int) -> str:
    """A code of another step than the one used at setup (each step is accepted once)."""
    totp = pyotp.TOTP(secret)
    await (
        OfficerTotp.update({OfficerTotp.last_step: ""})
        .where(OfficerTotp.officer == officer_id)
        .run()
    )
    return totp.now()


async def _officer_id(username: str) -> int:
    return (await Officer.select(Officer.id).where(Officer.username == username).first())["id"]


async def test_turning_on_totp_then_logging_in_needs_the_code(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        assert (await _password(client, "xuly.hoabinh")).status_code == 303
        secret, codes = await _turn_on(client)
        stored = await mfa.RecoveryCode.select().run()
        assert codes[0] not in str(stored)  # only hashes are kept
    oid = await _officer_id("xuly.hoabinh")
    async with AsyncTestClient(app=create_app()) as client:
        r = await _password(client, "xuly.hoabinh")
        assert r.status_code == 303 and r.headers["location"] == "/mot-cua/dang-nhap/ma-xac-thuc"
        # The password alone is no login.
        assert (await client.get("/mot-cua", follow_redirects=False)).status_code == 303
        pending = client.cookies.get(COOKIE)
        row = (
            await WebSession.select(WebSession.account_kind)
            .where(WebSession.token_hash == _digest(pending))
            .first()
        )
        assert row["account_kind"] == "mfa"
        page = "/mot-cua/dang-nhap/ma-xac-thuc"
        bad = await post_form(client, page, {"ma": "123456"}, page)
        assert bad.status_code == 401 and "Mã xác thực không đúng" in bad.text
        ok = await post_form(client, page, {"ma": await _use_step(secret, oid)}, page)
        assert ok.status_code == 303 and ok.headers["location"] == "/mot-cua"
        assert (await client.get("/mot-cua", follow_redirects=False)).status_code == 200
        assert client.cookies.get(COOKIE) != pending


async def test_a_recovery_code_works_once(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        await _password(client, "lanhdao.hoabinh")
        _, codes = await _turn_on(client)
    page = "/mot-cua/dang-nhap/ma-xac-thuc"
    for expected in (303, 401):
        async with AsyncTestClient(app=create_app()) as client:
            await _password(client, "lanhdao.hoabinh")
            r = await post_form(client, page, {"ma": codes[3].upper()}, page)
            assert r.status_code == expected


async def test_concurrent_uses_of_one_recovery_code_log_in_once(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        await _password(client, "tiepnhan.tinh")
        _, codes = await _turn_on(client)
    page = "/mot-cua/dang-nhap/ma-xac-thuc"
    clients = [AsyncTestClient(app=create_app()) for _ in range(5)]
    try:
        tokens = []
        for c in clients:
            await c.__aenter__()
            await _password(c, "tiepnhan.tinh")
            tokens.append(await csrf_token(c, page))
        results = await asyncio.gather(
            *(
                c.post(page, data={"_csrf_token": t, "ma": codes[0]}, follow_redirects=False)
                for c, t in zip(clients, tokens, strict=True)
            )
        )
    finally:
        for c in clients:
            await c.__aexit__(None, None, None)
    assert sorted(r.status_code for r in results) == [303, 401, 401, 401, 401]


async def test_the_code_step_is_rate_limited_even_for_concurrent_guesses(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        await _password(client, "xuly.tanlap")
        await _turn_on(client)
    page = "/mot-cua/dang-nhap/ma-xac-thuc"
    async with AsyncTestClient(app=create_app()) as client:
        await _password(client, "xuly.tanlap")
        token = await csrf_token(client, page)
        results = await asyncio.gather(
            *(
                client.post(
                    page, data={"_csrf_token": token, "ma": f"{n:06d}"}, follow_redirects=False
                )
                for n in range(12)
            )
        )
    codes = [r.status_code for r in results]
    assert codes.count(401) == 5 and codes.count(429) == 7


async def test_a_required_role_is_sent_to_set_up_totp(demo_db):
    async with AsyncTestClient(app=create_app()) as admin:
        await _password(admin, "quantri")
        r = await post_form(
            admin, "/quan-tri/xac-thuc-hai-buoc", {"bat_buoc": "receptionist"}, "/quan-tri"
        )
        assert r.status_code == 303
    assert [r["role"] for r in await MfaRequirement.select().run()] == ["receptionist"]
    async with AsyncTestClient(app=create_app()) as client:
        r = await _password(client, "tiepnhan.tinh")
        assert r.headers["location"] == "/mot-cua/bao-mat?bat-buoc=1"
        blocked = await client.get("/mot-cua", follow_redirects=False)
        assert blocked.status_code == 303 and blocked.headers["location"].startswith(
            "/mot-cua/bao-mat"
        )
        page = await client.get("/mot-cua/bao-mat?bat-buoc=1")
        assert "bắt buộc xác thực hai bước" in page.text
        await _turn_on(client)
        assert (await client.get("/mot-cua", follow_redirects=False)).status_code == 200
