import random
from datetime import date
from itertools import count

import pytest

from app.domain.dossier_codes import (
    AGENCY_CODE_RE,
    CODE_RE,
    REFERENCE_ALPHABET,
    DossierCode,
    format_code,
    is_valid_code,
    is_valid_reference,
    new_reference,
    normalize_code,
    normalize_reference,
    parse_code,
    sequence_key,
)

HAU_GIANG = "000.00.00.H30"
MARCH_14 = date(2025, 3, 14)

# Dossier codes ------------------------------------------------------------------------------------


def test_the_brief_example_formats_as_agency_date_and_four_digit_sequence():
    assert format_code(HAU_GIANG, MARCH_14, 7) == "000.00.00.H30-250314-0007"


def test_the_sequence_grows_past_9999():
    code = format_code(HAU_GIANG, MARCH_14, 12345)
    assert code == "000.00.00.H30-250314-12345"
    assert parse_code(code).sequence == 12345


def test_parsing_gives_back_the_parts():
    assert parse_code("000.00.00.H30-250314-0007") == DossierCode(HAU_GIANG, MARCH_14, 7)


@pytest.mark.parametrize(
    ("agency", "day", "sequence"),
    [
        ("000.00.00.H30", date(2025, 3, 14), 1),
        ("001.23.45.G03", date(2000, 1, 1), 9999),
        ("999.99.99.Z99", date(2099, 12, 31), 10000),
        ("000.00.31.H55", date(2024, 2, 29), 42),
    ],
)
def test_formatting_and_parsing_round_trip(agency, day, sequence):
    code = format_code(agency, day, sequence)
    assert CODE_RE.fullmatch(code)
    assert parse_code(code) == DossierCode(agency, day, sequence)
    assert str(parse_code(code)) == code


def test_code_pattern_is_the_one_from_the_brief():
    assert CODE_RE.pattern == r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,}$"


@pytest.mark.parametrize(
    "agency",
    [
        "000.00.00.h30",  # lower-case letter
        "00.00.00.H30",
        "000.00.00.H3",
        "000.00.00.H300",
        "000-00-00-H30",
        "000.00.00.30H",
        "000.00.00.Đ30",
        "٠٠٠.00.00.H30",  # Arabic-Indic digits are not ASCII digits
        "000.00.00.H30\n",
        " 000.00.00.H30",
        "",
    ],
)
def test_bad_agency_codes_are_refused(agency):
    assert not AGENCY_CODE_RE.fullmatch(agency)
    with pytest.raises(ValueError, match="cơ quan"):
        format_code(agency, MARCH_14, 1)


@pytest.mark.parametrize("sequence", [0, -1])
def test_sequence_starts_at_one(sequence):
    with pytest.raises(ValueError, match="số thứ tự"):
        format_code(HAU_GIANG, MARCH_14, sequence)


def test_receipt_year_must_fit_two_digits():
    with pytest.raises(ValueError):
        format_code(HAU_GIANG, date(1999, 12, 31), 1)
    with pytest.raises(ValueError):
        format_code(HAU_GIANG, date(2100, 1, 1), 1)


@pytest.mark.parametrize("yymmdd", ["250230", "251301", "250000", "250100", "230229"])
def test_codes_with_impossible_dates_are_refused(yymmdd):
    code = f"000.00.00.H30-{yymmdd}-0001"
    assert CODE_RE.fullmatch(code)
    with pytest.raises(ValueError, match="ngày"):
        parse_code(code)
    assert not is_valid_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "000.00.00.H30-250314-0000",  # sequence 0
        "000.00.00.H30-250314-007",  # fewer than 4 digits
        "000.00.00.H30-250314-00007",  # padded beyond 4 digits: not canonical
        "000.00.00.H30-20250314-0007",
        "000.00.00.h30-250314-0007",
        "000.00.00.H30-250314-0007\n",
        " 000.00.00.H30-250314-0007",
        "000.00.00.H30 250314 0007",
        "000.00.00.H30-250314-٠٠٠٧",
        "",
    ],
)
def test_malformed_codes_are_invalid(code):
    assert not is_valid_code(code)
    with pytest.raises(ValueError):
        parse_code(code)


