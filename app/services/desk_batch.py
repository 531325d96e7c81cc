"""Actions on many dossiers of a queue at once.

Each dossier goes through the one transition path (:func:`app.services.workflow.transition`)
with its own guard, compare-and-set and history row, so a batch is exactly what the officer
would do one by one; the outcome says, per dossier, what was done or why it was refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import anyio

from app.domain import dossier_flow as flow
from app.input_guard import MAX_ID
from app.models import Dossier, Officer
from app.services import desk, desk_documents, documents, workflow
from app.services.dossier_view import load_dossier
from app.services.officers import officer_roles
from app.services.receipts import receipt_data

MAX_BATCH = 200
A = flow.Action
TRANSITIONS = {
    "receive": A.RECEIVE,
    "assign": A.ASSIGN,
    "submit_for_approval": A.SUBMIT_FOR_APPROVAL,
    "approve": A.APPROVE,
    "refuse": A.REFUSE,
    "priority": A.MARK_PRIORITY,
}
LABELS = {
    "receive": "Tiếp nhận",
    "assign": "Chuyển xử lý cho chuyên viên",
    "submit_for_approval": "Trình ký",
    "approve": "Phê duyệt",
    "refuse": "Từ chối tiếp nhận",
    "priority": "Đánh dấu ưu tiên",
    "print_receipts": "In giấy tiếp nhận (một tệp PDF)",
    "print_control_sheets": "In phiếu kiểm soát (một tệp PDF)",
}
PRINTS = {"print_receipts": "giay-tiep-nhan", "print_control_sheets": "phieu-kiem-soat"}
ROLES_FOR = {
    "receive": {flow.Role.RECEPTIONIST},
    "refuse": {flow.Role.RECEPTIONIST},
    "assign": {flow.Role.RECEPTIONIST, flow.Role.LEADER},
    "submit_for_approval": {flow.Role.SPECIALIST},
    "approve": {flow.Role.LEADER},
    "priority": {flow.Role.RECEPTIONIST, flow.Role.LEADER},
}


class BatchRefused(Exception):
    """The batch as a whole cannot run (no action, nothing selected, too many, no reason)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors


@dataclass
class Outcome:
    dossier_id: int
    code: str
    done: bool
    reason: str = ""


def choices(roles: set[flow.Role]) -> list[tuple[str, str]]:
    """The batch actions an officer with these roles may choose, in the order of the process."""
    return [(k, v) for k, v in LABELS.items() if k in PRINTS or ROLES_FOR[k] & roles]


def parse_ids(values: list[str]) -> list[int]:
    """The selected dossiers, each once, in the order of the table; junk is dropped."""
    ids: dict[int, None] = {}
    for value in values:
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) < 12 and int(value) <= MAX_ID:
            ids.setdefault(int(value))
    return list(ids)


def check(
    action: str, ids: list[int], note: str, officer_id: int | None, confirmed: bool = False
) -> None:
    """Refuse the batch as a whole; a destructive one (a refusal) asks once to confirm."""
    errors = {}
    if action not in LABELS:
        errors["thao_tac"] = "Hãy chọn thao tác cần thực hiện."
    if not ids:
        errors["ho_so"] = "Hãy chọn ít nhất một hồ sơ trong danh sách."
    elif len(ids) > MAX_BATCH:
        errors["ho_so"] = (
            f"Mỗi lần chỉ xử lý tối đa {MAX_BATCH} hồ sơ; bạn đã chọn {len(ids)} hồ sơ."
        )
    if action == "refuse" and not note.strip():
        errors["ly_do"] = "Từ chối tiếp nhận cần nêu rõ lý do."
    if action == "assign" and not officer_id:
        errors["can_bo"] = "Hãy chọn chuyên viên được giao xử lý."
    if action in TRANSITIONS and TRANSITIONS[action] in flow.DESTRUCTIVE_ACTIONS and not confirmed:
        errors["xac_nhan"] = (
            f"{LABELS[action]} {len(ids)} hồ sơ không hoàn tác được: "
            "hãy xem lại danh sách, đánh dấu ô xác nhận rồi gửi lại."
        )
    if errors:
        raise BatchRefused(errors)


