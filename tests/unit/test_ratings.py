"""Rating rules: the form, the national criteria, the change window and the follow-up."""

import json
from datetime import datetime, timedelta
from pathlib import Path

from app.domain import ratings as rt

CRITERIA = rt.criteria_from(
    json.loads((Path(rt.__file__).parent / "satisfaction_criteria.json").read_text())
)


def test_the_optional_criteria_are_indices_one_to_nine():
    assert [c.key for c in CRITERIA] == [f"chiso{i}" for i in range(1, 10)]
    assert set(CRITERIA[0].choices) == {"a", "b", "c"}


def test_a_rating_needs_the_overall_level_and_the_ease_of_use():
    rating, errors = rt.parse({}, CRITERIA)
    assert rating is None
    assert set(errors) == {"muc_do", "de_su_dung"}


def test_not_satisfied_asks_for_a_comment():
    _, errors = rt.parse({"muc_do": "1", "de_su_dung": "2"}, CRITERIA)
    assert "y_kien" in errors
    rating, errors = rt.parse({"muc_do": "1", "de_su_dung": "2", "y_kien": " Chờ lâu "}, CRITERIA)
    assert errors == {}
    assert rating.level is rt.Level.DISSATISFIED and rating.comment == "Chờ lâu"


def test_unknown_levels_and_criteria_answers_are_not_kept():
    _, errors = rt.parse({"muc_do": "9", "de_su_dung": "x"}, CRITERIA)
    assert set(errors) == {"muc_do", "de_su_dung"}
    rating, _ = rt.parse(
        {"muc_do": "3", "de_su_dung": "3", "chiso1": "a", "chiso2": "z", "chiso99": "a"}, CRITERIA
    )
    assert rating.answers == {"chiso1": "a"}


def test_a_rating_can_be_changed_only_within_the_window():
    first = datetime(2026, 3, 2, 9, 0)
    assert rt.can_change(first, first + timedelta(days=7), 7)
    assert not rt.can_change(first, first + timedelta(days=7, seconds=1), 7)


def test_not_satisfied_opens_the_follow_up_and_a_better_level_keeps_it():
    assert rt.follow_up_after(rt.Level.DISSATISFIED, rt.FollowUp.NONE) is rt.FollowUp.OPEN
    assert rt.follow_up_after(rt.Level.DISSATISFIED, rt.FollowUp.ANSWERED) is rt.FollowUp.OPEN
    assert rt.follow_up_after(rt.Level.SATISFIED, rt.FollowUp.NONE) is rt.FollowUp.NONE
    assert rt.follow_up_after(rt.Level.SATISFIED, rt.FollowUp.OPEN) is rt.FollowUp.OPEN
