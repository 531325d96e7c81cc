"""Page objects for the submission and desk journeys: what citizens and officers see and do.

Located by role and label like ``e2e.pages``. Every action works with JavaScript (HTMX swaps the
wizard step or the desk's ``#dossier-main``) and without it (plain forms and redirects): the
page objects click the same buttons and wait for what the user would see next.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import Download, Locator, Page, expect
from pypdf import PdfReader

from e2e.support import run_async, type_address
from tests.integration.helpers import confirmation_path

DEMO_PASSWORD = "motcua-demo-2026"
MARITAL_STATUS = "P04"  # "Cấp Giấy xác nhận tình trạng hôn nhân": a real multi-step form
MARITAL_STATUS_NAME = "Cấp Giấy xác nhận tình trạng hôn nhân"
DIVORCE_PAPER_LABEL = "Giấy tờ chứng minh đã ly hôn hoặc vợ/chồng đã chết"
MARITAL_STATUS_QUERY = "xac nhan tinh trang hon nhan"  # typed without diacritics, as on a phone
HOA_BINH = "Ủy ban nhân dân phường Hòa Bình"
DOSSIER_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,}$")
LOCAL_TIME = re.compile(r"^\d{2}:\d{2} \d{2}/\d{2}/\d{4}$")  # "17:00 27/11/2026"
NOT_ACCEPTED = "Chỉ nhận ảnh (JPEG, PNG, WebP) hoặc tệp PDF"


def label(text: str) -> re.Pattern[str]:
    """A field's label, with or without the " *" that marks it required."""
    return re.compile(rf"^{re.escape(text)}(\s*\*)?$")


# Test data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCitizen:
    """A citizen who registers during the test: a fresh mobile number for every run."""

    full_name: str
    phone: str
    password: str

    @classmethod
    def make(cls, full_name: str = "Trần Thị Bình") -> NewCitizen:
        return cls(full_name, unique_phone(), "mot-cau-de-nho-" + uuid.uuid4().hex[:6])


def unique_phone() -> str:
    """A Vietnamese mobile number (09 + 8 digits) that no other run of the session uses."""
    return f"09{uuid.uuid4().int % 10**8:08d}"


def jpeg_photo(name: str = "anh.jpg", colour: tuple[int, int, int] = (180, 40, 40)) -> dict:
    """A small, real JPEG photo, as ``set_input_files`` takes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG", quality=80)
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def renamed_text_file(name: str = "anh.jpg") -> dict:
    """A text file given a photo's name and type: the server must judge it by its content."""
    return {"name": name, "mimeType": "image/jpeg", "buffer": "Đây không phải ảnh.\n".encode()}


@dataclass(frozen=True)
class MaritalStatusAnswers:
    """What a woman born in 1995 declares for herself on P04 (ID number matches her birth)."""

    place: str = HOA_BINH
    citizen_id: str = "001195012345"  # Hà Nội (001), female born in the 1900s (1), 1995 (95)
    address: str = "Số 12 đường Lê Lợi, phường Hòa Bình"
    relation: str = "Bản thân"
    birth_date: str = "1995-03-15"
    sex: str = "Nữ"
    ethnicity: str = "Kinh"
    nationality: str = "Việt Nam"
    marital_status: str = "Chưa đăng ký kết hôn với ai"
    purpose: str = "Để đăng ký kết hôn"
    delivery: str = "Nhận tại bộ phận một cửa"


class DocumentMark:
    """Whether the page kept its document since it was marked: HTMX swaps keep it; plain form
    posts, redirects and links load a new one. Tells that the "js" runs really went through
    HTMX and the "nojs" runs through plain HTML."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def set(self) -> DocumentMark:
        self.page.evaluate("() => { window.e2eMark = true }")
        return self

    def kept(self) -> bool:
        return self.page.evaluate("() => window.e2eMark === true")


# Getting around like a person ------------------------------------------------------------------


def open_portal(page: Page) -> None:
    """The home page, typed into a new tab; on a page already open, nothing to do."""
    if page.url in ("", "about:blank"):
        page.goto("/")


def click_nav(page: Page, name: str) -> None:
    """A link of the site's header navigation."""
    open_portal(page)
    site_nav = page.get_by_role("navigation", name="Điều hướng chính")
    site_nav.get_by_role("link", name=name, exact=True).click()


