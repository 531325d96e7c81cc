"""The dossier lifecycle table. Every dossier here is built by replaying real decisions."""

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain import dossier_flow as flow
from app.domain.dossier_flow import (
    ACTION_LABELS,
    CITIZEN_VISIBLE_ACTIONS,
    NOTE_LABELS,
    PUBLIC_STATUSES,
    ROLE_LABELS,
    STATUS_LABELS,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Action,
    Decision,
    DossierFacts,
    Record,
    Refused,
    Role,
    Status,
    decide,
    is_open,
    is_terminal,
    options,
    public_status,
)

A, S = Action, Status
TODAY = date(2025, 9, 15)
TIME_LIMIT_DAYS = 10  # calendar days here; the service asks the working-day calendar


# --- replaying decisions -----------------------------------------------------------------------


def follow(facts: DossierFacts, decision: Decision) -> DossierFacts:
    """The facts the service would load after storing the decision."""
    due_on = facts.due_on
    if Record.FIX_DUE_DATE in decision.records:
        due_on = facts.today + timedelta(days=TIME_LIMIT_DAYS)
    if Record.EXTEND_DUE_DATE in decision.records:
        due_on = decision.new_due_on
    action = decision.action
    return replace(
        facts,
        status=decision.to_status,
        due_on=due_on,
        has_processing_started=facts.has_processing_started or action == A.ASSIGN,
        pre_supplement_count=facts.pre_supplement_count + (action == A.REQUEST_PRE_SUPPLEMENT),
        supplement_count=facts.supplement_count + (action == A.REQUEST_SUPPLEMENT),
        extension_count=facts.extension_count + (action == A.EXTEND),
        is_rejection=facts.is_rejection or action == A.REJECT,
    )


def a_week_later(facts: DossierFacts) -> date | None:
    return facts.due_on + timedelta(days=7) if facts.due_on else None


def act(facts: DossierFacts, action: Action, role: Role) -> DossierFacts:
    return follow(facts, decide(facts, action, role, "Ghi chú", a_week_later(facts)))


def later(days: int):
    return lambda facts: replace(facts, today=facts.today + timedelta(days=days))


def delivered(facts: DossierFacts) -> DossierFacts:
    return replace(facts, is_delivery_recorded=True)


def walk(*steps) -> DossierFacts:
    """Start from a fresh draft; a step is (action, role) or a change of the outside world."""
    facts = DossierFacts(status=S.DRAFT, today=TODAY, is_complete=True)
    for step in steps:
        facts = step(facts) if callable(step) else act(facts, *step)
    return facts


SUBMIT = (A.SUBMIT, Role.CITIZEN)
GUIDE = (A.REQUEST_PRE_SUPPLEMENT, Role.RECEPTIONIST)
SUPPLY = (A.SUPPLY, Role.CITIZEN)
RECEIVE = (A.RECEIVE, Role.RECEPTIONIST)
ASSIGN = (A.ASSIGN, Role.LEADER)
ASK = (A.REQUEST_SUPPLEMENT, Role.SPECIALIST)
EXTEND = (A.EXTEND, Role.LEADER)
PROPOSE = (A.SUBMIT_FOR_APPROVAL, Role.SPECIALIST)
APPROVE = (A.APPROVE, Role.LEADER)
REJECT = (A.REJECT, Role.LEADER)
RETURN = (A.RETURN_RESULT, Role.RECEPTIONIST)
WITHDRAW = (A.WITHDRAW, Role.CITIZEN)
RECEIVED = (SUBMIT, RECEIVE)
IN_PROGRESS = (*RECEIVED, ASSIGN)
SUPPLEMENTED = (*IN_PROGRESS, ASK, SUPPLY)

