"""A visitor tracks a dossier by its code and phone digits; an officer changes it meanwhile."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from e2e.journeys import desk_open
from e2e.support import run_async
from tests.integration.builders_notifications import submitted_dossier

pytestmark = pytest.mark.e2e


_run = run_async


def _unique_phone() -> str:
    return "09" + str(time.time_ns())[-8:]


def test_visitor_sees_the_status_change_made_by_an_officer(
    page: Page, javascript: bool, new_context
) -> None:
    phone = _unique_phone()
    dossier = _run(submitted_dossier(phone, f"{phone}@example.com"))

    page.goto("/tra-cuu")
    page.get_by_label("Mã hồ sơ").fill(dossier["code"])
    page.get_by_label("4 số cuối số điện thoại").fill(phone[-4:])
    page.get_by_role("button", name="Tra cứu").click()
    status = page.locator("#tracking-status .status")
    expect(status).to_have_text("Đã nộp, chờ tiếp nhận")
    expect(page.locator("#tracking-status")).not_to_contain_text(phone)

    officer = new_context(java_script_enabled=True).new_page()
    officer.goto("/mot-cua/dang-nhap")
    officer.get_by_label("Tên đăng nhập").fill("tiepnhan.hoabinh")
    officer.get_by_label("Mật khẩu").fill("motcua-demo-2026")
    officer.get_by_role("button", name="Đăng nhập").click()
    desk_open(officer, dossier["code"], javascript=True)
    officer.locator("summary", has_text="Tiếp nhận").first.click()
    officer.get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(officer.locator("#dossier-main .status").first).to_have_text("Đã tiếp nhận")

    if javascript:  # the open dossier's status polls by itself
        expect(status).to_have_text("Đã tiếp nhận", timeout=15_000)
    else:
        expect(status).to_have_text("Đã nộp, chờ tiếp nhận")
        page.get_by_role("link", name="Cập nhật tình trạng").click()
        expect(page.locator("#tracking-status .status")).to_have_text("Đã tiếp nhận")


def test_a_wrong_factor_is_answered_without_saying_which_part_was_wrong(page: Page) -> None:
    phone = _unique_phone()
    dossier = _run(submitted_dossier(phone, f"{phone}@example.com"))
    page.goto("/tra-cuu")
    page.get_by_label("Mã hồ sơ").fill(dossier["code"])
    page.get_by_label("4 số cuối số điện thoại").fill("0000" if phone[-4:] != "0000" else "1111")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ với mã và thông tin")
