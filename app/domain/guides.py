"""The illustrated help guides: their steps as data, and the fingerprint of what a step shows.

A guide's picture is taken from the real portal by ``python -m e2e.guide_shots``; the manifest
(``static/guides/manifest.json``) records, for every picture, the fingerprint of the page it
shows, so the end-to-end run can tell when a picture no longer matches its page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

PICTURE_WIDTH = 360
PICTURE_HEIGHT = 640
MAX_PICTURE_BYTES = 40 * 1024


@dataclass(frozen=True)
class Step:
    picture: str  # file name under static/guides/
    title: str
    text: str

    @property
    def alt(self) -> str:
        """The picture's alternative text: the step in words."""
        return f"Ảnh chụp màn hình: {self.title.rstrip('.')}. {self.text}"

    @property
    def nojs_picture(self) -> str:
        """The picture of the same step with JavaScript off, taken only where the page differs
        (its fingerprint is not the one with JavaScript on)."""
        return self.picture.removesuffix(".webp") + "-khong-js.webp"

    @property
    def nojs_alt(self) -> str:
        return f"Ảnh chụp màn hình khi tắt JavaScript: {self.title.rstrip('.')}. {self.text}"


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str
    steps: tuple[Step, ...]


GUIDES: tuple[Guide, ...] = (
    Guide(
        "nop-ho-so",
        "Tìm thủ tục và nộp hồ sơ trực tuyến",
        "Từ trang chủ đến giấy tiếp nhận hồ sơ, trong sáu bước.",
        (
            Step(
                "nop-ho-so-1.webp",
                "Tìm thủ tục",
                "Trên trang chủ, gõ tên thủ tục vào ô tìm kiếm (có thể gõ không dấu) rồi bấm Tìm.",
            ),
            Step(
                "nop-ho-so-2.webp",
                "Chọn thủ tục trong kết quả",
                "Bấm vào tên thủ tục cần làm trong danh sách kết quả.",
            ),
            Step(
                "nop-ho-so-3.webp",
                "Đọc thủ tục và bắt đầu",
                "Xem giấy tờ cần có, thời hạn và lệ phí, rồi bấm “Nộp hồ sơ trực tuyến”. "
                "Nếu chưa đăng nhập, cổng sẽ mời đăng nhập hoặc đăng ký.",
            ),
            Step(
                "nop-ho-so-4.webp",
                "Điền từng bước",
                "Chọn nơi nộp, điền thông tin rồi bấm “Lưu và tiếp tục”. "
                "Có thể lưu nháp và làm tiếp sau.",
            ),
            Step(
                "nop-ho-so-5.webp",
                "Kiểm tra lại và nộp",
                "Xem lại toàn bộ thông tin đã khai, sửa nếu cần, rồi bấm nộp hồ sơ.",
            ),
            Step(
                "nop-ho-so-6.webp",
                "Nhận mã hồ sơ",
                "Ghi lại mã hồ sơ và tải giấy tiếp nhận; mã này dùng để tra cứu.",
            ),
        ),
    ),
    Guide(
        "bo-sung",
        "Bổ sung hồ sơ khi được yêu cầu",
        "Khi cán bộ yêu cầu bổ sung giấy tờ, gửi bổ sung ngay trên cổng.",
        (
            Step(
                "bo-sung-1.webp",
                "Mở hồ sơ của tôi",
                "Đăng nhập, bấm “Hồ sơ của tôi” rồi bấm vào mã hồ sơ cần bổ sung.",
            ),
            Step(
                "bo-sung-2.webp",
                "Đọc yêu cầu bổ sung",
                "Mục “Bổ sung hồ sơ” liệt kê những giấy tờ còn thiếu.",
            ),
            Step(
                "bo-sung-3.webp",
                "Gửi giấy tờ bổ sung",
                "Chọn ảnh chụp hoặc tệp PDF, ghi chú nếu cần, rồi bấm “Gửi bổ sung”.",
            ),
        ),
    ),
    Guide(
        "tra-cuu-thanh-toan",
        "Tra cứu hồ sơ và nộp phí trực tuyến",
        "Xem tình trạng hồ sơ bằng mã hồ sơ, và nộp phí, lệ phí qua cổng thanh toán.",
        (
            Step(
                "tra-cuu-1.webp",
                "Mở trang Tra cứu",
                "Bấm “Tra cứu”, nhập mã hồ sơ và 4 số cuối số điện thoại, rồi bấm Tra cứu.",
            ),
            Step(
                "tra-cuu-2.webp",
                "Xem tình trạng hồ sơ",
                "Trang kết quả cho biết hồ sơ đang ở bước nào và ngày hẹn trả kết quả.",
            ),
            Step(
                "tra-cuu-3.webp",
                "Nộp phí, lệ phí",
                "Trong trang hồ sơ của tôi, mục “Phí, lệ phí” có nút “Thanh toán trực tuyến”.",
            ),
            Step(
                "tra-cuu-4.webp",
                "Nhận biên lai",
                "Sau khi thanh toán, cổng báo kết quả; bấm “Xem, in biên lai” để lưu biên lai.",
            ),
        ),
    ),
)


def guide(slug: str) -> Guide | None:
    return next((g for g in GUIDES if g.slug == slug), None)


def all_pictures() -> list[str]:
    return [step.picture for g in GUIDES for step in g.steps]


_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def _normal(text: str) -> str:
    """Texts without what changes from one run to the next: numbers (codes, dates) and spacing."""
    return _SPACES.sub(" ", _DIGITS.sub("#", text)).strip()


def fingerprint(heading: str, controls: list[str]) -> str:
    """What a page shows, not its pixels: its main heading and its buttons' and labels' texts.

    Numbers are left out, so a new dossier code or date does not change it; the order of the
    controls counts, so a renamed, added or moved button does."""
    parts = [_normal(heading), *(t for t in map(_normal, controls) if t)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