async def _visible(agency_id: int, ids: list[int]) -> dict[int, dict]:
    rows = (
        await Dossier.select()
        .where(Dossier.id.is_in(ids) & desk.visible_to(agency_id))
        .output(load_json=True)
        .run()
    )
    return {r["id"]: r for r in rows}


def _refusal(roles: set[flow.Role], facts: flow.DossierFacts, action: flow.Action) -> str:
    command = flow.Command(action, next(iter(roles)), "-", new_due_on=facts.due_on)
    return flow.refusal_reason(roles, facts, command)


async def _one(officer: Officer, row: dict, action: str, note: str, changes) -> str:
    """Do ``action`` to one dossier; the refusal reason, or "" when it was done."""
    roles = officer_roles(officer)
    agency_id = desk.officer_agency(officer)
    if action == "priority" and row["is_priority"]:
        return ""  # already marked: nothing to do, nothing refused
    step = TRANSITIONS[action]
    facts = workflow.facts_of(row, workflow.local_now().date())
    role = next((r for r in sorted(roles) if step in flow.options(facts, r)), None)
    if role is None:
        return _refusal(roles, facts, step)
    actor = workflow.Actor("officer", officer.id, role, agency_id)
    try:
        await workflow.transition(row["id"], step, actor, note=note, changes=changes)
    except flow.Refused as exc:
        return exc.reason
    return ""


async def run(
    officer: Officer,
    action: str,
    ids: list[int],
    note: str = "",
    assignee: int | None = None,
    confirmed: bool = False,
) -> list[Outcome]:
    """Apply a batch action (not a print) to each selected dossier in turn."""
    check(action, ids, note, assignee, confirmed)
    rows = await _visible(desk.officer_agency(officer), ids)
    changes = workflow.Changes(officer_id=assignee)
    outcomes = []
    for dossier_id in ids:
        row = rows.get(dossier_id)
        if row is None:
            outcomes.append(Outcome(dossier_id, "", False, "Không tìm thấy hồ sơ."))
            continue
        reason = await _one(officer, row, action, note.strip(), changes)
        outcomes.append(Outcome(dossier_id, row["code"] or row["reference"], not reason, reason))
    return outcomes


async def print_pdf(officer: Officer, action: str, ids: list[int]) -> tuple[bytes, list[Outcome]]:
    """One PDF with the receipt or control sheet of every selected dossier that has one."""
    check(action, ids, "", None)
    kind = PRINTS[action]
    rows = await _visible(desk.officer_agency(officer), ids)
    from pypdf import PdfWriter  # loaded with the first batch print

    writer, outcomes = PdfWriter(), []
    for dossier_id in ids:
        view = await load_dossier(Dossier.id == dossier_id) if dossier_id in rows else None
        if view is None or not view.row["received_at"]:
            code = rows[dossier_id]["code"] if dossier_id in rows else ""
            outcomes.append(Outcome(dossier_id, code or "", False, "Hồ sơ chưa được tiếp nhận."))
            continue
        if kind == "giay-tiep-nhan":
            data = await receipt_data(view.row, view.procedure["name"])
            body = await anyio.to_thread.run_sync(documents.receipt_pdf, data)
        else:
            doc = await desk_documents.build(kind, view)
            body = await anyio.to_thread.run_sync(desk_documents.render_pdf, doc)
        writer.append(io.BytesIO(body))
        outcomes.append(Outcome(dossier_id, view.code, True))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), outcomes


async def codes(agency_id: int, ids: list[int]) -> dict[int, str]:
    """The codes of the selected dossiers the agency sees (to show the selection again)."""
    if not ids:
        return {}
    rows = await _visible(agency_id, ids[: MAX_BATCH * 5])
    return {i: rows[i]["code"] or rows[i]["reference"] for i in ids if i in rows}