JOURNEYS = {
    "draft": (),
    "submitted": (SUBMIT,),
    "pre_supplement": (SUBMIT, GUIDE),
    "submitted_after_guidance": (SUBMIT, GUIDE, SUPPLY),
    "refused": (SUBMIT, (A.REFUSE, Role.RECEPTIONIST)),
    "received": RECEIVED,
    "in_progress": IN_PROGRESS,
    "in_progress_too_late_to_extend": (*IN_PROGRESS, later(TIME_LIMIT_DAYS)),
    "in_progress_extended": (*IN_PROGRESS, EXTEND),
    "supplement_requested": (*IN_PROGRESS, ASK),
    "received_after_supplement": SUPPLEMENTED,
    "in_progress_after_supplement": (*SUPPLEMENTED, ASSIGN),
    "awaiting_approval": (*IN_PROGRESS, PROPOSE),
    "transferred": (*IN_PROGRESS, (A.TRANSFER, Role.SPECIALIST)),
    "result_ready": (*IN_PROGRESS, PROPOSE, APPROVE),
    "result_ready_delivered": (*IN_PROGRESS, PROPOSE, APPROVE, delivered),
    "rejection_ready_delivered": (*IN_PROGRESS, PROPOSE, REJECT, delivered),
    "returned": (*IN_PROGRESS, PROPOSE, APPROVE, delivered, RETURN),
    "rejected": (*IN_PROGRESS, PROPOSE, REJECT, delivered, RETURN),
    "withdrawn_before_reception": (SUBMIT, WITHDRAW),
    "withdrawn_during_guidance": (SUBMIT, GUIDE, WITHDRAW),
    "withdrawn_after_reception": (*RECEIVED, WITHDRAW),
    "halted": (*IN_PROGRESS, (A.HALT, Role.LEADER)),
    "halted_while_waiting_for_supplement": (*IN_PROGRESS, ASK, (A.HALT, Role.LEADER)),
}


def accepted_rows(facts: DossierFacts, action: Action, role: Role):
    return [
        row
        for row in TRANSITIONS
        if row.from_status == facts.status
        and row.action == action
        and role in row.roles
        and (row.guard is None or row.guard(facts) is None)
    ]


def accepts(facts: DossierFacts, action: Action, role: Role) -> bool:
    try:
        decide(facts, action, role, "Ghi chú", a_week_later(facts))
    except Refused:
        return False
    return True


# --- the whole table ---------------------------------------------------------------------------


def test_every_status_is_reached_by_a_journey():
    assert {walk(*steps).status for steps in JOURNEYS.values()} == set(Status)


@pytest.mark.parametrize("journey", JOURNEYS)
def test_decide_accepts_exactly_the_table_rows_whose_guards_pass(journey):
    facts = walk(*JOURNEYS[journey])
    for action in Action:
        for role in Role:
            rows = accepted_rows(facts, action, role)
            assert len(rows) <= 1, (action, role)
            if rows:
                decision = decide(facts, action, role, "Ghi chú", a_week_later(facts))
                assert decision.from_status == facts.status
                assert (decision.to_status, decision.records) == (
                    rows[0].to_status,
                    rows[0].records,
                )
            else:
                with pytest.raises(Refused) as refused:
                    decide(facts, action, role, "Ghi chú", a_week_later(facts))
                assert refused.value.reason


@pytest.mark.parametrize(
    ("journey", "role", "buttons"),
    [
        ("draft", Role.CITIZEN, [A.SUBMIT]),
        ("submitted", Role.CITIZEN, [A.WITHDRAW]),
        ("submitted", Role.RECEPTIONIST, [A.RECEIVE, A.REQUEST_PRE_SUPPLEMENT, A.REFUSE]),
        ("submitted_after_guidance", Role.RECEPTIONIST, [A.RECEIVE, A.REFUSE]),
        ("pre_supplement", Role.CITIZEN, [A.SUPPLY, A.WITHDRAW]),
        ("received", Role.RECEPTIONIST, [A.ASSIGN]),
        ("received", Role.LEADER, [A.ASSIGN, A.EXTEND, A.HALT]),
        ("received", Role.CITIZEN, [A.WITHDRAW]),
        ("received_after_supplement", Role.CITIZEN, []),
        ("in_progress", Role.CITIZEN, []),
        ("in_progress", Role.SPECIALIST, [A.SUBMIT_FOR_APPROVAL, A.REQUEST_SUPPLEMENT, A.TRANSFER]),
        ("in_progress_after_supplement", Role.SPECIALIST, [A.SUBMIT_FOR_APPROVAL, A.TRANSFER]),
        ("in_progress", Role.LEADER, [A.TRANSFER, A.ASSIGN, A.EXTEND, A.HALT]),
        ("in_progress_extended", Role.LEADER, [A.TRANSFER, A.ASSIGN, A.HALT]),
        ("in_progress_too_late_to_extend", Role.LEADER, [A.TRANSFER, A.ASSIGN, A.HALT]),
        ("supplement_requested", Role.CITIZEN, [A.SUPPLY]),
        ("supplement_requested", Role.SPECIALIST, []),
        (
            "awaiting_approval",
            Role.LEADER,
            [A.APPROVE, A.REJECT, A.RETURN_FOR_REWORK, A.EXTEND, A.HALT],
        ),
        ("awaiting_approval", Role.SPECIALIST, []),
        ("transferred", Role.SYSTEM, [A.TRANSFER_BACK]),
        ("result_ready", Role.RECEPTIONIST, []),
        ("result_ready_delivered", Role.RECEPTIONIST, [A.RETURN_RESULT]),
        ("rejection_ready_delivered", Role.SYSTEM, [A.RETURN_RESULT]),
    ],
)
def test_each_role_sees_its_buttons(journey, role, buttons):
    assert flow.buttons(walk(*JOURNEYS[journey]), role) == buttons