def find_procedure(page: Page, query: str, name: str) -> None:
    """From any page: "Thủ tục", type the query, press Enter, open the procedure by its name."""
    click_nav(page, "Thủ tục")
    box = page.get_by_role("search").get_by_label("Tìm thủ tục")
    box.fill(query)
    box.press("Enter")
    results = page.get_by_role("region", name=re.compile("thủ tục"))
    expect(results.get_by_role("heading", level=2)).to_contain_text(f"“{query}”")
    results.get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    site_nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(site_nav.get_by_role("link", name="Đăng nhập")).to_be_visible()


# Citizen pages -----------------------------------------------------------------------------------


class RegisterPage:
    """``/dang-ky``."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> RegisterPage:
        """From the header's "Đăng nhập", the login page's "Đăng ký" link."""
        click_nav(self.page, "Đăng nhập")
        self.page.get_by_role("main").get_by_role("link", name="Đăng ký", exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Đăng ký")
        return self

    def register(self, citizen: NewCitizen) -> None:
        """Fill the form, then open the link of the confirmation SMS (the portal's outbox: this
        test server sends no SMS) and activate the account."""
        self.fill(citizen.full_name, citizen.phone, citizen.password)
        self.activate(run_async(confirmation_path(citizen.phone)))

    def fill(self, full_name: str, login: str, password: str) -> None:
        self.page.get_by_label(label("Họ và tên")).fill(full_name)
        self.page.get_by_label(label("Số điện thoại di động hoặc e-mail")).fill(login)
        self.page.get_by_label(label("Mật khẩu")).fill(password)
        self.page.get_by_label(label("Nhập lại mật khẩu")).fill(password)
        self.page.get_by_role("button", name="Đăng ký").click()
        expect(self.page.get_by_role("status")).to_contain_text("đã gửi liên kết xác nhận")

    def activate(self, link_path: str | None) -> None:
        """Open the confirmation link a person received and press "Kích hoạt tài khoản"."""
        assert link_path, "no confirmation link was sent"
        type_address(self.page, link_path)
        self.page.get_by_role("button", name="Kích hoạt tài khoản").click()
        expect(self.page).to_have_url(re.compile(r"/tai-khoan\?moi=1$"))
        expect(self.page.get_by_role("button", name="Đăng xuất")).to_be_visible()


class LoginPage:
    """``/dang-nhap``: a citizen logs in and lands on "Hồ sơ của tôi"."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> LoginPage:
        click_nav(self.page, "Đăng nhập")
        return self

    def log_in(self, citizen: NewCitizen, lands_on: str = r"/ho-so$") -> None:
        self.page.get_by_label(label("Số điện thoại hoặc e-mail")).fill(citizen.phone)
        self.page.get_by_label(label("Mật khẩu")).fill(citizen.password)
        self.page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
        expect(self.page).to_have_url(re.compile(lands_on))


