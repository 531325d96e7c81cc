import copy
import json
from datetime import date
from pathlib import Path

import pytest

from app.domain.forms import (
    PROVINCE_CODES,
    Field,
    FieldType,
    FormSchema,
    SchemaInvalid,
    Sex,
    Step,
)
from app.domain.forms_answers import (
    citizen_id_birth_info,
    citizen_id_birth_year,
    citizen_id_problem,
    first_incomplete_step,
    initial_answers,
    normalize_phone,
    parse_date,
    validate_form,
    validate_step,
)
from app.domain.forms_schema import parse_schema

TODAY = date(2026, 3, 2)
DEMO = json.loads((Path(__file__).parents[2] / "app/demo/catalogue.json").read_text())
DEMO_FORMS = {p["id"]: p for p in DEMO["procedures"] if "bieu_mau" in p}
HANOI_MAN_1990 = "001090012345"
HCMC_WOMAN_2003 = "079303001234"

SAMPLE = {
    "buoc": [
        {
            "ma": "nguoi_yeu_cau",
            "tieu_de": "Người yêu cầu",
            "mo_ta": "Thông tin điền sẵn từ tài khoản",
            "truong": [
                {
                    "ma": "ho_ten",
                    "nhan": "Họ, chữ đệm, tên",
                    "kieu": "text",
                    "bat_buoc": True,
                    "dien_san": "full_name",
                },
                {
                    "ma": "ngay_sinh",
                    "nhan": "Ngày sinh",
                    "kieu": "date",
                    "bat_buoc": True,
                    "khong_sau_hom_nay": True,
                    "dien_san": "date_of_birth",
                },
                {
                    "ma": "so_dinh_danh",
                    "nhan": "Số định danh cá nhân",
                    "kieu": "citizen_id",
                    "bat_buoc": True,
                    "ngay_sinh_tu": "ngay_sinh",
                    "dien_san": "citizen_id",
                },
                {"ma": "dien_thoai", "nhan": "Số điện thoại", "kieu": "phone"},
            ],
        },
        {
            "ma": "ghi_chu",
            "tieu_de": "Ghi chú",
            "truong": [{"ma": "noi_dung", "nhan": "Nội dung", "kieu": "long_text"}],
        },
        {
            "ma": "giay_to",
            "tieu_de": "Giấy tờ đính kèm",
            "truong": [
                {
                    "ma": "giay_chung_sinh",
                    "nhan": "Giấy chứng sinh",
                    "kieu": "file",
                    "thanh_phan": 1,
                },
                {"ma": "uy_quyen", "nhan": "Văn bản ủy quyền", "kieu": "file", "thanh_phan": 2},
            ],
        },
    ]
}
COMPONENTS = [True, True, False]  # the form itself, birth certificate, authorisation
GOOD_FIRST_STEP = {
    "ho_ten": "Nguyễn Văn An",
    "ngay_sinh": "15/06/1990",
    "so_dinh_danh": HANOI_MAN_1990,
    "dien_thoai": "",
}


def _schema(**changes) -> dict:
    data = copy.deepcopy(SAMPLE)
    for path, value in changes.items():
        step, field, key = path.split("__")
        data["buoc"][int(step)]["truong"][int(field)][key] = value
    return data


def _problems(data, components=COMPONENTS) -> list[tuple[str, str]]:
    with pytest.raises(SchemaInvalid) as err:
        parse_schema(data, components)
    return err.value.problems


def _paths(data, components=COMPONENTS) -> list[str]:
    return [path for path, _ in _problems(data, components)]


def _field(kind: FieldType, **options) -> Field:
    return Field("f", options.pop("label", "Trường"), kind, **options)


def _check(field: Field, raw: str, today: date = TODAY) -> tuple[str | None, str | None]:
    """(cleaned value or None, error or None) for one answer."""
    cleaned, errors = validate_step(Step("s", "Bước", "", (field,)), {field.key: raw}, today)
    return cleaned.get(field.key), errors.get(field.key)


# Schema -------------------------------------------------------------------------------------------


