"""The administration page: only administrators, and officers they create can log in."""

import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.models import Officer
from tests.integration.helpers import csrf_token


async def _officer_client(username: str) -> AsyncTestClient:
    client = AsyncTestClient(app=create_app())
    await client.__aenter__()
    token = await csrf_token(client, "/mot-cua/dang-nhap")
    r = await client.post(
        "/mot-cua/dang-nhap",
        data={"_csrf_token": token, "ten_dang_nhap": username, "mat_khau": "motcua-demo-2026"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return client


@pytest.fixture
async def admin(demo_db):
    client = await _officer_client("quantri")
    yield client
    await client.__aexit__(None, None, None)


async def test_an_administrator_creates_an_officer_who_can_log_in(admin):
    page = await admin.get("/quan-tri")
    assert page.status_code == 200 and "tiepnhan.hoabinh" in page.text
    token = await csrf_token(admin, "/quan-tri")
    r = await admin.post(
        "/quan-tri/can-bo",
        data={
            "_csrf_token": token,
            "ten_dang_nhap": "tiepnhan2.hoabinh",
            "ho_ten": "Phan Thị Hạnh",
            "co_quan": "000.00.32.H99",
            "vai_tro": ["receptionist", "specialist"],
            "mat_khau": "motcua-demo-2026",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    created = await Officer.objects().where(Officer.username == "tiepnhan2.hoabinh").first().run()
    assert created is not None and created.full_name == "Phan Thị Hạnh"
    client = await _officer_client("tiepnhan2.hoabinh")
    assert (await client.get("/mot-cua")).status_code == 200
    await client.__aexit__(None, None, None)


async def test_invalid_officer_data_is_refused_with_vietnamese_errors(admin):
    token = await csrf_token(admin, "/quan-tri")
    r = await admin.post(
        "/quan-tri/can-bo",
        data={"_csrf_token": token, "ten_dang_nhap": "có dấu", "ho_ten": "", "co_quan": "x"},
    )
    assert r.status_code == 422
    assert "Chọn ít nhất một vai trò hợp lệ" in r.text
    assert "Không có cơ quan với mã này" in r.text


async def test_other_officers_cannot_administer(demo_db):
    client = await _officer_client("lanhdao.hoabinh")
    assert (await client.get("/quan-tri")).status_code == 403
    await client.__aexit__(None, None, None)


async def _toggle(admin: AsyncTestClient, username: str) -> None:
    officer = await Officer.select(Officer.id).where(Officer.username == username).first().run()
    token = await csrf_token(admin, "/quan-tri")
    r = await admin.post(
        f"/quan-tri/can-bo/{officer['id']}/trang-thai",
        data={"_csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303


async def test_a_locked_officer_cannot_log_in_until_unlocked(admin):
    await _toggle(admin, "xuly.hoabinh")
    assert "Đã khóa" in (await admin.get("/quan-tri")).text
    client = AsyncTestClient(app=create_app())
    async with client:
        token = await csrf_token(client, "/mot-cua/dang-nhap")
        refused = await client.post(
            "/mot-cua/dang-nhap",
            data={
                "_csrf_token": token,
                "ten_dang_nhap": "xuly.hoabinh",
                "mat_khau": "motcua-demo-2026",
            },
            follow_redirects=False,
        )
        assert refused.status_code != 303
    await _toggle(admin, "xuly.hoabinh")
    unlocked = await _officer_client("xuly.hoabinh")
    assert (await unlocked.get("/mot-cua")).status_code == 200
    await unlocked.__aexit__(None, None, None)


async def test_an_administrator_cannot_lock_their_own_account(admin):
    page = (await admin.get("/quan-tri")).text
    own_row = page.split("<td>quantri</td>", 1)[1].split("</tr>", 1)[0]
    assert "tài khoản của bạn" in own_row and "<button" not in own_row
    await _toggle(admin, "quantri")  # a hand-made request is ignored too
    assert (await admin.get("/quan-tri")).status_code == 200


async def test_an_administrator_lands_on_the_administration_page(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        token = await csrf_token(client, "/mot-cua/dang-nhap")
        data = {"_csrf_token": token, "ten_dang_nhap": "quantri", "mat_khau": "motcua-demo-2026"}
        r = await client.post("/mot-cua/dang-nhap", data=data, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/quan-tri"
