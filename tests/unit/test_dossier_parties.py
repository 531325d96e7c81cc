import pytest

from app.domain.dossier_flow import Action
from app.domain.dossier_parties import (
    Assignee,
    agency_refusal,
    assignee_refusal,
    transfer_refusal,
)

RESOLVING, PARTNER = 1, 2


RESOLVING_ONLY = [
    Action.ASSIGN,
    Action.APPROVE,
    Action.REJECT,
    Action.RETURN_FOR_REWORK,
    Action.HALT,
    Action.EXTEND,
]


@pytest.mark.parametrize("action", RESOLVING_ONLY)
def test_only_the_resolving_agency_decides_on_the_dossier(action):
    assert agency_refusal(action, RESOLVING, RESOLVING) is None
    assert "cơ quan giải quyết" in agency_refusal(action, PARTNER, RESOLVING)
    assert "cơ quan giải quyết" in agency_refusal(action, None, RESOLVING)


def test_each_refusal_names_the_action():
    assert agency_refusal(Action.ASSIGN, PARTNER, RESOLVING).endswith("phân công xử lý.")
    assert agency_refusal(Action.APPROVE, PARTNER, RESOLVING).endswith("phê duyệt.")
    assert agency_refusal(Action.HALT, PARTNER, RESOLVING).endswith("dừng xử lý.")


@pytest.mark.parametrize(
    "action", [Action.TRANSFER_BACK, Action.TRANSFER, Action.SUBMIT_FOR_APPROVAL, Action.RECEIVE]
)
def test_other_actions_are_left_to_the_flow_table(action):
    assert agency_refusal(action, PARTNER, RESOLVING) is None


def test_a_dossier_without_a_resolving_agency_is_not_refused_here():
    assert agency_refusal(Action.HALT, PARTNER, None) is None


def test_a_transfer_needs_a_known_other_agency():
    known = {RESOLVING, PARTNER}
    assert transfer_refusal(PARTNER, RESOLVING, known) is None
    assert "Vui lòng chọn" in transfer_refusal(None, RESOLVING, known)
    assert "không tồn tại" in transfer_refusal(99, RESOLVING, known)
    assert "không tồn tại" in transfer_refusal(0, RESOLVING, known)
    assert "chính cơ quan" in transfer_refusal(RESOLVING, RESOLVING, known)


def specialist(agency: int = RESOLVING, roles=("specialist",), active: bool = True) -> Assignee:
    return Assignee(agency, frozenset(roles), active)


def test_an_active_specialist_of_the_agency_can_be_assigned():
    assert assignee_refusal(RESOLVING, specialist()) is None
    assert assignee_refusal(RESOLVING, specialist(roles=("leader", "specialist"))) is None


@pytest.mark.parametrize(
    ("assignee", "fragment"),
    [
        (None, "Vui lòng chọn"),
        (specialist(agency=PARTNER), "cơ quan mình"),
        (specialist(roles=("receptionist",)), "không phải chuyên viên"),
        (specialist(roles=()), "không phải chuyên viên"),
        (specialist(active=False), "không phải chuyên viên"),
    ],
)
def test_other_assignees_are_refused(assignee, fragment):
    assert fragment in assignee_refusal(RESOLVING, assignee)