def test_a_schema_parses_into_steps_of_typed_fields():
    schema = parse_schema(SAMPLE, COMPONENTS)
    assert [s.key for s in schema.steps] == ["nguoi_yeu_cau", "ghi_chu", "giay_to"]
    first = schema.steps[0]
    assert (first.title, first.description) == ("Người yêu cầu", "Thông tin điền sẵn từ tài khoản")
    assert first.fields[0] == Field(
        "ho_ten", "Họ, chữ đệm, tên", FieldType.TEXT, required=True, prefill="full_name"
    )
    assert first.fields[1].max_today is True
    assert first.fields[2].birth_year_from == "ngay_sinh"
    assert first.fields[3].required is False


def test_a_document_without_steps_is_refused():
    for data in (None, [], {"steps": []}, {"buoc": []}):
        assert _paths(data) == [""]


def test_duplicate_step_keys_are_refused():
    data = _schema()
    data["buoc"][1]["ma"] = "nguoi_yeu_cau"
    problems = _problems(data)
    assert problems == [("buoc[1].ma", "trùng mã bước với buoc[0]")]


def test_field_keys_must_be_unique_across_the_whole_form():
    data = _schema(**{"1__0__ma": "ho_ten"})
    assert _problems(data) == [("buoc[1].truong[0].ma", "trùng mã trường với buoc[0].truong[0]")]


@pytest.mark.parametrize("key", ["Ho_ten", "1ho_ten", "ho-ten", "họ_tên", "h" * 41, "", 7])
def test_keys_are_lowercase_ascii_identifiers(key):
    assert _paths(_schema(**{"0__0__ma": key})) == ["buoc[0].truong[0].ma"]


def test_an_unknown_field_type_is_refused_naming_the_accepted_ones():
    [(path, message)] = _problems(_schema(**{"0__3__kieu": "telephone"}))
    assert path == "buoc[0].truong[3].kieu"
    assert "'telephone'" in message and "citizen_id" in message


def test_a_choice_field_needs_its_choices():
    data = _schema(**{"0__3__kieu": "choice"})
    assert _paths(data) == ["buoc[0].truong[3].lua_chon"]
    data = _schema(**{"0__3__kieu": "choice", "0__3__lua_chon": [{"ma": "a", "nhan": "A"}]})
    assert parse_schema(data, COMPONENTS).steps[0].fields[3].choices[0].label == "A"


def test_choice_values_must_be_unique_keys_with_labels():
    options = [{"ma": "nam", "nhan": "Nam"}, {"ma": "nam", "nhan": "Nữ"}, {"ma": "Nu"}]
    data = _schema(**{"0__3__kieu": "choice", "0__3__lua_chon": options})
    assert _paths(data) == [
        "buoc[0].truong[3].lua_chon[1].ma",
        "buoc[0].truong[3].lua_chon[2].ma",
        "buoc[0].truong[3].lua_chon[2].nhan",
    ]


def test_a_file_field_needs_a_component_index():
    data = _schema()
    del data["buoc"][2]["truong"][0]["thanh_phan"]
    assert _paths(data) == ["buoc[2].truong[0].thanh_phan"]


def test_options_of_another_type_are_refused():
    data = _schema(**{"0__0__lua_chon": [{"ma": "a", "nhan": "A"}], "0__3__thanh_phan": 1})
    assert _paths(data) == ["buoc[0].truong[0].lua_chon", "buoc[0].truong[3].thanh_phan"]


def test_misspelt_keys_are_reported_rather_than_ignored():
    data = _schema(**{"0__0__bat_buco": True})
    data["buoc"][0]["title"] = "x"
    assert _paths(data) == ["buoc[0].title", "buoc[0].truong[0].bat_buco"]


def test_prefill_must_name_a_profile_attribute_that_fits_the_type():
    assert _paths(_schema(**{"0__3__dien_san": "nickname"})) == ["buoc[0].truong[3].dien_san"]
    assert _paths(_schema(**{"0__3__dien_san": "email"})) == ["buoc[0].truong[3].dien_san"]
    assert parse_schema(_schema(**{"0__3__dien_san": "phone"}), COMPONENTS)


def test_a_broken_pattern_and_reversed_bounds_are_refused():
    data = _schema(**{"1__0__dinh_dang": "([a-z]", "1__0__do_dai_toi_thieu": 9})
    data["buoc"][1]["truong"][0]["do_dai_toi_da"] = 3
    assert _paths(data) == ["buoc[1].truong[0].do_dai_toi_thieu", "buoc[1].truong[0].dinh_dang"]