@pytest.mark.parametrize("journey", JOURNEYS)
def test_the_administrator_plays_no_part_in_a_dossier(journey):
    assert options(walk(*JOURNEYS[journey]), Role.ADMINISTRATOR) == []


def random_move(rng: random.Random, facts: DossierFacts) -> DossierFacts | None:
    """A random event; closing moves are rare so that walks reach the late states."""
    moves = [(action, role) for role in Role for action in options(facts, role)]
    if not moves:
        return None
    roll = rng.random()
    if roll < 0.15:
        return later(rng.randint(1, 4))(facts)
    if roll < 0.25:
        return delivered(facts)
    onward = [m for m in moves if not is_terminal(act(facts, *m).status)]
    return act(facts, *rng.choice(onward if onward and roll < 0.95 else moves))


def test_options_match_decide():
    rng = random.Random(20250915)
    for _ in range(60):
        facts = walk()
        for _ in range(80):
            for role in Role:
                shown = options(facts, role)
                assert len(shown) == len(set(shown))
                assert set(shown) == {a for a in Action if accepts(facts, a, role)}, facts
            facts = random_move(rng, facts)
            if facts is None:
                break


@pytest.mark.parametrize("journey", [j for j in JOURNEYS if is_terminal(walk(*JOURNEYS[j]).status)])
def test_terminal_states_accept_nothing(journey):
    facts = walk(*JOURNEYS[journey])
    for role in Role:
        assert options(facts, role) == []
        for action in Action:
            with pytest.raises(Refused):
                decide(facts, action, role, "Ghi chú", a_week_later(facts))


def test_terminal_states_are_those_the_table_never_leaves():
    never_left = set(Status) - {row.from_status for row in TRANSITIONS}
    assert never_left == TERMINAL_STATUSES
    assert all(is_terminal(s) != is_open(s) for s in Status if s != S.DRAFT)
    assert not is_open(S.DRAFT) and not is_terminal(S.DRAFT)


@pytest.mark.parametrize("journey", JOURNEYS)
def test_notes_are_required_where_the_table_says(journey):
    facts = walk(*JOURNEYS[journey])
    for role in Role:
        for action in options(facts, role):
            (row,) = accepted_rows(facts, action, role)
            if row.needs_note:
                with pytest.raises(Refused, match="Vui lòng nhập"):
                    decide(facts, action, role, "  ", a_week_later(facts))
            else:
                decide(facts, action, role, "", a_week_later(facts))


# --- rules by behaviour ------------------------------------------------------------------------


def test_refusal_requires_a_reason():
    facts = walk(SUBMIT)
    with pytest.raises(Refused, match="lý do từ chối tiếp nhận"):
        decide(facts, A.REFUSE, Role.RECEPTIONIST, note="   ")
    decision = decide(facts, A.REFUSE, Role.RECEPTIONIST, note="  Không thuộc thẩm quyền ")
    assert decision.to_status == S.REFUSED
    assert decision.records == (Record.ISSUE_REFUSAL,)
    assert decision.note == "Không thuộc thẩm quyền"


def test_reception_issues_a_receipt_and_fixes_the_due_date():
    facts = walk(SUBMIT)
    assert facts.due_on is None
    decision = decide(facts, A.RECEIVE, Role.RECEPTIONIST)
    assert decision.records == (Record.ISSUE_RECEIPT, Record.FIX_DUE_DATE)
    assert follow(facts, decision).due_on == TODAY + timedelta(days=TIME_LIMIT_DAYS)


