"""Sessions end when idle, when the officer is locked, and the CSRF token changes at login."""

from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.models import Officer, WebSession
from app.services.sessions import COOKIE, _digest, open_session, read_session
from app.settings import CSRF_COOKIE
from tests.integration.helpers import csrf_token, login, post_form, register

PASSWORD = "motcua-demo-2026"


async def _officer(client: AsyncTestClient, username: str):
    token = await csrf_token(client, "/mot-cua/dang-nhap")
    return await client.post(
        "/mot-cua/dang-nhap",
        data={"_csrf_token": token, "ten_dang_nhap": username, "mat_khau": PASSWORD},
        follow_redirects=False,
    )


async def test_an_officer_session_ends_after_30_idle_minutes(demo_db):
    token = await open_session("officer", 1)
    now = datetime.now(UTC)
    assert await read_session(token, now + timedelta(minutes=29)) is not None
    # Seen at +29 min: the idle clock restarts from there.
    assert await read_session(token, now + timedelta(minutes=58)) is not None
    assert await read_session(token, now + timedelta(minutes=89)) is None
    assert not await WebSession.exists().where(WebSession.token_hash == _digest(token)).run()


async def test_a_citizen_session_lasts_two_idle_hours_but_not_past_its_lifetime(demo_db):
    token = await open_session("citizen", 1)
    now = datetime.now(UTC)
    assert await read_session(token, now + timedelta(minutes=119)) is not None
    later = await open_session("citizen", 1)
    assert await read_session(later, now + timedelta(minutes=121)) is None
    # Active every hour, it still ends at the absolute lifetime (12 h by default).
    kept = await open_session("citizen", 1)
    for hour in range(1, 12):
        assert await read_session(kept, now + timedelta(hours=hour)) is not None
    assert await read_session(kept, now + timedelta(hours=12, minutes=1)) is None


async def test_last_seen_is_written_at_most_once_a_minute(demo_db):
    token = await open_session("citizen", 1)
    query = WebSession.select(WebSession.last_seen_at).where(
        WebSession.token_hash == _digest(token)
    )
    first = (await query.first().run())["last_seen_at"]
    await read_session(token, first + timedelta(seconds=30))
    assert (await query.first().run())["last_seen_at"] == first
    await read_session(token, first + timedelta(seconds=61))
    assert (await query.first().run())["last_seen_at"] == first + timedelta(seconds=61)


async def test_an_idle_session_is_refused_over_http(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        assert (await _officer(client, "tiepnhan.hoabinh")).status_code == 303
        token = client.cookies.get(COOKIE)
        past = datetime.now(UTC) - timedelta(minutes=31)
        await (
            WebSession.update({WebSession.last_seen_at: past})
            .where(WebSession.token_hash == _digest(token))
            .run()
        )
        r = await client.get("/mot-cua", follow_redirects=False)
    assert r.status_code in (302, 303) and "/mot-cua/dang-nhap" in r.headers["location"]


async def test_locking_an_officer_ends_their_sessions(demo_db):
    async with (
        AsyncTestClient(app=create_app()) as admin,
        AsyncTestClient(app=create_app()) as officer,
    ):
        assert (await _officer(admin, "quantri")).status_code == 303
        assert (await _officer(officer, "tiepnhan.hoabinh")).status_code == 303
        assert (await officer.get("/mot-cua", follow_redirects=False)).status_code == 200
        row = await Officer.select(Officer.id).where(Officer.username == "tiepnhan.hoabinh").first()
        r = await post_form(admin, f"/quan-tri/can-bo/{row['id']}/trang-thai", {}, "/quan-tri")
        assert r.status_code == 303
        sessions = WebSession.exists().where(
            (WebSession.account_kind == "officer") & (WebSession.account_id == row["id"])
        )
        assert not await sessions.run()
        assert (await officer.get("/mot-cua", follow_redirects=False)).status_code != 200
        # Unlocking does not bring the old session back.
        await post_form(admin, f"/quan-tri/can-bo/{row['id']}/trang-thai", {}, "/quan-tri")
        assert (await officer.get("/mot-cua", follow_redirects=False)).status_code != 200


@pytest.mark.parametrize("who", ["citizen", "officer"])
async def test_the_csrf_token_is_replaced_at_login(demo_db, who):
    async with AsyncTestClient(app=create_app()) as client:
        if who == "citizen":
            await register(client, "0901000777")
            await post_form(client, "/dang-xuat", {}, "/tai-khoan")
            before = await csrf_token(client, "/dang-nhap")
            cookie_before = client.cookies.get(CSRF_COOKIE)
            r = await login(client, "0901000777")
            after_page = "/ho-so"
        else:
            before = await csrf_token(client, "/mot-cua/dang-nhap")
            cookie_before = client.cookies.get(CSRF_COOKIE)
            r = await _officer(client, "tiepnhan.hoabinh")
            after_page = "/mot-cua"
        assert r.status_code == 303
        set_cookie = " ".join(r.headers.get_list("set-cookie"))
        assert f"{CSRF_COOKIE}=" in set_cookie and "Max-Age=0" in set_cookie.replace(
            "max-age", "Max-Age"
        )
        after = await csrf_token(client, after_page)
        assert cookie_before and client.cookies.get(CSRF_COOKIE) != cookie_before
        assert after != before
        # The token from before the login no longer passes.
        refused = await client.post(
            "/dang-xuat", data={"_csrf_token": before}, follow_redirects=False
        )
        assert refused.status_code == 403