def test_reversed_number_bounds_are_refused():
    data = _schema(
        **{"0__3__kieu": "number", "0__3__gia_tri_toi_thieu": 10, "0__3__gia_tri_toi_da": 1}
    )
    assert _paths(data) == ["buoc[0].truong[3].gia_tri_toi_thieu"]


def test_the_birth_year_link_must_point_to_a_date_or_number_of_the_same_step():
    assert _paths(_schema(**{"0__2__ngay_sinh_tu": "noi_dung"})) == [
        "buoc[0].truong[2].ngay_sinh_tu"
    ]
    assert _paths(_schema(**{"0__2__ngay_sinh_tu": "ho_ten"})) == ["buoc[0].truong[2].ngay_sinh_tu"]


def test_every_problem_of_a_schema_is_reported_at_once():
    data = _schema(**{"0__0__kieu": "x", "0__3__ma": "Bad"})
    data["buoc"][1]["truong"] = []
    data["buoc"][2]["tieu_de"] = ""
    assert _paths(data) == [
        "buoc[0].truong[0].kieu",
        "buoc[0].truong[3].ma",
        "buoc[1].truong",
        "buoc[2].tieu_de",
    ]
    with pytest.raises(SchemaInvalid, match=r"buoc\[2\]\.tieu_de: bắt buộc"):
        parse_schema(data, COMPONENTS)


def test_a_file_field_follows_the_requirement_of_its_component():
    files = parse_schema(SAMPLE, COMPONENTS).file_fields
    assert [(f.key, f.component, f.required) for f in files] == [
        ("giay_chung_sinh", 1, True),
        ("uy_quyen", 2, False),
    ]


def test_bat_buoc_on_a_file_field_overrides_its_component():
    data = _schema(**{"2__0__bat_buoc": False, "2__1__bat_buoc": True})
    assert [f.required for f in parse_schema(data, COMPONENTS).file_fields] == [False, True]


def test_a_file_field_must_point_inside_the_procedure_components():
    [(path, message)] = _problems(_schema(**{"2__1__thanh_phan": 3}))
    assert path == "buoc[2].truong[1].thanh_phan"
    assert "không có thành phần hồ sơ số 3" in message


def test_without_components_file_fields_are_required_unless_told_otherwise():
    files = parse_schema(_schema(**{"2__1__bat_buoc": False})).file_fields
    assert [f.required for f in files] == [True, False]


def test_steps_know_their_neighbours():
    schema = parse_schema(SAMPLE, COMPONENTS)
    assert schema.next_step("nguoi_yeu_cau").key == "ghi_chu"
    assert schema.previous_step("ghi_chu").key == "nguoi_yeu_cau"
    assert schema.next_step("giay_to") is None
    assert schema.previous_step("nguoi_yeu_cau") is None
    with pytest.raises(KeyError):
        schema.step("khong_co")


# Required answers ---------------------------------------------------------------------------------


def test_a_missing_required_answer_asks_for_the_field_by_its_label():
    step = parse_schema(SAMPLE, COMPONENTS).steps[0]
    cleaned, errors = validate_step(step, {"ho_ten": "   "}, TODAY)
    assert errors["ho_ten"] == "Vui lòng nhập Họ, chữ đệm, tên"
    assert set(errors) == {"ho_ten", "ngay_sinh", "so_dinh_danh"}
    assert cleaned == {"dien_thoai": ""}


def test_a_missing_choice_asks_to_choose_and_a_missing_file_asks_to_attach():
    choice = _field(FieldType.CHOICE, label="Giới tính", required=True)
    assert _check(choice, "") == (None, "Vui lòng chọn Giới tính")
    file = _field(FieldType.FILE, label="Giấy chứng sinh", required=True, component=1)
    assert _check(file, "") == (None, "Vui lòng đính kèm Giấy chứng sinh")


@pytest.mark.parametrize("kind", list(FieldType))
def test_a_blank_optional_answer_is_saved_as_empty(kind):
    assert _check(_field(kind), "  ") == ("", None)


# Text ---------------------------------------------------------------------------------------------


