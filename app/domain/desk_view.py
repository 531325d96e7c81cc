"""What an officer asks of a desk queue: the tab, the filters, the sort and where a page starts.

Pure: read from the query string, checked, written back to a query string (so links, the
GET form without JavaScript and the back button all carry the same view), and the keyset
cursor of the next page. Due-date wording from the working-day calendar lives here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from urllib.parse import urlencode

from app.domain.calendar import WorkingCalendar, working_days_between

CHANNELS = {"online": "Trực tuyến", "counter": "Trực tiếp", "post": "Bưu chính"}
# Sort keys shown to officers and the column they order by (empty values always come last).
SORTS = {"han": "due_at", "nhan": "submitted_at", "ma": "code", "nguoi-nop": "applicant_name"}
SORT_LABELS = {
    "han": "Hạn trả",
    "nhan": "Ngày nhận",
    "ma": "Mã hồ sơ",
    "nguoi-nop": "Người nộp",
}
NO_OFFICER = "chua-giao"
MAX_TEXT = 60


@dataclass(frozen=True)
class QueueView:
    """One officer's view of the desk, as the query string names it."""

    queue: str = ""  # hang
    procedure: str = ""  # thu_tuc: the procedure's code
    sector: str = ""  # linh_vuc: the sector's code
    channel: str = ""  # kenh
    received_from: date | None = None  # nhan_tu
    received_to: date | None = None  # nhan_den
    due_from: date | None = None  # han_tu
    due_to: date | None = None  # han_den
    fee_status: str = ""  # phi
    officer: str = ""  # can_bo: an officer id, or NO_OFFICER
    followed: bool = False  # theo_doi
    sort: str = ""  # sap_xep
    descending: bool = False  # chieu=giam
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def has_filters(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name not in ("queue", "errors"))

    def officer_id(self) -> int | None:
        return int(self.officer) if self.officer.isdigit() else None


PARAMS = {
    "queue": "hang",
    "procedure": "thu_tuc",
    "sector": "linh_vuc",
    "channel": "kenh",
    "received_from": "nhan_tu",
    "received_to": "nhan_den",
    "due_from": "han_tu",
    "due_to": "han_den",
    "fee_status": "phi",
    "officer": "can_bo",
    "followed": "theo_doi",
    "sort": "sap_xep",
    "descending": "chieu",
}
DATE_FIELDS = ("received_from", "received_to", "due_from", "due_to")
DATE_ERROR = "Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm."
YEARS = (
    1990,
    2200,
)  # a desk date outside these is a typing slip (and 9999-12-31 + 1 day overflows)


def _text(value: str) -> str:
    return "".join(ch for ch in value.strip() if ch.isprintable())[:MAX_TEXT]


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        try:
            day = datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError as exc:
            raise ValueError(DATE_ERROR) from exc
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(DATE_ERROR)
    return day


def parse_view(query: Mapping[str, str], fee_statuses: frozenset[str] = frozenset()) -> QueueView:
    """The view a query string asks for; what cannot be read is dropped with an error
    keyed by the parameter, so the page says what was wrong and keeps the rest."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name, param in PARAMS.items():
        raw = _text(str(query.get(param, "")))
        if name in DATE_FIELDS:
            try:
                values[name] = _date(raw)
            except ValueError as exc:
                errors[param] = str(exc)
                values[name] = None
        elif name == "followed":
            values[name] = raw == "1"
        elif name == "descending":
            values[name] = raw == "giam"
        else:
            values[name] = raw
    if values["channel"] and values["channel"] not in CHANNELS:
        errors["kenh"] = "Kênh nộp không hợp lệ."
        values["channel"] = ""
    if values["fee_status"] and fee_statuses and values["fee_status"] not in fee_statuses:
        errors["phi"] = "Tình trạng phí không hợp lệ."
        values["fee_status"] = ""
    officer = str(values["officer"])
    if officer and officer != NO_OFFICER and not (officer.isdigit() and len(officer) < 10):
        errors["can_bo"] = "Cán bộ không hợp lệ."
        values["officer"] = ""
    if values["sort"] and values["sort"] not in SORTS:
        values["sort"] = ""
    for low, high, param in (
        ("received_from", "received_to", "nhan_den"),
        ("due_from", "due_to", "han_den"),
    ):
        if values[low] and values[high] and values[high] < values[low]:
            errors[param] = "Ngày kết thúc phải sau ngày bắt đầu."
    return QueueView(**values, errors=errors)  # type: ignore[arg-type]


def query_of(view: QueueView, **overrides: object) -> dict[str, str]:
    """The query-string pairs of a view (empty ones left out)."""
    view = replace(view, **overrides) if overrides else view
    pairs: dict[str, str] = {}
    for name, param in PARAMS.items():
        value = getattr(view, name)
        if isinstance(value, date):
            pairs[param] = value.isoformat()
        elif name == "followed" and value:
            pairs[param] = "1"
        elif name == "descending" and value:
            pairs[param] = "giam"
        elif isinstance(value, str) and value:
            pairs[param] = value
    return pairs


def query_string(view: QueueView, **overrides: object) -> str:
    return urlencode(query_of(view, **overrides))


def sort_link(view: QueueView, key: str) -> str:
    """The query of a column header: sort by it, or turn the order round if it sorts already."""
    descending = not view.descending if view.sort == key else False
    return query_string(view, sort=key, descending=descending)


# Keyset cursors --------------------------------------------------------------------------------


def encode_cursor(values: tuple[object, ...]) -> str:
    """``(is_priority, sort value, id)`` of the last row shown, as text for a link."""
    parts = []
    for value in values:
        if value is None:
            parts.append("~")
        elif isinstance(value, bool):
            parts.append("1" if value else "0")
        elif isinstance(value, datetime):
            parts.append("t" + value.isoformat())
        elif isinstance(value, int):
            parts.append(str(value))
        else:
            parts.append("s" + str(value).replace("|", ""))
    return "|".join(parts)


def decode_cursor(text: str, sort: str) -> tuple[bool, object, int] | None:
    """The cursor of a link, or None when it is not one we wrote (then the first page)."""
    parts = text.split("|")
    if len(parts) != 3 or parts[0] not in ("0", "1") or not parts[2].isdigit():
        return None
    column = SORTS.get(sort, SORTS["nhan"])
    raw = parts[1]
    value: object
    if raw == "~":
        value = None
    elif column.endswith("_at") and raw.startswith("t"):
        try:
            value = datetime.fromisoformat(raw[1:])
        except ValueError:
            return None
        if value.tzinfo is None:
            return None
    elif not column.endswith("_at") and raw.startswith("s"):
        value = raw[1:]
    else:
        return None
    return parts[0] == "1", value, int(parts[2][:18])


# Due dates in words ----------------------------------------------------------------------------


def due_words(due_on: date | None, today: date, calendar: WorkingCalendar) -> str:
    """ "còn n ngày" / "đến hạn hôm nay" / "quá hạn n ngày", counted in working days."""
    if due_on is None:
        return ""
    if due_on == today:
        return "đến hạn hôm nay"
    days = working_days_between(today, due_on, calendar)
    if due_on > today:
        return f"còn {max(days, 0)} ngày làm việc" if days else "còn dưới 1 ngày làm việc"
    return f"quá hạn {-days} ngày làm việc" if days else "quá hạn dưới 1 ngày làm việc"