class WizardPage:
    """``/ho-so/{ref}/buoc/{step}``: one step of the submission form."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.progress = page.get_by_role("navigation", name="Các bước nộp hồ sơ")
        self.error_summary = page.get_by_role("alert")
        self.next_button = page.get_by_role("button", name="Lưu và tiếp tục")
        self.save_draft_button = page.get_by_role("button", name="Lưu nháp, làm tiếp sau")

    def start(self, query: str, name: str) -> WizardPage:
        """Find the procedure, press "Nộp hồ sơ trực tuyến", then "Bắt đầu khai hồ sơ" (a
        draft already begun opens where it stopped)."""
        find_procedure(self.page, query, name)
        self.page.get_by_role("button", name="Nộp hồ sơ trực tuyến").first.click()
        self.begin()
        return self

    def begin(self) -> None:
        """On the start page (e.g. right after logging in), "Bắt đầu khai hồ sơ"."""
        begin = self.page.get_by_role("button", name="Bắt đầu khai hồ sơ")
        expect(begin.or_(self.progress)).to_be_visible()
        if begin.is_visible():
            begin.click()
        expect(self.progress).to_be_visible()

    def expect_step(self, title: str, number: int, of: int = 7) -> None:
        expect(self.heading).to_have_text(title)
        expect(self.progress.get_by_text(re.compile(r"^Bước \d+/\d+$"))).to_have_text(
            f"Bước {number}/{of}"
        )
        expect(self.page).to_have_url(re.compile(r"/ho-so/[A-Z0-9-]+/buoc/[a-z_]+$"))

    def field(self, text: str) -> Locator:
        return self.page.get_by_label(label(text))

    def group(self, legend: str) -> Locator:
        """A radio group (fieldset), named by its legend."""
        return self.page.get_by_role("group", name=label(legend))

    def choose(self, legend: str, option: str) -> None:
        self.group(legend).get_by_label(option, exact=True).check()

    def fill(self, answers: dict[str, str]) -> None:
        for text, value in answers.items():
            self.field(text).fill(value)

    def attach(self, text: str, payload: dict) -> None:
        self.field(text).set_input_files(payload)

    def uploaded(self, text: str) -> Locator:
        """The "Đã đính kèm: …" line of a file field."""
        box = self.page.locator(".field").filter(has=self.field(text))
        return box.get_by_text(re.compile(r"^Đã đính kèm:"))

    def error_of(self, field: Locator) -> Locator:
        """The error message printed next to a field (inside the same form row)."""
        return self.page.locator(".field").filter(has=field).locator(".error")

    def expect_error(self, field: Locator, message: str) -> None:
        """The message is next to the field, in its accessible description and in the summary,
        whose link leads to the field."""
        expect(self.error_of(field)).to_have_text(message)
        expect(field).to_have_accessible_description(re.compile(re.escape(message)))
        target = field if field.get_attribute("id") else field.get_by_role("radio").first
        link = self.error_summary.get_by_role("link", name=message, exact=True)
        expect(link).to_have_attribute("href", f"#{target.get_attribute('id')}")

    def save_and_continue(self) -> None:
        self.next_button.click()

    def save_draft(self) -> None:
        self.save_draft_button.click()


class ReviewPage:
    """``/ho-so/{ref}/kiem-tra``: every answer, the declaration and "Nộp hồ sơ"."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.declaration = page.get_by_label(re.compile(r"^Tôi cam đoan"))
        self.submit_button = page.get_by_role("button", name="Nộp hồ sơ")
        self.problems = page.get_by_role("alert")

    def expect_open(self) -> None:
        expect(self.heading).to_have_text("Kiểm tra thông tin trước khi nộp")
        expect(self.page).to_have_url(re.compile(r"/ho-so/[A-Z0-9-]+/kiem-tra$"))

    def section(self, step_title: str) -> Locator:
        return self.page.get_by_role("region", name=step_title, exact=True)

    def submit(self) -> None:
        self.declaration.check()
        self.submit_button.click()


class MyDossiersPage:
    """``/ho-so``: drafts ("Hồ sơ đang soạn") and submitted dossiers."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.saved_notice = page.get_by_role("status")
        self.drafts = page.get_by_role("region", name="Hồ sơ đang soạn", exact=True)
        self.sent = page.get_by_role("region", name="Hồ sơ đã nộp", exact=True)

    def open(self) -> MyDossiersPage:
        click_nav(self.page, "Hồ sơ của tôi")
        expect(self.heading).to_have_text("Hồ sơ của tôi")
        return self

    def draft(self, procedure_name: str) -> Locator:
        return self.drafts.get_by_role("listitem").filter(has_text=procedure_name)

    def resume(self, procedure_name: str) -> None:
        self.draft(procedure_name).get_by_role("link", name="Làm tiếp ›").click()

    def sent_item(self, code: str) -> Locator:
        link = self.page.get_by_role("link", name=code, exact=True)
        return self.sent.get_by_role("listitem").filter(has=link)

    def open_dossier(self, code: str) -> CitizenDossierPage:
        self.sent.get_by_role("link", name=code, exact=True).click()
        dossier = CitizenDossierPage(self.page)
        expect(dossier.heading).to_have_text(f"Hồ sơ {code}")
        return dossier


def open_own_dossier(page: Page, code: str) -> CitizenDossierPage:
    """ "Hồ sơ của tôi" in the header, then the dossier's code."""
    return MyDossiersPage(page).open().open_dossier(code)


def fact(scope: Page | Locator, term: str) -> Locator:
    """The value (``dd``) shown for a term (``dt``) of a facts list."""
    dt = scope.locator("dl.facts > dt").filter(has_text=re.compile(rf"^{re.escape(term)}$"))
    return dt.locator("xpath=following-sibling::dd[1]")


