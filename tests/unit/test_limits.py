"""Declared lengths: one per field, and the check that refuses a value past it."""

from datetime import date

import pytest

from app.domain import limits
from app.domain.dossier_flow import Action, DossierFacts, Refused, Role, Status, decide


def test_a_value_past_its_declared_length_is_named_with_a_vietnamese_message():
    values = {"ho_ten": "a" * (limits.PERSON_NAME + 1), "dia_chi": "b" * limits.ADDRESS}
    assert limits.too_long(values, limits.FORM_FIELDS) == {
        "ho_ten": f"Dài quá {limits.PERSON_NAME} ký tự; vui lòng viết ngắn hơn."
    }


def test_values_that_are_not_text_or_absent_are_left_alone():
    assert limits.too_long({"ho_ten": None, "ghi_chu": 5}, limits.FORM_FIELDS) == {}


@pytest.mark.parametrize("name", sorted(limits.FORM_FIELDS))
def test_every_form_field_length_is_one_of_the_declared_lengths(name):
    assert limits.FORM_FIELDS[name] in limits.ALL.values()


def test_agency_fields_are_declared():
    row = {"name": "x" * (limits.AGENCY_NAME + 1), "phone": "1" * (limits.AGENCY_PHONE + 1)}
    assert set(limits.too_long(row, limits.AGENCY_FIELDS)) == {"name", "phone"}


def test_an_officer_note_past_its_length_is_refused():
    facts = DossierFacts(status=Status.SUBMITTED, today=date(2026, 12, 3))
    with pytest.raises(Refused, match=f"dài quá {limits.NOTE} ký tự"):
        decide(facts, Action.REFUSE, Role.RECEPTIONIST, note="x" * (limits.NOTE + 1))
    assert decide(facts, Action.REFUSE, Role.RECEPTIONIST, note="x" * limits.NOTE)