def test_text_is_trimmed_with_inner_spaces_collapsed_and_accents_composed():
    decomposed = "Nguye\u0302\u0303n  Va\u0306n\tAn "
    assert _check(_field(FieldType.TEXT), decomposed) == ("Nguyễn Văn An", None)


def test_text_is_limited_to_200_characters_unless_the_field_says_otherwise():
    field = _field(FieldType.TEXT, label="Tên")
    assert _check(field, "a" * 200) == ("a" * 200, None)
    assert _check(field, "a" * 201) == (None, "Tên không được dài quá 200 ký tự")
    assert _check(_field(FieldType.TEXT, max_length=5), "abcdef")[1]
    assert _check(_field(FieldType.TEXT, max_length=500), "a" * 300)[1] is None


def test_long_text_keeps_its_line_breaks_and_allows_2000_characters():
    field = _field(FieldType.LONG_TEXT, label="Ngành nghề")
    assert _check(field, "Bán lẻ  \r\nĂn uống") == ("Bán lẻ\nĂn uống", None)
    assert _check(field, "a" * 2000)[1] is None
    assert _check(field, "a" * 2001)[1] == "Ngành nghề không được dài quá 2000 ký tự"


def test_address_is_text_with_a_300_character_limit():
    field = _field(FieldType.ADDRESS, label="Nơi cư trú")
    assert _check(field, " Số 1,  phố Tràng Tiền ") == ("Số 1, phố Tràng Tiền", None)
    assert _check(field, "a" * 301)[1] == "Nơi cư trú không được dài quá 300 ký tự"


def test_text_shorter_than_its_minimum_is_refused():
    field = _field(FieldType.TEXT, label="Tên", min_length=3)
    assert _check(field, "ab") == (None, "Tên phải có ít nhất 3 ký tự")


def test_a_pattern_must_match_the_whole_answer_and_can_carry_its_own_message():
    field = _field(FieldType.TEXT, pattern=r"(?i)hộ kinh doanh .+", pattern_message="Sai tên")
    assert _check(field, "HỘ KINH DOANH Hoa Sữa") == ("HỘ KINH DOANH Hoa Sữa", None)
    assert _check(field, "Cửa hàng Hoa Sữa") == (None, "Sai tên")
    assert _check(_field(FieldType.TEXT, label="Mã", pattern=r"\d+"), "12a")[1] == (
        "Mã không đúng định dạng"
    )


def test_control_characters_are_refused():
    assert _check(_field(FieldType.TEXT, label="Tên"), "An\x00") == (
        None,
        "Tên có ký tự không hợp lệ",
    )


# Dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["25/12/1990", "25-12-1990", "25.12.1990", "1990-12-25", " 25/12/1990 "]
)
def test_dates_are_read_day_first_or_iso_and_saved_as_iso(raw):
    assert _check(_field(FieldType.DATE), raw) == ("1990-12-25", None)


def test_one_digit_days_and_months_are_accepted():
    assert parse_date("5/3/2024") == date(2024, 3, 5)


@pytest.mark.parametrize(
    "raw", ["31/02/2020", "12/25/1990", "25/12-1990", "25/12/90", "1990/12/25", "ngày 5", "2020"]
)
def test_impossible_or_unreadable_dates_are_refused(raw):
    value, error = _check(_field(FieldType.DATE, label="Ngày sinh"), raw)
    assert value is None
    assert error == "Ngày sinh phải là ngày có thật, dạng ngày/tháng/năm (ví dụ 25/12/1990)"


def test_a_date_that_must_not_be_in_the_future():
    field = _field(FieldType.DATE, label="Ngày sinh", max_today=True)
    assert _check(field, "02/03/2026") == ("2026-03-02", None)
    assert _check(field, "03/03/2026") == (None, "Ngày sinh không được sau ngày hôm nay")
    assert _check(_field(FieldType.DATE), "03/03/2026") == ("2026-03-03", None)


def test_dates_with_implausible_years_are_refused():
    field = _field(FieldType.DATE, label="Ngày cấp")
    assert _check(field, "31/12/1899") == (None, "Năm trong Ngày cấp không hợp lệ")
    assert _check(field, "01/01/2032")[1] == "Năm trong Ngày cấp không hợp lệ"
    assert _check(field, "01/01/1900")[1] is None
    assert _check(field, "31/12/2031")[1] is None


# Numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", "12"), (" 007 ", "7"), ("100.000.000", "100000000"), ("1 000", "1000")],
)
def test_integers_accept_vietnamese_thousands_separators(raw, value):
    assert _check(_field(FieldType.NUMBER), raw) == (value, None)


@pytest.mark.parametrize("raw", ["1,5", "1.5", "12a", "mười", "1.00.000", "-"])
def test_numbers_that_are_not_integers_are_refused(raw):
    assert _check(_field(FieldType.NUMBER, label="Số trang"), raw) == (
        None,
        "Số trang phải là số nguyên, ví dụ 12",
    )


def test_numbers_are_kept_within_their_bounds():
    field = _field(FieldType.NUMBER, label="Vốn", min_value=1000, max_value=2_000_000)
    assert _check(field, "999") == (None, "Vốn phải từ 1.000 trở lên")
    assert _check(field, "2.000.001") == (None, "Vốn không được lớn hơn 2.000.000")
    assert _check(field, "1000") == ("1000", None)


def test_negative_numbers_need_a_negative_minimum():
    assert _check(_field(FieldType.NUMBER, min_value=0), "-3")[1] == "Trường phải từ 0 trở lên"
    assert _check(_field(FieldType.NUMBER, min_value=-10), "-3") == ("-3", None)


def test_huge_numbers_are_refused():
    assert _check(_field(FieldType.NUMBER, label="Vốn"), "9" * 16) == (None, "Vốn quá lớn")


# Choices ------------------------------------------------------------------------------------------


def test_a_choice_must_be_one_of_the_values_not_a_label():
    schema = parse_schema(
        _schema(
            **{
                "0__3__kieu": "choice",
                "0__3__lua_chon": [{"ma": "nam", "nhan": "Nam"}, {"ma": "nu", "nhan": "Nữ"}],
            }
        ),
        COMPONENTS,
    )
    field = schema.steps[0].fields[3]
    assert _check(field, "nu") == ("nu", None)
    assert _check(field, "Nữ") == (None, "Vui lòng chọn Số điện thoại trong danh sách")


# Personal identification numbers ------------------------------------------------------------------


def test_the_province_codes_are_the_63_pre_2025_provinces():
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    assert all("001" <= code <= "096" for code in PROVINCE_CODES)


def test_a_valid_citizen_id_is_saved_as_twelve_digits():
    field = _field(FieldType.CITIZEN_ID)
    assert _check(field, HANOI_MAN_1990) == (HANOI_MAN_1990, None)
    assert _check(field, " 079 303 001 234 ") == (HCMC_WOMAN_2003, None)


@pytest.mark.parametrize("raw", ["00109001234", "0010900123456", "00109001234A", "CCCD001090012"])
def test_a_citizen_id_must_have_exactly_twelve_digits(raw):
    assert _check(_field(FieldType.CITIZEN_ID, label="Số định danh cá nhân"), raw) == (
        None,
        "Số định danh cá nhân phải gồm đúng 12 chữ số",
    )


def test_an_old_nine_digit_identity_card_number_is_explained():
    error = citizen_id_problem("012345678", TODAY)
    assert error is not None and "chứng minh nhân dân 9 số" in error


@pytest.mark.parametrize("province", ["000", "003", "097", "099"])
def test_a_citizen_id_must_start_with_a_province_code(province):
    error = citizen_id_problem(province + "090012345", TODAY)
    assert error == (
        "Số định danh cá nhân không hợp lệ: 3 chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh"
    )


def test_a_citizen_id_cannot_encode_a_birth_year_after_this_year():
    assert citizen_id_problem("001326012345", TODAY) is None  # 2026
    assert "năm sinh" in citizen_id_problem("001327012345", TODAY)  # 2027
    assert citizen_id_problem("001400012345", TODAY) is not None  # 2100


