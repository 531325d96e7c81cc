"""The desk's standard documents (Circular 01/2018 forms 02–05) as data for HTML and PDF."""

from __future__ import annotations

import json
from datetime import datetime

from app.domain import dossier_flow as flow
from app.domain.calendar import TIMELINESS_LABELS, timeliness
from app.models import Agency
from app.services.calendar import local_now, to_local
from app.services.dossier_view import DossierView
from app.services.pdf import Document

SUFFIXES = {
    "phieu-bo-sung": "PBS",
    "phieu-tu-choi": "PTC",
    "phieu-xin-loi": "PXL",
    "phieu-kiem-soat": "PKS",
}
KINDS = {
    "giay-tiep-nhan": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "phieu-bo-sung": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "phieu-tu-choi": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "phieu-xin-loi": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "phieu-kiem-soat": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


def available(view: DossierView) -> list[tuple[str, str]]:
    """Which documents exist for this dossier, in the order of the process."""
    kinds = ["giay-tiep-nhan"] if view.code else []
    if view.pre_supplement_count or view.supplement_count:
        kinds.append("phieu-bo-sung")
    if view.status in (flow.Status.REFUSED, flow.Status.REJECTED) or view.is_rejection:
        kinds.append("phieu-tu-choi")
    if view.extension_count:
        kinds.append("phieu-xin-loi")
    if view.received_at:
        kinds.append("phieu-kiem-soat")
    return [(k, KINDS[k]) for k in kinds]


def _when(value) -> str:
    return to_local(value).strftime("%H:%M ngày %d/%m/%Y") if value else "—"


def _applicant(view: DossierView) -> list[tuple[str, str]]:
    return [
        ("Người nộp hồ sơ", view.applicant_name),
        ("Số định danh cá nhân", view.applicant_id_number or "—"),
        ("Số điện thoại", view.applicant_phone or "—"),
        ("E-mail", view.applicant_email or "—"),
        ("Nội dung yêu cầu giải quyết", view.procedure_name),
    ]


def _last_event(view: DossierView, *actions: str) -> dict | None:
    found = [e for e in view.events if e["action"] in actions]
    return found[-1] if found else None


def event_data(event: dict | None) -> dict:
    """An event's data as a dict, whether the database gave it parsed or as JSON text."""
    data = (event or {}).get("data")
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data or "{}")
        except ValueError:
            data = {}
    return data if isinstance(data, dict) else {}


async def build(kind: str, view: DossierView) -> Document | None:
    """The standard document ``kind`` of the dossier (forms 02–05), or None when it has none."""
    if kind not in dict(available(view)):
        return None
    agency = view.receiving_agency or {}
    parent = None
    if agency.get("parent"):
        parent = await Agency.select(Agency.name).where(Agency.id == agency["parent"]).first().run()
    base = dict(
        kind=kind,
        title=KINDS[kind].upper(),
        parent_agency=parent["name"] if parent else "",
        agency=agency.get("name", ""),
        number=f"{view.code}/{SUFFIXES[kind]}",
    )
    builder = _BUILDERS.get(kind, _control_sheet)
    return builder(view, agency, base)


def _supplement_request(view: DossierView, agency: dict, base: dict) -> Document:
    event = _last_event(view, "request_pre_supplement", "request_supplement")
    items = event_data(event).get("missing_items") or view.missing_items
    return Document(
        **base,
        rows=[("Mã hồ sơ", view.code), *_applicant(view)],
        items_title="Hồ sơ cần bổ sung, hoàn thiện những nội dung sau:",
        items=list(items),
        paragraphs=[
            "Lý do: hồ sơ chưa đầy đủ, hợp lệ theo quy định.",
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, xin liên hệ bộ phận một cửa "
            f"{agency.get('name', '')}"
            + (f", điện thoại {agency['phone']}" if agency.get("phone") else "")
            + ".",
        ],
        signers=["NGƯỜI HƯỚNG DẪN"],
        dated=to_local(event["at"]) if event else local_now(),
    )


def _refusal(view: DossierView, agency: dict, base: dict) -> Document:
    event = _last_event(view, "refuse", "reject")
    return Document(
        **base,
        rows=[("Mã hồ sơ", view.code), *_applicant(view)],
        items_title="Lý do từ chối:",
        items=[(event or {}).get("note") or view.status_note],
        paragraphs=["Xin thông báo để ông/bà được biết và thực hiện."],
        signers=[
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN" if view.status == flow.Status.REFUSED else "THỦ TRƯỞNG CƠ QUAN",
        ],
        dated=to_local(event["at"]) if event else local_now(),
    )


def _apology(view: DossierView, agency: dict, base: dict) -> Document:
    event = _last_event(view, "extend") or {}
    data = event_data(event)
    before = datetime.fromisoformat(data["due_before"]) if data.get("due_before") else None
    after = datetime.fromisoformat(data["due_after"]) if data.get("due_after") else view.due_at
    return Document(
        **base,
        rows=[
            ("Kính gửi", view.applicant_name),
            ("Ngày tiếp nhận hồ sơ", _when(view.received_at)),
            ("Thủ tục", view.procedure_name),
            ("Số định danh cá nhân", view.applicant_id_number or "—"),
            ("Mã hồ sơ", view.code),
            ("Thời gian hẹn trả kết quả", _when(before)),
        ],
        paragraphs=[
            "Đến nay, hồ sơ của ông/bà chưa giải quyết xong so với thời gian đã hẹn.",
            f"Lý do: {event.get('note') or view.status_note}",
            "Cơ quan thành thật xin lỗi ông/bà vì sự chậm trễ này.",
            f"Thời gian hẹn trả kết quả mới: {_when(after)}.",
        ],
        signers=["THỦ TRƯỞNG CƠ QUAN"],
        dated=to_local(event["at"]) if event else local_now(),
    )


def _control_sheet(view: DossierView, agency: dict, base: dict) -> Document:
    """The control sheet: every step of the history, on time or late against the due date."""
    rows = [
        ("Mã hồ sơ", view.code),
        ("Cơ quan giải quyết", agency.get("name", "")),
        ("Thời gian nhận hồ sơ", _when(view.received_at)),
        ("Thời gian trả kết quả", _when(view.due_at)),
    ]
    due = view.due_at
    table = []
    for e in view.events:
        who = view.officer_names.get(
            e["actor_id"], "Công dân" if e["actor_kind"] == "citizen" else "Hệ thống"
        )
        outcome = TIMELINESS_LABELS[timeliness(e["at"], due)] if due else ""
        action = flow.ACTION_LABELS.get(e["action"], e["action"])
        table.append([_when(e["at"]), who, action, outcome, e["note"] or ""])
    return Document(
        **base,
        rows=rows,
        table_head=["Thời gian", "Người thực hiện", "Nội dung", "Kết quả", "Ghi chú"],
        table=table,
    )


_BUILDERS = {
    "phieu-bo-sung": _supplement_request,
    "phieu-tu-choi": _refusal,
    "phieu-xin-loi": _apology,
}
