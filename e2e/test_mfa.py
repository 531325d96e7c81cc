"""An officer turns on the second factor from the desk and logs in with a code (1280×800)."""

from __future__ import annotations

import time

import pyotp
from playwright.sync_api import Page, expect

from e2e.journeys import DEMO_PASSWORD, label
from e2e.support import type_address


def _log_in_with_password(page: Page, username: str) -> None:
    page.get_by_label(label("Tên đăng nhập")).fill(username)
    page.get_by_label(label("Mật khẩu")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_officer_turns_on_totp_and_logs_in_with_a_code(page: Page, javascript: bool) -> None:
    # Each run uses its own officer: turning TOTP on is kept in the shared demo database.
    username = "xuly.tinh" if javascript else "lanhdao.tinh"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/mot-cua/dang-nhap")
    _log_in_with_password(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bộ phận một cửa")

    page.get_by_role("link", name="Bảo mật").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
    expect(page.locator(".qr svg")).to_be_visible()
    # What the officer types into the authenticator app when the QR code cannot be scanned.
    secret = page.get_by_label("Khoá bí mật").inner_text()
    totp = pyotp.TOTP(secret)
    page.get_by_label(label("Mã xác thực")).fill(totp.now())
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_role("status")).to_have_text("Đã bật xác thực hai bước.")
    expect(page.locator(".recovery-codes li")).to_have_count(10)

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    # Officers type the desk's address or keep it as a bookmark.
    type_address(page, "/mot-cua/dang-nhap")
    _log_in_with_password(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập mã xác thực")
    page.get_by_label(label("Mã xác thực")).fill("000000")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert")).to_contain_text("Mã xác thực không đúng")
    # The next 30-second code: the one used to turn TOTP on is never accepted twice.
    page.get_by_label(label("Mã xác thực")).fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bộ phận một cửa")