@pytest.mark.parametrize(
    ("number", "info", "year"),
    [
        ("001090012345", (20, Sex.MALE, 90), 1990),
        ("001185012345", (20, Sex.FEMALE, 85), 1985),
        ("079203001234", (21, Sex.MALE, 3), 2003),
        ("079399001234", (21, Sex.FEMALE, 99), 2099),
        ("079401001234", (22, Sex.MALE, 1), 2101),
        ("079501001234", (22, Sex.FEMALE, 1), 2101),
    ],
)
def test_the_fourth_digit_encodes_century_and_sex(number, info, year):
    assert citizen_id_birth_info(number) == info
    assert citizen_id_birth_year(number) == year


@pytest.mark.parametrize("number", ["00109001234", "00109001234x", ""])
def test_birth_info_needs_twelve_digits(number):
    with pytest.raises(ValueError):
        citizen_id_birth_info(number)


def test_a_citizen_id_must_agree_with_a_known_birth_year():
    assert citizen_id_problem(HANOI_MAN_1990, TODAY, birth_year=1990) is None
    assert citizen_id_problem(HANOI_MAN_1990, TODAY, birth_year=1991) == (
        "Số định danh cá nhân không khớp với năm sinh đã khai (1991)"
    )


def test_a_citizen_id_is_checked_against_the_date_of_birth_of_its_step():
    step = parse_schema(SAMPLE, COMPONENTS).steps[0]
    answers = {**GOOD_FIRST_STEP, "ngay_sinh": "15/06/1991"}
    cleaned, errors = validate_step(step, answers, TODAY)
    assert errors == {"so_dinh_danh": "Số định danh cá nhân không khớp với năm sinh đã khai (1991)"}
    assert "so_dinh_danh" not in cleaned
    assert validate_step(step, GOOD_FIRST_STEP, TODAY)[1] == {}


def test_a_citizen_id_is_checked_against_a_birth_year_number():
    year = Field("nam_sinh", "Năm sinh", FieldType.NUMBER)
    cccd = Field("so", "Số định danh", FieldType.CITIZEN_ID, birth_year_from="nam_sinh")
    step = Step("me", "Mẹ", "", (year, cccd))
    assert validate_step(step, {"nam_sinh": "1985", "so": HANOI_MAN_1990}, TODAY)[1] == {
        "so": "Số định danh không khớp với năm sinh đã khai (1985)"
    }
    assert validate_step(step, {"nam_sinh": "", "so": HANOI_MAN_1990}, TODAY)[1] == {}


# Phones and e-mail --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("0361234567", "0361234567"),
        ("0561234567", "0561234567"),
        ("0761234567", "0761234567"),
        ("0861234567", "0861234567"),
        ("024 3825 1234", "02438251234"),
        ("+84 24 3825 1234", "02438251234"),
        ("842438251234", "02438251234"),
    ],
)
def test_phone_numbers_are_normalised_to_a_leading_zero(raw, phone):
    assert normalize_phone(raw) == phone
    assert _check(_field(FieldType.PHONE), raw) == (phone, None)


@pytest.mark.parametrize(
    "raw",
    [
        "0112345678",  # old 11-digit mobile prefix
        "0612345678",  # 06 is not a mobile prefix
        "091234567",  # too short
        "09123456789",  # mobile too long
        "0243825123",  # landline too short
        "1900 1234",
        "+1 415 555 0100",
        "09l2345678",
    ],
)
def test_numbers_that_are_not_vietnamese_phones_are_refused(raw):
    assert normalize_phone(raw) is None
    assert _check(_field(FieldType.PHONE, label="Số điện thoại"), raw) == (
        None,
        "Số điện thoại không hợp lệ, vui lòng nhập số di động 10 số hoặc số cố định",
    )


def test_an_email_is_kept_with_its_domain_in_lower_case():
    assert _check(_field(FieldType.EMAIL), " An.Nguyen@Gmail.COM ") == ("An.Nguyen@gmail.com", None)


@pytest.mark.parametrize("raw", ["an@", "an gmail.com", "an@gmail", "an@gmail..com", "a b@x.vn"])
def test_malformed_emails_are_refused(raw):
    assert _check(_field(FieldType.EMAIL, label="Thư điện tử"), raw) == (
        None,
        "Thư điện tử không đúng định dạng, ví dụ ten@gmail.com",
    )


# Attachments --------------------------------------------------------------------------------------


