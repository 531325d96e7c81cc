"""Page objects for the public catalogue: what a citizen sees and does, located by role and label.

Each page object knows whether the browser runs JavaScript. With it, HTMX searches as the user
types and filters when a select changes; without it, the user submits the form.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import Download, Locator, Page, expect


class HomePage:
    """``/``: the search box that leads to the catalogue."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.search_box = page.get_by_role("search").get_by_label("Tìm thủ tục")

    def open(self) -> HomePage:
        self.page.goto("/")
        return self

    def search(self, text: str) -> None:
        self.search_box.fill(text)
        self.search_box.press("Enter")


class CataloguePage:
    """``/thu-tuc``: the search form, its filters and the results."""

    def __init__(self, page: Page, *, javascript: bool) -> None:
        self.page = page
        self.javascript = javascript
        self.search_form = page.get_by_role("search")
        self.search_box = self.search_form.get_by_label("Tìm thủ tục")
        self.search_button = self.search_form.get_by_role("button", name="Tìm", exact=True)
        self.filters_toggle = self.search_form.get_by_text("Lọc kết quả", exact=True)
        self.sector = self.search_form.get_by_label("Lĩnh vực")
        self.level = self.search_form.get_by_label("Cấp thực hiện")
        self.apply_filters_button = self.search_form.get_by_role("button", name="Áp dụng bộ lọc")
        # The results section is a region named by its heading: "12 thủ tục …" or
        # "Không tìm thấy thủ tục nào".
        self.results = page.get_by_role("region", name=re.compile("thủ tục"))
        self.results_heading = self.results.get_by_role("heading", level=2)
        self.items = self.results.get_by_role("listitem")

    def open(self, query: str = "") -> CataloguePage:
        """From the home page, the header's "Thủ tục" link; a ``query`` is an address someone
        shared (``?q=…``), pasted into a new tab."""
        if query:
            self.page.goto(f"/thu-tuc{query}")
        else:
            self.page.goto("/")
            nav = self.page.get_by_role("navigation", name="Điều hướng chính")
            nav.get_by_role("link", name="Thủ tục", exact=True).click()
        expect(self.results_heading).to_be_visible()
        return self

    def search(self, text: str) -> None:
        """Type a query like a user; without JavaScript, submit it with Enter."""
        self.search_box.clear()
        self.search_box.press_sequentially(text)
        if not self.javascript:
            self.search_box.press("Enter")
        self.expect_results_for(text)

    def expect_results_for(self, text: str) -> None:
        """Wait until the results and the address are those of the query ``text``."""
        expect(self.results_heading).to_contain_text(f"“{text}”")
        words = r"(\+|%20)".join(re.escape(quote(w)) for w in text.split())
        expect(self.page).to_have_url(re.compile(rf"[?&]q={words}(&|$)"))

    def open_filters(self) -> None:
        if not self.sector.is_visible():
            self.filters_toggle.click()
        expect(self.sector).to_be_visible()

    def choose(self, select: Locator, option: str) -> None:
        """Pick a filter option: HTMX reacts to the change; without it, apply the filters."""
        before = self.results_heading.inner_text()
        select.select_option(label=option)
        if not self.javascript:
            self.apply_filters_button.click()
        expect(self.results_heading).not_to_have_text(before)

    def item(self, name: str) -> Locator:
        return self.items.filter(has=self.page.get_by_role("link", name=name, exact=True))

    def result_link(self, name: str | re.Pattern[str]) -> Locator:
        exact = True if isinstance(name, str) else None
        return self.results.get_by_role("link", name=name, exact=exact)

    @property
    def first_result_link(self) -> Locator:
        return self.items.first.get_by_role("link")

    @staticmethod
    def meta(item: Locator) -> Locator:
        """The line under a result's name: service level, sectors, levels, time limit."""
        return item.locator(".proc-meta")

    def expect_count_matches_items(self) -> int:
        """The heading's count is the number of listed results (one page); returns it."""
        expect(self.results_heading).to_have_text(re.compile(r"^\d+ thủ tục"))
        count = int(self.results_heading.inner_text().split()[0])
        expect(self.items).to_have_count(count)
        return count


class ProcedurePage:
    """``/thu-tuc/{code}``: one procedure with its sections and form templates."""

    SECTIONS = ("Thông tin chung", "Thành phần hồ sơ", "Phí, lệ phí", "Căn cứ pháp lý")

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.service_level_box = page.get_by_role(
            "region", name=re.compile(r"^(Toàn trình|Một phần|Chưa trực tuyến) ")
        )
        self.start_button = page.get_by_role("button", name="Nộp hồ sơ trực tuyến")
        self.components = page.get_by_role("region", name="Thành phần hồ sơ")

    def open(self, name: str, *, javascript: bool = False) -> ProcedurePage:
        """From the home page: search for the procedure's name, then click it in the results."""
        HomePage(self.page).open().search(name)
        catalogue = CataloguePage(self.page, javascript=javascript)
        catalogue.expect_results_for(name)
        catalogue.result_link(name).click()
        expect(self.heading).to_have_text(name)
        return self

    def section(self, title: str) -> Locator:
        return self.page.get_by_role("region", name=title, exact=True)

    def form_download_link(self, component: str) -> Locator:
        item = self.components.get_by_role("listitem").filter(has_text=component)
        return item.get_by_role("link", name=re.compile(r"^Tải mẫu"))

    def download_form(self, component: str) -> Download:
        with self.page.expect_download() as download:
            self.form_download_link(component).click()
        return download.value