def test_the_desk_guides_once_before_reception_then_accepts_or_refuses():
    facts = walk(SUBMIT, GUIDE, SUPPLY)
    assert facts.status == S.SUBMITTED
    with pytest.raises(Refused, match="một lần"):
        decide(facts, A.REQUEST_PRE_SUPPLEMENT, Role.RECEPTIONIST, note="Thiếu tờ khai")


def test_supplement_can_be_requested_only_once():
    facts = walk(*SUPPLEMENTED, ASSIGN)
    assert facts.status == S.IN_PROGRESS
    assert A.REQUEST_SUPPLEMENT not in options(facts, Role.SPECIALIST)
    with pytest.raises(Refused, match="một lần"):
        decide(facts, A.REQUEST_SUPPLEMENT, Role.SPECIALIST, note="Thiếu bản vẽ")


def test_a_supplement_goes_back_to_the_desk_and_restarts_the_clock():
    waiting = walk(*IN_PROGRESS, ASK, later(5))
    decision = decide(waiting, A.SUPPLY, Role.CITIZEN)
    assert decision.to_status == S.RECEIVED
    assert Record.RESTART_CLOCK in decision.records
    assert Record.ISSUE_RECEIPT in decision.records
    assert follow(waiting, decision).due_on == TODAY + timedelta(days=5 + TIME_LIMIT_DAYS)


def test_extension_is_allowed_once_and_not_after_the_due_date():
    facts = walk(*IN_PROGRESS)
    due_on = facts.due_on
    new_date = due_on + timedelta(days=5)

    on_the_last_day = later(TIME_LIMIT_DAYS - 1)(facts)
    assert A.EXTEND in options(on_the_last_day, Role.LEADER)
    on_the_due_date = later(TIME_LIMIT_DAYS)(facts)
    assert A.EXTEND not in options(on_the_due_date, Role.LEADER)
    with pytest.raises(Refused, match="chậm nhất 1 ngày trước"):
        decide(on_the_due_date, A.EXTEND, Role.LEADER, "Chờ ý kiến Sở", new_date)

    with pytest.raises(Refused, match="lý do chậm trả"):
        decide(facts, A.EXTEND, Role.LEADER, "", new_date)
    with pytest.raises(Refused, match="ngày hẹn trả kết quả mới"):
        decide(facts, A.EXTEND, Role.LEADER, "Chờ ý kiến Sở")
    with pytest.raises(Refused, match="phải sau ngày hẹn cũ"):
        decide(facts, A.EXTEND, Role.LEADER, "Chờ ý kiến Sở", due_on)

    decision = decide(facts, A.EXTEND, Role.LEADER, "Chờ ý kiến Sở", new_date)
    assert decision.to_status == S.IN_PROGRESS
    assert decision.records == (Record.ISSUE_APOLOGY, Record.EXTEND_DUE_DATE)
    extended = follow(facts, decision)
    assert extended.due_on == new_date
    with pytest.raises(Refused, match="một lần"):
        decide(extended, A.EXTEND, Role.LEADER, "Lại chậm", new_date + timedelta(days=5))


def test_withdrawal_is_impossible_once_processing_started():
    for before in [(SUBMIT,), (SUBMIT, GUIDE), RECEIVED]:
        assert walk(*before, WITHDRAW).status == S.WITHDRAWN
    with pytest.raises(Refused, match="Không thể rút hồ sơ"):
        decide(walk(*IN_PROGRESS), A.WITHDRAW, Role.CITIZEN, note="Đổi ý")
    back_at_the_desk = walk(*SUPPLEMENTED)
    assert back_at_the_desk.status == S.RECEIVED
    with pytest.raises(Refused, match="dừng xử lý"):
        decide(back_at_the_desk, A.WITHDRAW, Role.CITIZEN, note="Đổi ý")
    assert A.HALT in options(back_at_the_desk, Role.LEADER)


def test_withdrawal_after_reception_stops_the_clock():
    decision = decide(walk(*RECEIVED), A.WITHDRAW, Role.CITIZEN, note="Nộp nhầm thủ tục")
    assert decision.records == (Record.STOP_CLOCK,)


