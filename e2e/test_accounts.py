"""Citizen accounts, as people use them: register from the home page with an e-mail address and
activate the account from the confirmation e-mail; try to register an address that already has
an account (same answer, and the owner is warned by e-mail); change the password from the
profile and log in with the new one.

The messages are read from a local SMTP server that this module's portal sends to."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from e2e.journeys import RegisterPage, click_nav, label, log_out
from e2e.mail import Inbox, mailing_portal, smtp_inbox, text_of
from e2e.support import guard_context, type_address

pytestmark = pytest.mark.e2e
CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/dang-ky/xac-nhan/\S+)")
PASSWORD, NEW_PASSWORD = "mot cau de nho 2026", "song nui xanh mai 2026"


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    with smtp_inbox() as box:
        yield box


@pytest.fixture(scope="module")
def portal(demo_db: str, inbox: Inbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with mailing_portal(inbox, tmp_path_factory.mktemp("accounts-portal") / "server.log") as url:
        yield url


@pytest.fixture
def open_page(browser, browser_context_args: dict, javascript: bool, portal: str):
    """A fresh browser (360×640) on this portal, JavaScript on or off as the run says; its
    pages may ``goto`` only their first page."""
    contexts = []

    def make() -> Page:
        args = {**browser_context_args, "base_url": portal, "java_script_enabled": javascript}
        contexts.append(guard_context(browser.new_context(**args)))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def _email() -> str:
    return f"dang.ky.{uuid.uuid4().hex[:8]}@example.com"


def _register_by_email(page: Page, inbox: Inbox, email: str) -> None:
    register = RegisterPage(page).open()
    register.fill("Phan Thị Hạnh", email, PASSWORD)
    mail = inbox.newest(email, "Xác nhận đăng ký")
    register.activate(CONFIRM_PATH.search(text_of(mail)).group(1))


def _log_in(page: Page, login: str, password: str) -> None:
    click_nav(page, "Đăng nhập")
    page.get_by_label(label("Số điện thoại hoặc e-mail")).fill(login)
    page.get_by_label(label("Mật khẩu")).fill(password)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()


def test_a_citizen_registers_by_email_and_activates_the_account(open_page, inbox) -> None:
    email = _email()
    page = open_page()
    _register_by_email(page, inbox, email)
    expect(page.get_by_role("status")).to_contain_text("Đã tạo tài khoản")
    expect(page.get_by_role("textbox", name="E-mail")).to_have_value(email)
    log_out(page)
    _log_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/ho-so$"))


def test_registering_a_taken_address_answers_alike_and_warns_the_owner(open_page, inbox) -> None:
    email = _email()
    _register_by_email(open_page(), inbox, email)
    stranger = open_page()
    RegisterPage(stranger).open().fill("Người Lạ", email, "mat khau nguoi la 2026")
    warning = inbox.newest(email, "Có người đăng ký")
    assert "/quen-mat-khau" in text_of(warning)
    assert not CONFIRM_PATH.search(text_of(warning))
    _log_in(stranger, email, "mat khau nguoi la 2026")
    expect(stranger.get_by_role("alert")).to_contain_text("không đúng")


def test_a_citizen_changes_the_password_from_the_profile(open_page, inbox) -> None:
    email = _email()
    page = open_page()
    _register_by_email(page, inbox, email)
    other_device = open_page()
    _log_in(other_device, email, PASSWORD)
    expect(other_device).to_have_url(re.compile(r"/ho-so$"))

    click_nav(page, "Tài khoản")
    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.get_by_label(label("Mật khẩu hiện tại")).fill("khong phai mat khau")
    page.get_by_label(label("Mật khẩu mới")).fill(NEW_PASSWORD)
    page.get_by_label(label("Nhập lại mật khẩu mới")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("alert")).to_contain_text("Mật khẩu hiện tại không đúng")
    page.get_by_label(label("Mật khẩu hiện tại")).fill(PASSWORD)
    page.get_by_label(label("Mật khẩu mới")).fill(NEW_PASSWORD)
    page.get_by_label(label("Nhập lại mật khẩu mới")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đổi mật khẩu")

    click_nav(other_device, "Thủ tục")  # the other device's session has ended
    site_nav = other_device.get_by_role("navigation", name="Điều hướng chính")
    expect(site_nav.get_by_role("link", name="Đăng nhập")).to_be_visible()
    log_out(page)
    _log_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/ho-so$"))


def test_a_used_confirmation_link_says_so(open_page, inbox) -> None:
    email = _email()
    page = open_page()
    _register_by_email(page, inbox, email)
    link = CONFIRM_PATH.search(text_of(inbox.newest(email, "Xác nhận đăng ký"))).group(1)
    later = open_page()
    later.goto("/")
    type_address(later, link)
    expect(later.get_by_role("alert")).to_contain_text("đã hết hạn hoặc đã được dùng")