class CitizenDossierPage:
    """``/ho-so/{ref}``: the citizen's submitted dossier, its receipt and supplement form."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.code = page.get_by_role("status").locator(".big-code")
        self.status = fact(page, "Tình trạng")
        self.due = fact(page, "Ngày hẹn trả kết quả")
        self.receipt_link = page.get_by_role("link", name="Tải giấy tiếp nhận (PDF)")
        self.supplement = page.get_by_role("region", name="Bổ sung hồ sơ", exact=True)
        self.history = page.get_by_role("region", name="Quá trình xử lý", exact=True)

    def download_receipt(self) -> Download:
        with self.page.expect_download() as download:
            self.receipt_link.click()
        return download.value

    def supply(self, payload: dict, note: str = "") -> None:
        self.supplement.get_by_label("Ảnh chụp hoặc tệp PDF giấy tờ bổ sung").set_input_files(
            payload
        )
        if note:
            self.supplement.get_by_label("Ghi chú (không bắt buộc)").fill(note)
        self.supplement.get_by_role("button", name="Gửi bổ sung").click()


def pdf_text(download: Download, folder: Path) -> tuple[bytes, str]:
    """A downloaded PDF's bytes and its text."""
    path = folder / download.suggested_filename
    download.save_as(path)
    body = path.read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    return body, text


def submit_marital_status(page: Page, answers: MaritalStatusAnswers) -> str:
    """Fill P04 from the first step to the end, submit it; return the dossier's code."""
    wizard = WizardPage(page).start(MARITAL_STATUS_QUERY, MARITAL_STATUS_NAME)
    wizard.expect_step("Nơi nộp hồ sơ", 1)
    wizard.choose("Nơi tiếp nhận hồ sơ", answers.place)
    wizard.save_and_continue()
    wizard.expect_step("Người yêu cầu", 2)
    fill_requester(wizard, answers)
    wizard.save_and_continue()
    wizard.expect_step("Người được cấp Giấy xác nhận tình trạng hôn nhân", 3)
    fill_subject(wizard, answers)
    wizard.save_and_continue()
    wizard.expect_step("Tình trạng hôn nhân và mục đích sử dụng", 4)
    fill_marital_status(wizard, answers)
    wizard.save_and_continue()
    wizard.expect_step("Giấy tờ đính kèm", 5)
    wizard.save_and_continue()  # both documents are only needed in some cases
    wizard.expect_step("Nhận kết quả", 6)
    wizard.choose("Hình thức nhận kết quả", answers.delivery)
    wizard.save_and_continue()
    review = ReviewPage(page)
    review.expect_open()
    review.submit()
    dossier = CitizenDossierPage(page)
    expect(dossier.heading).to_have_text("Đã nộp hồ sơ")
    expect(dossier.code).to_have_text(DOSSIER_CODE)
    return dossier.code.inner_text().strip()


def fill_requester(wizard: WizardPage, answers: MaritalStatusAnswers) -> None:
    wizard.fill({"Số định danh cá nhân": answers.citizen_id, "Nơi cư trú": answers.address})
    wizard.choose("Quan hệ với người được cấp Giấy xác nhận tình trạng hôn nhân", answers.relation)


def fill_subject(wizard: WizardPage, answers: MaritalStatusAnswers) -> None:
    wizard.fill(
        {
            "Ngày, tháng, năm sinh": answers.birth_date,
            "Dân tộc": answers.ethnicity,
            "Quốc tịch": answers.nationality,
            "Số định danh cá nhân": answers.citizen_id,
            "Nơi cư trú": answers.address,
        }
    )
    wizard.choose("Giới tính", answers.sex)


def fill_marital_status(wizard: WizardPage, answers: MaritalStatusAnswers) -> None:
    wizard.choose("Tình trạng hôn nhân", answers.marital_status)
    wizard.fill({"Mục đích sử dụng Giấy xác nhận tình trạng hôn nhân": answers.purpose})


# The one-stop desk -------------------------------------------------------------------------------


class DeskLoginPage:
    """``/mot-cua/dang-nhap``."""

    def __init__(self, page: Page, *, javascript: bool) -> None:
        self.page = page
        self.javascript = javascript

    def open(self) -> DeskLoginPage:
        """The desk's address, which officers type or keep as a bookmark."""
        if self.page.url in ("", "about:blank"):
            self.page.goto("/mot-cua/dang-nhap")
        else:
            type_address(self.page, "/mot-cua/dang-nhap")
        return self

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> DeskHomePage:
        self.page.get_by_label(label("Tên đăng nhập")).fill(username)
        self.page.get_by_label(label("Mật khẩu")).fill(password)
        self.page.get_by_role("button", name="Đăng nhập").click()
        home = DeskHomePage(self.page, javascript=self.javascript)
        expect(self.page).to_have_url(re.compile(r"/mot-cua$"))
        expect(home.heading).to_contain_text("Bộ phận một cửa")
        return home


