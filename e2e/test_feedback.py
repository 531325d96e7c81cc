"""Citizen voice, as people use it: a citizen rates a returned dossier from the result e-mail
and later reads the leader's answer; a visitor sends a complaint with a photo, tracks it, and
reads the published answer that an officer handled and published without the sender's details
(and without the address the visitor typed in the text, which the officer removed).

These journeys need messages delivered, so they run against a portal of their own whose outbox
worker sends to a local SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from e2e.journeys import DEMO_PASSWORD, jpeg_photo, label, unique_phone
from e2e.mail import Inbox, mailing_portal, smtp_inbox, text_of
from e2e.support import run_async
from tests.integration.builders import Clients
from tests.integration.builders_feedback import returned_dossier

pytestmark = pytest.mark.e2e
RATING_PATH = re.compile(r"https?://[^/\s]+(/danh-gia/\S+)")


def _with_rating_link(message) -> bool:
    return bool(RATING_PATH.search(text_of(message)))


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    with smtp_inbox() as box:
        yield box


@pytest.fixture(scope="module")
def portal(demo_db: str, inbox: Inbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with mailing_portal(inbox, tmp_path_factory.mktemp("feedback-portal") / "server.log") as url:
        yield url


@pytest.fixture
def open_page(browser, browser_context_args: dict, javascript: bool, portal: str):
    """A fresh browser (360×640) on this portal, JavaScript on or off as the run says."""
    contexts = []

    def make() -> Page:
        args = {**browser_context_args, "base_url": portal, "java_script_enabled": javascript}
        contexts.append(browser.new_context(**args))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def _rating_path(message) -> str:
    return RATING_PATH.search(text_of(message)).group(1)


def _desk_login(page: Page, username: str) -> None:
    page.goto("/mot-cua/dang-nhap")
    page.get_by_label(label("Tên đăng nhập")).fill(username)
    page.get_by_label(label("Mật khẩu")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bộ phận một cửa")


def test_a_citizen_rates_a_returned_dossier_and_reads_the_leaders_answer(
    open_page, inbox: Inbox
) -> None:
    async def build():
        clients = Clients()
        try:
            applicant, dossier, _ = await returned_dossier(clients)
            return applicant.email, dossier.code
        finally:
            await clients.aclose()

    email, code = run_async(build())
    citizen = open_page()
    citizen.goto(_rating_path(inbox.newest(email, code, _with_rating_link)))
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Đánh giá mức độ hài lòng")
    overall = citizen.get_by_role("group", name=re.compile("Đánh giá tổng thể dịch vụ"))
    overall.get_by_label("Không hài lòng").check()
    ease = citizen.get_by_role("group", name=re.compile("Mức độ thuận tiện"))
    ease.get_by_label("Hài lòng", exact=True).check()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_role("alert")).to_contain_text("không hài lòng")  # a comment is needed
    comment = "Tôi phải đến bộ phận một cửa ba lần mới nhận được kết quả."
    citizen.get_by_label("Ý kiến của bạn").fill(comment)
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_role("status")).to_contain_text("đã được ghi nhận")
    expect(citizen.locator("#rating-given")).to_contain_text("Chờ lãnh đạo trả lời")

    leader = open_page()
    _desk_login(leader, "lanhdao.hoabinh")
    leader.get_by_role("link", name="Đánh giá, ý kiến không hài lòng").click()
    answer = "Chúng tôi xin lỗi ông bà; bộ phận một cửa đã được nhắc nhở trả kết quả đúng hẹn."
    leader.get_by_label(f"Trả lời người dân (hồ sơ {code})").fill(answer)
    leader.get_by_role("listitem").filter(has_text=code).get_by_role(
        "button", name="Gửi trả lời"
    ).click()
    expect(leader.locator("#follow-ups")).not_to_contain_text(code)

    citizen.goto(_rating_path(inbox.newest(email, "Trả lời ý kiến", _with_rating_link)))
    expect(citizen.locator("#leader-answer")).to_have_text(answer)
    expect(citizen.locator("#rating-given")).to_contain_text(comment)


def test_a_visitor_complains_with_a_photo_and_reads_the_published_answer(open_page) -> None:
    phone = unique_phone()
    subject = f"Cán bộ hẹn lại nhiều lần không rõ lý do {phone[-5:]}"
    visitor = open_page()
    visitor.goto("/")
    visitor.get_by_role("contentinfo").get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    visitor.get_by_label("Phản ánh", exact=True).check()
    agency = visitor.get_by_label(label("Cơ quan nhận"))
    agency.select_option(label="Ủy ban nhân dân phường Hòa Bình")
    visitor.get_by_label(label("Tiêu đề")).fill(subject)
    typed = "Tôi đến nộp hồ sơ ba lần đều được hẹn lại."
    home = "Nhà tôi ở số 45 ngõ 7 phố Chợ Cũ."  # a personal detail typed in the text
    visitor.get_by_label(label("Nội dung")).fill(f"{typed} {home}")
    visitor.get_by_label(label("Họ và tên")).fill("Lê Văn Cường")
    visitor.get_by_label(label("Số điện thoại di động")).fill(phone)
    visitor.get_by_label("Ảnh hoặc tệp kèm theo (không bắt buộc)").set_input_files(jpeg_photo())
    visitor.get_by_role("button", name="Gửi phản ánh").click()
    code = visitor.locator("#feedback-code").inner_text()
    assert code.startswith("PA-")
    visitor.get_by_role("link", name="Tra cứu phản ánh").first.click()
    visitor.get_by_label("Mã phản ánh").fill(code)  # kept from the link, typed again for sure
    visitor.get_by_label("4 số cuối số điện thoại").fill(phone[-4:])
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(visitor.locator("#feedback-status .status")).to_have_text("Chờ tiếp nhận")

    officer = open_page()
    _desk_login(officer, "tiepnhan.hoabinh")
    officer.get_by_role("link", name=re.compile("Phản ánh sắp đến hạn")).click()
    officer.get_by_role("link", name=code).click()
    officer.get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(officer.locator(".facts .status")).to_have_text("Đang xử lý")
    answer = "Đã kiểm tra và nhắc nhở cán bộ tiếp nhận; hồ sơ của ông được ưu tiên giải quyết."
    officer.get_by_label("Phân loại").select_option(label="Hành vi của cán bộ, công chức")
    officer.get_by_label(re.compile("^Nội dung")).fill(answer)
    officer.get_by_role("button", name="Trả lời").click()
    expect(officer.locator(".facts .status")).to_have_text("Đã trả lời")
    public_text = officer.get_by_label(label("Nội dung phản ánh công khai"))
    expect(public_text).to_have_value(f"{typed} {home}")
    public_text.fill("")
    officer.get_by_role("button", name="Công khai câu trả lời").click()
    expect(officer.locator(".facts .status")).to_have_text("Đã trả lời")  # nothing to publish
    public_text.fill(typed)  # the officer removes the address typed in the text
    officer.get_by_role("button", name="Công khai câu trả lời").click()
    expect(officer.locator(".facts .status")).to_have_text("Đã công khai")
    expect(officer.locator(".timeline")).to_contain_text(
        "Đã biên tập trước khi công khai: nội dung"
    )

    visitor.get_by_role("contentinfo").get_by_role(
        "link", name="Trả lời phản ánh, kiến nghị"
    ).click()
    visitor.get_by_role("searchbox").fill(subject)
    visitor.get_by_role("button", name="Tìm").click()
    item = visitor.locator("#published-answers li").filter(has_text=subject)
    expect(item).to_contain_text(answer)
    expect(item).to_contain_text(typed)
    expect(item).not_to_contain_text(home)
    expect(item).not_to_contain_text("Lê Văn Cường")
    expect(item).not_to_contain_text(phone)
    item.get_by_role("button", name=re.compile("^Hữu ích")).click()
    expect(
        visitor.locator("#published-answers li")
        .filter(has_text=subject)
        .get_by_role("button", name="Hữu ích (1)")
    ).to_be_visible()