def test_only_the_leader_signs():
    facts = walk(*IN_PROGRESS, PROPOSE)
    with pytest.raises(Refused, match="với vai trò chuyên viên xử lý"):
        decide(facts, A.APPROVE, Role.SPECIALIST)
    assert decide(facts, A.APPROVE, Role.LEADER).to_status == S.RESULT_READY


def test_an_action_outside_the_table_names_the_status():
    with pytest.raises(Refused) as refused:
        decide(walk(), A.APPROVE, Role.LEADER)
    assert refused.value.reason == "Không thể phê duyệt khi hồ sơ đang «Nháp»."


def test_return_requires_a_recorded_delivery():
    facts = walk(*IN_PROGRESS, PROPOSE, APPROVE)
    with pytest.raises(Refused, match="Chưa ghi nhận việc giao kết quả"):
        decide(facts, A.RETURN_RESULT, Role.RECEPTIONIST)
    assert decide(delivered(facts), A.RETURN_RESULT, Role.SYSTEM).to_status == S.RETURNED


def test_rejection_is_returned_like_a_result_and_ends_rejected():
    ready = walk(*IN_PROGRESS, PROPOSE, REJECT)
    assert ready.status == S.RESULT_READY
    with pytest.raises(Refused, match="Chưa ghi nhận việc giao kết quả"):
        decide(ready, A.RETURN_RESULT, Role.RECEPTIONIST)
    decision = decide(delivered(ready), A.RETURN_RESULT, Role.RECEPTIONIST)
    assert decision.to_status == S.REJECTED


def test_a_rejection_needs_a_reason_and_issues_the_refusal_form():
    facts = walk(*IN_PROGRESS, PROPOSE)
    with pytest.raises(Refused, match="lý do không giải quyết"):
        decide(facts, A.REJECT, Role.LEADER)
    decision = decide(facts, A.REJECT, Role.LEADER, note="Không đủ điều kiện")
    assert decision.records == (Record.STOP_CLOCK, Record.ISSUE_REFUSAL)


def test_a_transferred_dossier_comes_back_to_processing():
    away = walk(*IN_PROGRESS, (A.TRANSFER, Role.LEADER))
    assert public_status(away.status) == S.IN_PROGRESS
    assert act(away, A.TRANSFER_BACK, Role.SYSTEM).status == S.IN_PROGRESS


# --- values and labels -------------------------------------------------------------------------


def test_stored_values_are_the_agreed_strings():
    assert [s.value for s in Status] == [
        "draft",
        "submitted",
        "pre_supplement",
        "refused",
        "received",
        "in_progress",
        "supplement_requested",
        "awaiting_approval",
        "transferred",
        "result_ready",
        "returned",
        "rejected",
        "withdrawn",
        "halted",
    ]
    assert [r.value for r in Role] == [
        "citizen",
        "receptionist",
        "specialist",
        "leader",
        "administrator",
        "system",
    ]


def test_every_value_has_a_vietnamese_label():
    assert set(STATUS_LABELS) == set(Status)
    assert set(ACTION_LABELS) == set(Action)
    assert set(ROLE_LABELS) == set(Role)
    assert STATUS_LABELS[S.SUPPLEMENT_REQUESTED] == "Chờ bổ sung"
    assert {row.action for row in TRANSITIONS if row.needs_note} == set(NOTE_LABELS)
    assert {row.action for row in TRANSITIONS} == set(Action)


def test_citizens_see_agency_steps_as_processing():
    assert public_status(S.AWAITING_APPROVAL) == S.IN_PROGRESS
    assert public_status(S.RECEIVED) == S.RECEIVED
    assert S.TRANSFERRED not in PUBLIC_STATUSES
    assert A.SUBMIT_FOR_APPROVAL not in CITIZEN_VISIBLE_ACTIONS
    assert A.REQUEST_SUPPLEMENT in CITIZEN_VISIBLE_ACTIONS


def test_a_supplement_request_is_a_list_by_lines_or_semicolons():
    assert flow.missing_items("Bản sao CCCD\n\n Giấy chứng sinh ") == [
        "Bản sao CCCD",
        "Giấy chứng sinh",
    ]
    assert flow.missing_items("Bản sao CCCD; Giấy chứng sinh;") == [
        "Bản sao CCCD",
        "Giấy chứng sinh",
    ]
    assert flow.missing_items("   ") == []
