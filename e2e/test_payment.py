"""Online payment through the sandbox gateway, and a result delivered online, at 360×640.

The fee form, the sandbox gateway and the desk's delivery form are plain HTML, so every journey
runs with JavaScript on ("js") and off ("nojs"). The sandbox gateway sends the IPN to the live
server first, then sends the browser back to the return page.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.journeys import desk_open, open_own_dossier
from e2e.support import live_portal, run_async
from tests.integration.builders_payments import (
    CITIZEN_PASSWORD,
    DEMO_PASSWORD,
    RECEPTIONIST,
    approved_dossier,
    submitted_dossier,
    unique_phone,
)

pytestmark = pytest.mark.e2e

RECEIPT = re.compile(r"^Biên lai 000\.00\.32\.H99/\d{4}-\d{7} · 7\.000 ₫")


_run = run_async


def _citizen_with_dossier(**kwargs) -> tuple[str, dict]:
    phone = unique_phone()
    return phone, _run(submitted_dossier(phone, f"{phone}@example.com", **kwargs))


def _log_in(page: Page, phone: str, portal: str = "") -> None:
    page.goto(f"{portal}/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đăng nhập"
    ).click()
    page.get_by_label("Số điện thoại hoặc e-mail").fill(phone)
    page.get_by_label("Mật khẩu").fill(CITIZEN_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def _fee_box(page: Page) -> Locator:
    return page.get_by_role("region", name="Phí, lệ phí")


def _pay_at_the_sandbox(page: Page, code: str, outcome: str) -> None:
    """From "Hồ sơ của tôi" to the dossier, to the gateway, choose ``outcome`` and confirm."""
    open_own_dossier(page, code)
    fee = _fee_box(page)
    expect(fee).to_contain_text("Chưa nộp phí, lệ phí")
    fee.get_by_role("button", name=re.compile(r"^Thanh toán trực tuyến 7\.000 ₫")).click()

    expect(page).to_have_title(re.compile(r"^Cổng thanh toán thử nghiệm"))
    expect(page.get_by_text("Cổng thanh toán thử nghiệm theo giao thức VNPay")).to_be_visible()
    expect(page.get_by_text("7.000 ₫", exact=True)).to_be_visible()
    page.get_by_label(outcome).check()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Kết quả thanh toán", level=1)).to_be_visible()


def test_a_citizen_pays_online_and_downloads_the_receipt(page: Page) -> None:
    phone, dossier = _citizen_with_dossier()
    _log_in(page, phone)

    _pay_at_the_sandbox(page, dossier["code"], "Thanh toán thành công")

    expect(page).to_have_url(re.compile(r"/thanh-toan/vnpay/tra-ve\?"))
    expect(page.get_by_role("status")).to_contain_text("Thanh toán thành công.")
    expect(page.get_by_role("status")).to_contain_text("7.000 ₫")
    fee_receipt = page.get_by_role("status").get_by_role("link", name="Xem, in biên lai")
    expect(fee_receipt).to_be_visible()
    page.get_by_role("link", name="Về trang hồ sơ").click()

    fee = _fee_box(page)
    expect(fee).to_contain_text("Đã nộp phí, lệ phí")
    expect(fee.get_by_text(RECEIPT)).to_be_visible()
    expect(fee.get_by_role("button", name=re.compile("^Thanh toán trực tuyến"))).to_have_count(0)
    with page.expect_download() as download:
        fee.get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename.startswith("bien-lai-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_an_insufficient_balance_leaves_the_fee_unpaid(page: Page) -> None:
    phone, dossier = _citizen_with_dossier()
    _log_in(page, phone)

    _pay_at_the_sandbox(page, dossier["code"], "Tài khoản không đủ số dư (51)")

    problem = page.get_by_role("alert")
    expect(problem).to_contain_text("Chưa thanh toán được")
    expect(problem).to_contain_text("Tài khoản không đủ số dư để thực hiện giao dịch.")
    expect(page.get_by_text("Thanh toán thành công.")).to_have_count(0)
    page.get_by_role("link", name="Về trang hồ sơ").click()

    fee = _fee_box(page)
    expect(fee).to_contain_text("Chưa nộp phí, lệ phí")
    expect(fee.get_by_text(re.compile("^Biên lai"))).to_have_count(0)
    expect(fee.get_by_role("button", name=re.compile("^Thanh toán trực tuyến"))).to_be_visible()


def _result_pdf() -> bytes:
    """A small PDF whose bytes (so whose SHA-256) belong to this test run only."""
    text = f"Ket qua giai quyet {uuid.uuid4()}"
    stream = f"BT /F1 12 Tf 40 780 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_result_delivered_online_downloads_with_its_sha256(
    page: Page, javascript: bool, new_context
) -> None:
    phone = unique_phone()
    dossier = _run(approved_dossier(phone, f"{phone}@example.com", delivery="online"))
    result = _result_pdf()
    digest = hashlib.sha256(result).hexdigest()

    desk = new_context(java_script_enabled=javascript).new_page()
    desk.goto("/mot-cua/dang-nhap")
    desk.get_by_label("Tên đăng nhập").fill(RECEPTIONIST)
    desk.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    desk.get_by_role("button", name="Đăng nhập").click()
    desk_open(desk, dossier["code"], javascript=javascript)
    deliver = desk.get_by_role("region", name="Giao kết quả")
    expect(deliver).to_contain_text("trực tuyến")
    deliver.get_by_label("Tệp kết quả đã ký số (PDF)").set_input_files(
        files=[{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": result}]
    )
    deliver.get_by_role("button", name="Giao và trả kết quả").click()  # one step
    expect(desk.get_by_text(f"SHA-256 {digest}")).to_be_visible()
    expect(desk.locator("#dossier-main .status").first).to_have_text("Đã trả kết quả")

    _log_in(page, phone)
    open_own_dossier(page, dossier["code"])
    delivered = page.get_by_role("region", name="Kết quả giải quyết")
    expect(delivered.locator("code.hash")).to_have_text(digest)
    link = delivered.get_by_role("link", name="Tải tệp kết quả")
    # The link opens the PDF inline (Chromium shows it in its viewer); Alt+click is the browser's
    # "save the link's target" gesture, which hands over the bytes the citizen keeps.
    with page.expect_download() as download:
        link.click(modifiers=["Alt"])
    with open(download.value.path(), "rb") as saved:
        body = saved.read()
    assert body == result
    assert hashlib.sha256(body).hexdigest() == digest


# --- a gateway on another origin, as the real VNPay gateway is ------------------------------------


class _StandInGateway(BaseHTTPRequestHandler):
    """Answers every GET with a page titled like a gateway, as VNPay's payment page would."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        body = "<!doctype html><title>Cổng thanh toán bên ngoài</title><p>VNPay".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def external_gateway(
    demo_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A second live server (same database) configured with MOTCUA_VNPAY_URL pointing at a stand-in
    gateway on another origin, as in production. Yields the portal and the gateway URLs."""
    stand_in = ThreadingHTTPServer(("127.0.0.1", 0), _StandInGateway)
    threading.Thread(target=stand_in.serve_forever, daemon=True).start()
    gateway = f"http://localhost:{stand_in.server_address[1]}/paymentv2/vpcpay.html"
    env = {
        **os.environ,
        "MOTCUA_VNPAY_URL": gateway,
        "MOTCUA_VNPAY_SECRET": "stand-in-gateway-secret",
        "MOTCUA_SANDBOX_GATEWAY": "0",
    }
    log_path = tmp_path_factory.mktemp("external-gateway") / "server.log"
    try:
        with live_portal(env, log_path) as portal:
            yield portal, gateway
    finally:
        stand_in.shutdown()


def test_the_pay_button_reaches_a_gateway_on_another_origin(
    page: Page, external_gateway: tuple[str, str]
) -> None:
    """In production MOTCUA_VNPAY_URL is VNPay's own address: pressing the button must land there
    with a signed payment URL (the portal answers the POST with a 303 to the gateway)."""
    portal, gateway = external_gateway
    phone, dossier = _citizen_with_dossier()
    _log_in(page, phone, portal)
    open_own_dossier(page, dossier["code"])

    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    _fee_box(page).get_by_role("button", name=re.compile(r"^Thanh toán trực tuyến")).click()

    try:
        expect(page).to_have_url(re.compile("^" + re.escape(gateway) + r"\?.*vnp_SecureHash="))
    except AssertionError as exc:
        raise AssertionError(f"still on {page.url}; browser console: {console}") from exc
    expect(page).to_have_title("Cổng thanh toán bên ngoài")
    assert "vnp_Amount=700000" in page.url


def test_the_desk_marks_priority_and_takes_the_fee_at_the_counter(
    page: Page, javascript: bool, new_context
) -> None:
    """The priority switch and the counter payment are drawn from the lifecycle's rows; each
    lands in the dossier's history."""
    _, dossier = _citizen_with_dossier()
    desk = new_context(java_script_enabled=javascript).new_page()
    desk.goto("/mot-cua/dang-nhap")
    desk.get_by_label("Tên đăng nhập").fill(RECEPTIONIST)
    desk.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    desk.get_by_role("button", name="Đăng nhập").click()
    opened = desk_open(desk, dossier["code"], javascript=javascript)

    desk.get_by_role("button", name="Đánh dấu ưu tiên").click()
    expect(opened.main.locator(".badge-priority")).to_have_text("Ưu tiên")
    expect(opened.history).to_contain_text("Đánh dấu ưu tiên")
    desk.get_by_role("button", name="Bỏ đánh dấu ưu tiên").click()
    expect(opened.main.locator(".badge-priority")).to_have_count(0)
    expect(opened.history).to_contain_text("Bỏ đánh dấu ưu tiên")

    fee = _fee_box(desk)
    expect(fee).to_contain_text("Chưa nộp phí, lệ phí")
    fee.get_by_label("Thẻ").check()
    fee.get_by_role("button", name="Ghi nhận đã thu 7.000 ₫").click()
    fee = _fee_box(desk)
    expect(fee).to_contain_text("Đã nộp phí, lệ phí")
    expect(fee.get_by_text(RECEIPT)).to_be_visible()
    expect(fee.get_by_role("button", name=re.compile("^Ghi nhận đã thu"))).to_have_count(0)
    expect(opened.history).to_contain_text("Thu phí tại quầy")