def test_a_file_answer_is_the_reference_of_an_attachment():
    field = _field(FieldType.FILE, label="Giấy chứng sinh", required=True, component=1)
    assert _check(field, "att_7f3a") == ("att_7f3a", None)
    assert _check(field, "a b")[1] == (
        "Tệp đính kèm cho Giấy chứng sinh không hợp lệ, vui lòng tải lên lại"
    )


def test_required_files_block_the_step_and_optional_ones_do_not():
    step = parse_schema(SAMPLE, COMPONENTS).step("giay_to")
    assert validate_step(step, {}, TODAY)[1] == {
        "giay_chung_sinh": "Vui lòng đính kèm Giấy chứng sinh"
    }
    assert validate_step(step, {"giay_chung_sinh": "att_1"}, TODAY) == (
        {"giay_chung_sinh": "att_1", "uy_quyen": ""},
        {},
    )


# Whole forms --------------------------------------------------------------------------------------


def _complete_answers() -> dict[str, dict[str, str]]:
    return {
        "nguoi_yeu_cau": dict(GOOD_FIRST_STEP),
        "ghi_chu": {},
        "giay_to": {"giay_chung_sinh": "att_1"},
    }


def test_cleaned_answers_validate_again_unchanged():
    step = parse_schema(SAMPLE, COMPONENTS).steps[0]
    answers = {**GOOD_FIRST_STEP, "dien_thoai": "+84 912 345 678"}
    cleaned, errors = validate_step(step, answers, TODAY)
    assert errors == {}
    assert cleaned["ngay_sinh"] == "1990-06-15"
    assert validate_step(step, cleaned, TODAY) == (cleaned, {})


def test_invalid_answers_are_left_out_of_the_cleaned_values():
    step = parse_schema(SAMPLE, COMPONENTS).steps[0]
    cleaned, errors = validate_step(step, {**GOOD_FIRST_STEP, "dien_thoai": "123"}, TODAY)
    assert set(errors) == {"dien_thoai"}
    assert "dien_thoai" not in cleaned
    assert cleaned["ho_ten"] == "Nguyễn Văn An"


def test_validate_form_lists_errors_by_step_only_for_steps_that_have_them():
    schema = parse_schema(SAMPLE, COMPONENTS)
    answers = _complete_answers()
    assert validate_form(schema, answers, TODAY) == {}
    del answers["giay_to"]
    answers["nguoi_yeu_cau"]["ho_ten"] = ""
    assert validate_form(schema, answers, TODAY) == {
        "nguoi_yeu_cau": {"ho_ten": "Vui lòng nhập Họ, chữ đệm, tên"},
        "giay_to": {"giay_chung_sinh": "Vui lòng đính kèm Giấy chứng sinh"},
    }


def test_a_new_form_resumes_at_its_first_step():
    schema = parse_schema(SAMPLE, COMPONENTS)
    assert first_incomplete_step(schema, {}, TODAY).key == "nguoi_yeu_cau"


def test_a_step_with_only_optional_fields_must_still_be_saved_once():
    schema = parse_schema(SAMPLE, COMPONENTS)
    answers = {"nguoi_yeu_cau": GOOD_FIRST_STEP}
    assert first_incomplete_step(schema, answers, TODAY).key == "ghi_chu"
    answers["ghi_chu"] = {"noi_dung": ""}
    assert first_incomplete_step(schema, answers, TODAY).key == "giay_to"


def test_a_complete_form_has_no_incomplete_step():
    schema = parse_schema(SAMPLE, COMPONENTS)
    assert first_incomplete_step(schema, _complete_answers(), TODAY) is None


def test_a_saved_step_that_is_no_longer_valid_is_where_to_resume():
    schema = parse_schema(SAMPLE, COMPONENTS)
    answers = _complete_answers()
    answers["nguoi_yeu_cau"]["ngay_sinh"] = "2026-03-05"
    assert first_incomplete_step(schema, answers, TODAY).key == "nguoi_yeu_cau"
    assert first_incomplete_step(schema, answers, date(2026, 3, 5)) is not None  # CCCD 1990


