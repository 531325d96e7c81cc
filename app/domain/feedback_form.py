"""The PAKN form: what the sender must give (name and phone, as the rules ask) and its limits.
Pure: returns the cleaned values or the errors keyed by field, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import limits
from app.domain.accounts import normalize_mobile
from app.domain.feedback_flow import Kind

LIMITS = {
    "ho_ten": limits.PERSON_NAME,
    "dia_chi": limits.ADDRESS,
    "thu_dien_tu": limits.EMAIL,
    "tieu_de": limits.FEEDBACK_SUBJECT,
    "noi_dung": limits.FEEDBACK_BODY,
}
MAX_ATTACHMENTS = 3
# The order of the fields on the page, so the error summary reads in the same order.
FIELD_ORDER = (
    "loai",
    "co_quan",
    "tieu_de",
    "noi_dung",
    "ho_ten",
    "dien_thoai",
    "thu_dien_tu",
    "dia_chi",
)


@dataclass(frozen=True)
class Submission:
    kind: Kind
    name: str
    phone: str
    email: str
    address: str
    subject: str
    body: str
    agency_code: str
    procedure_code: str
    dossier_code: str


def parse(form: dict[str, str], agency_codes: set[str]) -> tuple[Submission | None, dict]:
    values = {key: (form.get(key) or "").strip() for key in (*LIMITS, "dien_thoai")}
    errors: dict[str, str] = {}
    try:
        kind = Kind(form.get("loai", ""))
    except ValueError:
        kind = None
        errors["loai"] = "Vui lòng chọn phản ánh, kiến nghị hay câu hỏi."
    if not values["ho_ten"]:
        errors["ho_ten"] = "Vui lòng nhập họ và tên (phản ánh không ghi tên không được xử lý)."
    phone = normalize_mobile(values["dien_thoai"])
    if phone is None:
        errors["dien_thoai"] = "Vui lòng nhập số điện thoại di động 10 số, ví dụ 0912 345 678."
    email = values["thu_dien_tu"]
    if email and ("@" not in email or " " in email):
        errors["thu_dien_tu"] = "Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.com."
    if not values["tieu_de"]:
        errors["tieu_de"] = "Vui lòng nhập tiêu đề ngắn."
    if not values["noi_dung"]:
        errors["noi_dung"] = "Vui lòng nhập nội dung."
    for key, limit in LIMITS.items():
        if len(values[key]) > limit and key not in errors:
            errors[key] = f"Dài quá {limit} ký tự; vui lòng viết ngắn hơn."
    agency = (form.get("co_quan") or "").strip()
    if agency not in agency_codes:
        errors["co_quan"] = "Vui lòng chọn cơ quan nhận phản ánh."
    if errors:
        return None, {k: errors[k] for k in FIELD_ORDER if k in errors}
    return Submission(
        kind=kind,
        name=values["ho_ten"],
        phone=phone,
        email=email,
        address=values["dia_chi"],
        subject=values["tieu_de"],
        body=values["noi_dung"],
        agency_code=agency,
        procedure_code=(form.get("thu_tuc") or "").strip()[:40],
        dossier_code=(form.get("ho_so") or "").strip()[:40],
    ), {}
