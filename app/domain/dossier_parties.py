"""Which agency and which officer may take part in an action on a dossier.

``dossier_flow`` decides by status and role; these rules add who the officer works for: only
the resolving agency assigns, approves, rejects, sends back for rework, halts or extends a
dossier (a partner agency that received it for liên thông hands it back, whatever roles its
officers hold), a transfer needs a real other agency, and a dossier is assigned only to an
active specialist of the assigning officer's own agency.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.domain.dossier_flow import Action, Role

# What only the resolving agency may do, and how the refusal names it.
RESOLVING_ONLY = {
    Action.ASSIGN: "phân công xử lý.",
    Action.APPROVE: "phê duyệt.",
    Action.REJECT: "từ chối giải quyết.",
    Action.RETURN_FOR_REWORK: "trả lại để xử lý lại.",
    Action.HALT: "dừng xử lý.",
    Action.EXTEND: "xin lỗi và hẹn lại.",
}


@dataclass(frozen=True)
class Assignee:
    agency_id: int
    roles: frozenset[str]
    is_active: bool


def agency_refusal(
    action: Action, officer_agency: int | None, resolving_agency: int | None
) -> str | None:
    """Why an officer of ``officer_agency`` may not take ``action`` (Vietnamese), or None."""
    if action in RESOLVING_ONLY and resolving_agency not in (None, officer_agency):
        return "Chỉ cơ quan giải quyết hồ sơ mới được " + RESOLVING_ONLY[action]
    return None


def transfer_refusal(
    target_agency: int | None, officer_agency: int | None, known_agencies: Collection[int]
) -> str | None:
    """Why a liên thông transfer to ``target_agency`` is refused (Vietnamese), or None."""
    if target_agency is None:
        return "Vui lòng chọn cơ quan nhận hồ sơ liên thông."
    if target_agency not in known_agencies:
        return "Cơ quan nhận hồ sơ liên thông không tồn tại. Vui lòng chọn lại."
    if target_agency == officer_agency:
        return "Không thể chuyển liên thông cho chính cơ quan đang xử lý hồ sơ."
    return None


def assignee_refusal(officer_agency: int | None, assignee: Assignee | None) -> str | None:
    """Why a dossier may not be assigned to ``assignee`` (Vietnamese), or None."""
    if assignee is None:
        return "Vui lòng chọn chuyên viên xử lý hồ sơ."
    if assignee.agency_id != officer_agency:
        return "Chỉ được chuyển xử lý cho chuyên viên của cơ quan mình."
    if Role.SPECIALIST.value not in assignee.roles or not assignee.is_active:
        return "Cán bộ được chọn không phải chuyên viên xử lý đang làm việc."
    return None
