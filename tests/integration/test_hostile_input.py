"""Hostile input answers 4xx with the security headers, never 500 (fuzzed more broadly in
test_fuzz_routes.py)."""

import pytest

from app.routes.static import static_url
from tests.integration.builders import Clients, token_of

HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture
async def people(demo_db):
    clients = Clients()
    try:
        yield clients
    finally:
        await clients.aclose()


def assert_headers(response) -> None:
    for name in HEADERS:
        assert name in response.headers, (response.status_code, name)


async def test_every_kind_of_answer_carries_the_security_headers(people: Clients) -> None:
    client = await people.new()
    for path, status in [
        ("/khong-co", 404),
        ("/ho-so", 303),
        ("/", 200),
        (static_url("site.css"), 200),
    ]:
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == status
        assert_headers(response)
    refused = await client.post("/dang-nhap", data={"dinh_danh": "x"}, follow_redirects=False)
    assert refused.status_code == 403
    assert_headers(refused)


async def test_personal_pages_are_never_stored(people: Clients) -> None:
    applicant = await people.citizen()
    for path in ("/ho-so", "/tai-khoan"):
        response = await applicant.client.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
    static = await applicant.client.get(static_url("site.css"))
    assert "immutable" in static.headers["cache-control"]


@pytest.mark.parametrize("dossier_id", [2**31, 2**63, 10**20])
async def test_ids_past_the_column_range_are_not_found(people: Clients, dossier_id: int) -> None:
    desk = await people.officer("tiepnhan.hoabinh")
    response = await desk.get(f"/mot-cua/ho-so/{dossier_id}")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


async def test_invalid_utf8_in_a_multipart_form_is_a_400_in_vietnamese(people: Clients) -> None:
    client = await people.new()
    token = await token_of(client)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="_csrf_token"\r\n\r\n'
        + token.encode()
        + b'\r\n--B\r\nContent-Disposition: form-data; name="dinh_danh"\r\n\r\n'
        + b"\xff\xfe\r\n--B--\r\n"
    )
    response = await client.post(
        "/dang-nhap", content=body, headers={"content-type": "multipart/form-data; boundary=B"}
    )
    assert response.status_code == 400
    assert "không hợp lệ" in response.text


async def test_a_nul_in_a_form_never_reaches_the_database(people: Clients) -> None:
    client = await people.new()
    token = await token_of(client)
    response = await client.post(
        "/dang-nhap",
        data={"_csrf_token": token, "dinh_danh": "an\x00@example.com", "mat_khau": "x\x00y"},
    )
    assert response.status_code in (401, 422)


async def test_an_unsigned_post_to_the_sandbox_gateway_is_refused(people: Clients) -> None:
    client = await people.new()
    token = await token_of(client)
    response = await client.post(
        "/sandbox/vnpay/xu-ly",
        data={"_csrf_token": token, "ket_qua": "00", "vnp_TxnRef": "X"},
        follow_redirects=False,
    )
    assert response.status_code == 400


async def test_a_tracking_factor_in_other_digits_is_understood(people: Clients) -> None:
    applicant = await people.citizen()
    dossier = await applicant.submit_dossier()  # phone 0912 000 111: factor 0111
    client = await people.new()
    for factor in ("٠١١١", "०१११", "０１１１"):
        response = await client.get("/tra-cuu", params={"ma": dossier.code, "xac_thuc": factor})
        assert response.status_code == 200, factor
        assert dossier.code in response.text


async def test_a_non_ascii_tracking_signature_is_not_found(people: Clients) -> None:
    applicant = await people.citizen()
    dossier = await applicant.submit_dossier()
    response = await (await people.new()).get(f"/tra-cuu/{dossier.code}/١٢٣٤")
    assert response.status_code == 404