def test_a_step_shows_saved_answers_first_then_the_profile():
    step = parse_schema(SAMPLE, COMPONENTS).steps[0]
    profile = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": date(1990, 6, 15),
        "citizen_id": HANOI_MAN_1990,
        "phone": "0912345678",
    }
    assert initial_answers(step, None, profile) == {
        "ho_ten": "Nguyễn Văn An",
        "ngay_sinh": "1990-06-15",
        "so_dinh_danh": HANOI_MAN_1990,
        "dien_thoai": "",
    }
    shown = initial_answers(step, {"ho_ten": "Nguyễn Văn Bình", "dien_thoai": ""}, profile)
    assert shown["ho_ten"] == "Nguyễn Văn Bình"
    assert shown["ngay_sinh"] == "1990-06-15"
    assert initial_answers(step, None, {})["ho_ten"] == ""


# Demo catalogue -----------------------------------------------------------------------------------


def _demo_schema(code: str) -> FormSchema:
    procedure = DEMO_FORMS[code]
    required = [c.get("bat_buoc", True) is True for c in procedure["thanh_phan_ho_so"]]
    return parse_schema(procedure["bieu_mau"], required)


def test_the_five_demo_procedures_have_forms_of_three_to_five_steps():
    assert set(DEMO_FORMS) == {"P01", "P02", "P04", "P12", "P21"}
    for code in DEMO_FORMS:
        assert 3 <= len(_demo_schema(code).steps) <= 5, code


def test_demo_file_fields_point_to_components_that_are_submitted():
    for code, procedure in DEMO_FORMS.items():
        components = procedure["thanh_phan_ho_so"]
        files = _demo_schema(code).file_fields
        assert files, code
        for field in files:
            assert components[field.component].get("hinh_thuc", "nop") == "nop", field.key


def test_in_birth_registration_the_birth_certificate_is_required_and_authorisation_optional():
    files = {f.key: f for f in _demo_schema("P01").file_fields}
    assert files["giay_chung_sinh"].required is True
    assert files["van_ban_uy_quyen"].required is False
    assert "Giấy chứng sinh" in DEMO_FORMS["P01"]["thanh_phan_ho_so"][1]["ten"]


def test_a_completed_birth_registration_passes_the_final_check():
    schema = _demo_schema("P01")
    answers = {
        "nguoi_yeu_cau": {
            "ho_ten": "Trần Thị Mai",
            "so_dinh_danh": HCMC_WOMAN_2003,
            "noi_cu_tru": "Số 5, đường Lê Lợi, phường Sài Gòn, Thành phố Hồ Chí Minh",
            "dien_thoai": "0912345678",
            "quan_he": "me",
        },
        "nguoi_duoc_khai_sinh": {
            "tre_ho_ten": "Nguyễn Minh An",
            "tre_ngay_sinh": "20/02/2026",
            "tre_gioi_tinh": "nam",
            "tre_dan_toc": "Kinh",
            "tre_quoc_tich": "Việt Nam",
            "tre_noi_sinh": "Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh",
            "tre_que_quan": "Xã Nghĩa Hưng, tỉnh Ninh Bình",
        },
        "cha_me": {
            "me_ho_ten": "Trần Thị Mai",
            "me_nam_sinh": "2003",
            "me_dan_toc": "Kinh",
            "me_quoc_tich": "Việt Nam",
            "me_so_dinh_danh": HCMC_WOMAN_2003,
            "me_noi_cu_tru": "Số 5, đường Lê Lợi, phường Sài Gòn, Thành phố Hồ Chí Minh",
        },
        "giay_to": {"giay_chung_sinh": "att_42"},
        "ban_sao": {},
    }
    assert validate_form(schema, answers, TODAY) == {}
    assert first_incomplete_step(schema, answers, TODAY) is None
    answers["cha_me"]["me_nam_sinh"] = "2002"
    assert validate_form(schema, answers, TODAY) == {
        "cha_me": {
            "me_so_dinh_danh": (
                "Số định danh cá nhân của người mẹ không khớp với năm sinh đã khai (2002)"
            )
        }
    }


def test_demo_prefilled_fields_cover_the_requester_of_every_procedure():
    for code in DEMO_FORMS:
        first = _demo_schema(code).steps[0]
        prefilled = {f.prefill for f in first.fields if f.prefill}
        assert {"full_name", "citizen_id", "phone"} <= prefilled, code