class DeskHomePage:
    """``/mot-cua``: the queues of the officer's agency and the search by code or name.

    With JavaScript, HTMX searches as the officer types; without it, the officer submits."""

    def __init__(self, page: Page, *, javascript: bool) -> None:
        self.page = page
        self.javascript = javascript
        self.heading = page.get_by_role("heading", level=1)
        self.queues = page.get_by_role("navigation", name="Hàng đợi hồ sơ")
        self.search_box = page.get_by_role("search").get_by_label(
            "Tìm theo mã hồ sơ hoặc tên người nộp"
        )
        self.queue = page.get_by_role("region", name=re.compile(r"\(\d+\)$"))
        self.queue_heading = self.queue.get_by_role("heading", level=2)

    def open_queue(self, name: str) -> None:
        self.queues.get_by_role("link", name=re.compile(rf"^{re.escape(name)} \d+$")).click()
        expect(self.queue_heading).to_have_text(re.compile(rf"^{re.escape(name)} \(\d+\)$"))

    def search(self, text: str) -> None:
        """Find dossiers by code: the queues of a busy agency run to several pages."""
        self.search_box.fill(text)
        if not self.javascript:
            self.search_box.press("Enter")
        expect(self.queue_heading).to_have_text(re.compile(rf"^Kết quả tìm “{re.escape(text)}”"))

    def link_to(self, code: str) -> Locator:
        return self.queue.get_by_role("link", name=code, exact=True)

    def open_dossier(self, code: str) -> DeskDossierPage:
        self.link_to(code).click()
        dossier = DeskDossierPage(self.page)
        expect(dossier.heading).to_have_text(f"Hồ sơ {code}")
        return dossier

    def log_out(self) -> None:
        self.page.get_by_role("button", name="Đăng xuất").click()
        site_nav = self.page.get_by_role("navigation", name="Điều hướng chính")
        expect(site_nav.get_by_role("link", name="Đăng nhập")).to_be_visible()


def desk_open(page: Page, code: str, *, javascript: bool) -> DeskDossierPage:
    """From the desk's home, search the code and open the dossier."""
    home = DeskHomePage(page, javascript=javascript)
    home.search(code)
    return home.open_dossier(code)


class DeskDossierPage:
    """``/mot-cua/ho-so/{id}``: facts, the actions the officer may take, delivery, history."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.main = page.locator("#dossier-main")
        self.heading = page.get_by_role("heading", level=1)
        self.status = self.main.locator(".status").first
        self.actions = page.get_by_role("region", name="Xử lý", exact=True)
        self.missing = page.get_by_role("region", name="Giấy tờ cần bổ sung", exact=True)
        self.files = page.get_by_role("region", name="Tệp đính kèm", exact=True)
        self.delivery = page.get_by_role("region", name="Giao kết quả", exact=True)
        self.documents = page.get_by_role("region", name="Phiếu, giấy tờ", exact=True)
        self.history = page.get_by_role("region", name="Quá trình xử lý", exact=True)
        self.confirmation = page.get_by_role("status")

    @property
    def dossier_id(self) -> int:
        match = re.search(r"/mot-cua/ho-so/(\d+)(?:[?#]|$)", self.page.url)
        assert match, self.page.url
        return int(match.group(1))

    def action(self, name: str) -> Locator:
        """The folded form of one action: a ``details`` whose summary is the action's label."""
        summary = self.page.locator("summary").filter(has_text=re.compile(rf"^{re.escape(name)}$"))
        return self.actions.locator("details").filter(has=summary)

    def act(self, name: str, note: str = "", specialist: str = "") -> None:
        """Open the action, fill what it asks for and confirm it with its button."""
        form = self.action(name)
        form.locator("summary").click()
        if specialist:
            form.get_by_label("Giao cho chuyên viên").select_option(label=specialist)
        if note:
            form.get_by_role("textbox").fill(note)
        form.get_by_role("button", name=name, exact=True).click()

    def deliver_and_return(self) -> None:
        """Record the hand-over and return the result: one button, one confirmation."""
        self.delivery.get_by_role("button", name="Giao và trả kết quả").click()
        expect(self.confirmation).to_contain_text(
            "Đã ghi nhận giao kết quả và trả kết quả cho công dân."
        )
        expect(self.confirmation).to_be_focused()
