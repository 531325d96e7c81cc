import re

import pytest
from argon2 import PasswordHasher
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.models import Citizen, Outbox, WebSession
from app.services import accounts, login_limits, rate_limit
from app.services import login as login_service
from app.services.passwords import hasher
from app.services.sessions import COOKIE
from tests.integration.helpers import login, post_form, register


@pytest.fixture
async def fresh_client(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        yield client


async def test_registration_logs_in_with_a_safe_session_cookie(fresh_client):
    r = await register(fresh_client, "0901000001")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/tai-khoan")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    profile = await fresh_client.get("/tai-khoan")
    assert "Trần Thị Bình" in profile.text


async def test_registration_errors_are_vietnamese_and_keep_what_was_typed(fresh_client):
    r = await post_form(
        fresh_client,
        "/dang-ky",
        {"ho_ten": "Lê Văn Cường", "dinh_danh": "12345", "mat_khau": "ngan", "nhap_lai": "ngan"},
        token_from="/dang-ky",
    )
    assert r.status_code == 422
    assert "Nhập số điện thoại di động (10 số) hoặc địa chỉ e-mail hợp lệ" in r.text
    assert "Mật khẩu cần ít nhất 8 ký tự" in r.text
    assert 'value="Lê Văn Cường"' in r.text
    assert 'value="12345"' in r.text
    assert 'href="#f-dinh_danh"' in r.text  # the summary links to the field


async def test_an_identifier_can_register_only_once(fresh_client):
    assert (await register(fresh_client, "an.lan.dau@example.com")).status_code == 303
    async with AsyncTestClient(app=create_app()) as other:
        r = await register(other, "AN.LAN.DAU@example.com")
    assert r.status_code == 200 and "đã gửi liên kết xác nhận" in r.text
    rows = await Citizen.select(Citizen.id).where(Citizen.email == "an.lan.dau@example.com").run()
    assert len(rows) == 1


async def test_login_rotates_the_session_id(fresh_client):
    await register(fresh_client, "0901000002")
    before = fresh_client.cookies.get(COOKIE)
    r = await login(fresh_client, "+84 901 000 002")
    assert r.status_code == 303 and r.headers["location"] == "/ho-so"
    after = fresh_client.cookies.get(COOKIE)
    assert after and after != before
    async with AsyncTestClient(app=create_app()) as thief:
        thief.cookies.set(COOKIE, before)
        r = await thief.get("/tai-khoan", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/dang-nhap")


async def test_login_redirects_only_to_local_paths(fresh_client):
    await register(fresh_client, "0901000003")
    r = await post_form(
        fresh_client,
        "/dang-nhap",
        {"dinh_danh": "0901000003", "mat_khau": "cay tre xanh 2026", "tiep": "//evil.example/"},
    )
    assert r.headers["location"] == "/ho-so"


async def test_wrong_password_gives_one_message_for_both_mistakes(fresh_client):
    await register(fresh_client, "0901000004")
    wrong_password = await login(fresh_client, "0901000004", "sai mat khau roi")
    no_account = await login(fresh_client, "0901999999", "sai mat khau roi")
    assert wrong_password.status_code == no_account.status_code == 401
    message = "Số điện thoại/e-mail hoặc mật khẩu không đúng"
    assert message in wrong_password.text and message in no_account.text


async def test_login_is_rate_limited_per_account(fresh_client):
    await register(fresh_client, "0901000005")
    for _ in range(login_limits.TIERS[0].max_hits):
        assert (await login(fresh_client, "0901000005", "sai mat khau")).status_code == 401
    blocked = await login(fresh_client, "0901000005")  # even the right password
    assert blocked.status_code == 429
    assert "Vui lòng thử lại sau" in blocked.text
    await rate_limit.reset(login_limits.PER_ADDRESS, "testclient")


async def test_login_is_rate_limited_per_address(demo_db):
    address = "203.0.113.7"
    try:
        for i in range(login_limits.PER_ADDRESS.max_hits):
            with pytest.raises(accounts.FormErrors) as err:
                await login_service.authenticate(
                    "citizen", f"09020{i:05d}", "sai mat khau", address
                )
            assert err.value.status_code == 401
        with pytest.raises(accounts.FormErrors) as err:
            await login_service.authenticate("citizen", "0902099999", "sai mat khau", address)
        assert err.value.status_code == 429
        # another address is not affected
        with pytest.raises(accounts.FormErrors) as err:
            await login_service.authenticate("citizen", "0902099999", "sai mat khau", "203.0.113.8")
        assert err.value.status_code == 401
    finally:
        await rate_limit.reset(login_limits.PER_ADDRESS, address)
        await rate_limit.reset(login_limits.PER_ADDRESS, "203.0.113.8")


async def test_state_changing_requests_without_csrf_token_are_refused(fresh_client):
    await register(fresh_client, "0901000006")
    r = await fresh_client.post("/dang-xuat", follow_redirects=False)
    assert r.status_code == 403
    r = await fresh_client.post(
        "/dang-nhap", data={"dinh_danh": "0901000006", "mat_khau": "x"}, follow_redirects=False
    )
    assert r.status_code == 403


async def test_logout_closes_the_session_on_the_server(fresh_client):
    await register(fresh_client, "0901000007")
    token = fresh_client.cookies.get(COOKIE)
    r = await post_form(fresh_client, "/dang-xuat", {}, token_from="/tai-khoan")
    assert r.status_code == 303
    async with AsyncTestClient(app=create_app()) as other:
        other.cookies.set(COOKIE, token)
        assert (await other.get("/tai-khoan", follow_redirects=False)).status_code == 303


async def test_login_rehashes_when_parameters_change(fresh_client):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    citizen = Citizen(
        phone="0901000008", full_name="Phạm Văn Dũng", password_hash=weak.hash("mat khau cu 123")
    )
    await citizen.save().run()
    assert hasher().check_needs_rehash(citizen.password_hash)
    r = await login(fresh_client, "0901000008", "mat khau cu 123")
    assert r.status_code == 303
    stored = (
        await Citizen.select(Citizen.password_hash).where(Citizen.id == citizen.id).first().run()
    )
    assert stored["password_hash"] != citizen.password_hash
    assert not hasher().check_needs_rehash(stored["password_hash"])
    assert "m=19456,t=2,p=1" in stored["password_hash"]


async def test_password_reset_sends_a_one_time_link(fresh_client):
    await register(fresh_client, "binh.tran@example.com")
    old_session = fresh_client.cookies.get(COOKIE)
    r = await post_form(fresh_client, "/quen-mat-khau", {"dinh_danh": "binh.tran@example.com"})
    assert r.status_code == 200 and "chúng tôi đã gửi" in r.text
    mail = (
        await Outbox.objects()
        .where(Outbox.recipient == "binh.tran@example.com")
        .order_by(Outbox.id, ascending=False)
        .first()
        .run()
    )
    link = re.search(r"(/dat-lai-mat-khau/\S+)", mail.body).group(1)
    page = await fresh_client.get(link)
    assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
    data = {"mat_khau": "mat khau moi 2026", "nhap_lai": "mat khau moi 2026"}
    r = await post_form(fresh_client, link, data, token_from=link)
    assert r.status_code == 303
    assert (
        not await WebSession.exists()
        .where(
            WebSession.token_hash == __import__("hashlib").sha256(old_session.encode()).hexdigest()
        )
        .run()
    )
    again = await post_form(fresh_client, link, data, token_from="/dang-nhap")
    assert again.status_code == 410
    assert (
        await login(fresh_client, "binh.tran@example.com", "mat khau moi 2026")
    ).status_code == 303


async def test_reset_request_does_not_reveal_whether_an_account_exists(fresh_client):
    r = await post_form(fresh_client, "/quen-mat-khau", {"dinh_danh": "khong.co@example.com"})
    assert r.status_code == 200 and "chúng tôi đã gửi" in r.text
    assert not await Outbox.exists().where(Outbox.recipient == "khong.co@example.com").run()


async def test_registrations_are_rate_limited_per_address(demo_db, monkeypatch):
    monkeypatch.setattr(
        accounts, "REGISTER_PER_ADDRESS", rate_limit.Limit("register-address-test", 2, 3600)
    )
    address = "203.0.113.50"
    try:
        for i in range(2):
            await accounts.register(
                "Ngô Văn Em", f"09060000{i:02d}", "cay tre xanh 2026", "cay tre xanh 2026", address
            )
        with pytest.raises(accounts.FormErrors) as err:
            await accounts.register(
                "Ngô Văn Em", "0906000099", "cay tre xanh 2026", "cay tre xanh 2026", address
            )
        assert err.value.status_code == 429
    finally:
        await rate_limit.reset(accounts.REGISTER_PER_ADDRESS, address)


async def test_a_profile_value_past_its_declared_length_is_refused_and_kept(fresh_client):
    await register(fresh_client, "dai.qua@example.com")
    name, street = "Nguyễn " + "A" * 120, "Số " + "9" * 260
    data = {"ho_ten": name, "thu_dien_tu": "dai.qua@example.com", "dia_chi": street}
    r = await post_form(fresh_client, "/tai-khoan", data, token_from="/tai-khoan")
    assert r.status_code == 422
    assert "Dài quá 120 ký tự" in r.text and "Dài quá 255 ký tự" in r.text
    assert f'value="{name}"' in r.text and f'value="{street}"' in r.text
