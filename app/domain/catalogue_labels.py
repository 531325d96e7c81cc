"""Vietnamese labels for catalogue values (values are stored in English)."""

import re

TIME_LIMIT_UNITS = {
    "working_day": "ngày làm việc",
    "day": "ngày",
    "hour": "giờ",
    "same_day": "trong ngày",
}

SUBMISSION_LABELS = {"submit": "Nộp", "present_only": "Xuất trình"}
COPY_KIND_LABELS = {"original": "Bản chính", "copy": "Bản sao", "electronic": "Bản điện tử"}
REQUIREMENT_LABELS = {
    "required": "Bắt buộc",
    "when_applicable": "Khi có",
    "optional": "Không bắt buộc",
}
CHANNEL_LABELS = {"all": "Mọi hình thức", "in_person": "Trực tiếp", "online": "Trực tuyến"}
FEE_KIND_LABELS = {"fee": "Lệ phí", "charge": "Phí"}


def time_limit_label(value: int | None, unit: str) -> str:
    if unit == "same_day":
        return "Trong ngày"
    if value is None:
        return "Theo quy định của tỉnh"
    return f"{value} {TIME_LIMIT_UNITS.get(unit, unit)}"


def format_count(n: int) -> str:
    """A count as Vietnamese writes it: 18184 → "18.184"."""
    return f"{n:,}".replace(",", ".")


def format_amount(amount: int) -> str:
    """An amount collected or owed, always as a number: 0 → "0 ₫", 12000 → "12.000 ₫"."""
    return format_count(amount) + " ₫"


def format_vnd(amount: int | None) -> str:
    """12000 → "12.000 ₫"; None → "Do HĐND tỉnh quy định"."""
    if amount is None:
        return "Do HĐND tỉnh quy định"
    if amount == 0:
        return "Miễn phí"
    return format_amount(amount)


_NATIONAL_PORTAL = re.compile(r"Cổng Dịch vụ công quốc gia", re.IGNORECASE)


def on_this_portal(text: str, portal_name: str) -> str:
    """A catalogue sentence that sends people to the national portal, pointed at this one
    (used for procedures this portal receives online)."""
    return _NATIONAL_PORTAL.sub(portal_name, text)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
