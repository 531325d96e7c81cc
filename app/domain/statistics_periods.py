"""Report periods: month, quarter, six months, nine months, year, or a free date range."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from app.domain.statistics import Period

KINDS = {
    "thang": "Tháng",
    "quy": "Quý",
    "6-thang": "6 tháng",
    "9-thang": "9 tháng",
    "nam": "Năm",
    "khoang": "Khoảng ngày",
}
MONTHS_OF = {"6-thang": 6, "9-thang": 9, "nam": 12}


class PeriodInvalid(ValueError):
    """``str(exc)`` is a Vietnamese message for the user."""


@dataclass(frozen=True)
class PeriodChoice:
    kind: str
    year: int
    number: int = 1  # month or quarter
    start: date | None = None  # free range
    end: date | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def period_of(choice: PeriodChoice) -> Period:
    """The dates of a chosen period, or PeriodInvalid with the reason."""
    if choice.kind not in KINDS:
        raise PeriodInvalid("Loại kỳ báo cáo không hợp lệ.")
    if not 2000 <= choice.year <= 2100:
        raise PeriodInvalid("Năm báo cáo không hợp lệ.")
    if choice.kind == "thang":
        if not 1 <= choice.number <= 12:
            raise PeriodInvalid("Tháng phải từ 1 đến 12.")
        return Period(date(choice.year, choice.number, 1), _month_end(choice.year, choice.number))
    if choice.kind == "quy":
        if not 1 <= choice.number <= 4:
            raise PeriodInvalid("Quý phải từ 1 đến 4.")
        first = 3 * choice.number - 2
        return Period(date(choice.year, first, 1), _month_end(choice.year, first + 2))
    if choice.kind in MONTHS_OF:
        return Period(date(choice.year, 1, 1), _month_end(choice.year, MONTHS_OF[choice.kind]))
    if choice.start is None or choice.end is None:
        raise PeriodInvalid("Vui lòng nhập ngày bắt đầu và ngày kết thúc.")
    if choice.end < choice.start:
        raise PeriodInvalid("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    if (choice.end - choice.start).days > 366 * 5:
        raise PeriodInvalid("Khoảng ngày không được dài quá 5 năm.")
    return Period(choice.start, choice.end)


def period_label(choice: PeriodChoice, period: Period) -> str:
    if choice.kind == "thang":
        name = f"Tháng {choice.number}/{choice.year}"
    elif choice.kind == "quy":
        name = f"Quý {choice.number}/{choice.year}"
    elif choice.kind == "nam":
        name = f"Năm {choice.year}"
    elif choice.kind in MONTHS_OF:
        name = f"{KINDS[choice.kind]} năm {choice.year}"
    else:
        name = "Khoảng ngày"
    return f"{name} (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})"


def current_quarter(today: date) -> PeriodChoice:
    return PeriodChoice("quy", today.year, (today.month - 1) // 3 + 1)