def test_well_formed_codes_are_valid():
    assert is_valid_code("000.00.00.H30-250314-0007")
    assert is_valid_code("000.00.00.H30-240229-10000")


def test_sequence_key_is_the_code_prefix_per_agency_and_day():
    assert sequence_key(HAU_GIANG, MARCH_14) == "000.00.00.H30-250314"
    assert format_code(HAU_GIANG, MARCH_14, 7).startswith(sequence_key(HAU_GIANG, MARCH_14))


def test_a_typed_code_is_trimmed_and_upper_cased_before_validation():
    typed = " 000.00.00.h30-250314-0007 \n"
    assert normalize_code(typed) == "000.00.00.H30-250314-0007"
    assert is_valid_code(normalize_code(typed))
    assert normalize_code("０００.００.００.Ｈ３０-250314-0007") == "000.00.00.H30-250314-0007"


# Temporary references -----------------------------------------------------------------------------


def test_reference_alphabet_has_no_look_alikes():
    assert set(REFERENCE_ALPHABET).isdisjoint("0O1IL5S2Z8B")


def test_reference_alphabet_has_nothing_a_vietnamese_keyboard_rewrites():
    assert set(REFERENCE_ALPHABET).isdisjoint("AEIOUYDW")


def test_reference_alphabet_is_upper_case_ascii_without_repeats():
    assert len(set(REFERENCE_ALPHABET)) == len(REFERENCE_ALPHABET) == 19
    assert REFERENCE_ALPHABET.isascii() and REFERENCE_ALPHABET.upper() == REFERENCE_ALPHABET


def test_references_are_two_groups_of_four():
    reference = new_reference(random.Random(1))
    assert is_valid_reference(reference)
    assert len(reference) == 9 and reference[4] == "-"
    assert set(reference.replace("-", "")) <= set(REFERENCE_ALPHABET)


def test_the_same_random_source_gives_the_same_reference():
    assert new_reference(random.Random(7)) == new_reference(random.Random(7))


def test_a_callable_random_source_picks_the_characters():
    assert new_reference(lambda n: 0) == "3333-3333"
    step = count()
    assert new_reference(lambda n: next(step) % n) == "3467-9CFG"


def test_a_random_source_out_of_range_is_refused():
    with pytest.raises(ValueError):
        new_reference(lambda n: n)
    with pytest.raises(ValueError):
        new_reference(lambda n: -1)


def test_references_spread_over_the_alphabet():
    rng = random.Random(2025)
    references = {new_reference(rng) for _ in range(2000)}
    assert len(references) == 2000
    assert set("".join(references).replace("-", "")) == set(REFERENCE_ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        "HX4K-9TQM",
        "hx4k-9tqm",
        "HX4K9TQM",
        " hx4k 9tqm ",
        "HX4K–9TQM",  # en dash
        "hx-4k-9t-qm",
        "ＨＸ４Ｋ９ＴＱＭ",  # full-width input
    ],
)
def test_typed_references_are_normalised(typed):
    assert normalize_reference(typed) == "HX4K-9TQM"


@pytest.mark.parametrize(
    "typed",
    [
        "HX4K-9TOM",  # O is not Q: no guessing
        "HX4K-9TQ0",
        "HX4K-1TQM",
        "HX4K-9SQM",
        "HX4K-9TQMM",  # too long
        "HX4K-9TQ",  # too short
        "HẢ4K-9TQM",  # rewritten by a Vietnamese keyboard
        "HX4K/9TQM",
        "",
    ],
)
def test_references_with_characters_outside_the_alphabet_are_not_guessed(typed):
    assert normalize_reference(typed) is None


def test_only_the_canonical_form_is_a_valid_reference():
    assert is_valid_reference("HX4K-9TQM")
    assert not is_valid_reference("hx4k-9tqm")
    assert not is_valid_reference("HX4K9TQM")
    assert not is_valid_reference("HX4K-9TQM\n")
