import copy
import json
from pathlib import Path

import pytest

from app.domain.catalogue_import import CatalogueInvalid, parse_catalogue
from app.domain.levels import OnlineLevel

DEMO = json.loads((Path(__file__).parents[2] / "app/demo/catalogue.json").read_text())
LEVELS = {"tinh", "xa"}


def _doc(*rows):
    return {"procedures": list(rows)}


def _row(**changes):
    row = copy.deepcopy(DEMO["procedures"][0])
    row.update(changes)
    return row


def test_demo_catalogue_is_valid():
    records = parse_catalogue(DEMO, LEVELS)
    assert len(records) == len(DEMO["procedures"])
    assert {r.code for r in records} == {p["id"] for p in DEMO["procedures"]}


def test_values_are_mapped_to_english_enums():
    record = parse_catalogue(_doc(_row()), LEVELS)[0]
    assert record.code == "P01"
    assert record.national_code == "1.001193"
    assert record.online_level is OnlineLevel.FULL
    assert record.time_limit_unit == "same_day"
    assert record.time_limit_value == 0
    assert [c.submission for c in record.components][:3] == ["submit", "submit", "present_only"]
    assert record.components[3].requirement == "when_applicable"
    assert record.fees[0].amount_vnd == 0
    assert record.fees[1].amount_vnd is None
    assert record.fees[0].kind == "fee"


def test_a_bad_row_is_reported_with_position_id_and_field():
    rows = [_row(id="A1"), _row(id="A2"), _row(id="A3", thoi_han={"value": "ba", "unit": "tuan"})]
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(*rows), LEVELS)
    problems = {(p.position, p.row_id, p.field) for p in err.value.problems}
    assert problems == {(3, "A3", "thoi_han.unit"), (3, "A3", "thoi_han.value")}
    assert "thủ tục thứ 3 (id A3), trường thoi_han.unit" in str(err.value)


def test_every_problem_of_the_file_is_reported_at_once():
    broken_fee = _row(id="B2")
    broken_fee["phi_le_phi"][0]["amount_vnd"] = -5
    broken_component = _row(id="B3")
    broken_component["thanh_phan_ho_so"][1]["loai_ban"] = "photo"
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(_row(id="B1", ten=""), broken_fee, broken_component), LEVELS)
    fields = [(p.position, p.field) for p in err.value.problems]
    assert fields == [
        (1, "ten"),
        (2, "phi_le_phi[0].amount_vnd"),
        (3, "thanh_phan_ho_so[1].loai_ban"),
    ]


def test_duplicate_ids_are_refused():
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(_row(id="D1"), _row(id="D1")), LEVELS)
    assert [(p.position, p.field) for p in err.value.problems] == [(2, "id")]
    assert "trùng với thủ tục thứ 1" in err.value.problems[0].message


def test_unknown_agency_level_is_refused_because_levels_are_data():
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(_row(cap_thuc_hien=["huyen"])), LEVELS)
    assert err.value.problems[0].field == "cap_thuc_hien"
    assert parse_catalogue(_doc(_row(cap_thuc_hien=["huyen"])), LEVELS | {"huyen"})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "có dấu"}, "id"),
        ({"muc_do_dvc": "muc_5"}, "muc_do_dvc"),
        ({"muc_do": 7}, "muc_do"),
        ({"hieu_luc_tu": "01/01/2026"}, "hieu_luc_tu"),
        ({"can_cu_phap_ly": "Luật Hộ tịch"}, "can_cu_phap_ly"),
        ({"thanh_phan_ho_so": {"ten": "x"}}, "thanh_phan_ho_so"),
    ],
)
def test_invalid_values_name_their_field(change, field):
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(_row(**change)), LEVELS)
    assert [p.field for p in err.value.problems] == [field]


def test_form_template_must_have_title_and_sections():
    row = _row()
    row["thanh_phan_ho_so"][0]["mau"] = {"muc": []}
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(row), LEVELS)
    assert err.value.problems[0].field == "thanh_phan_ho_so[0].mau"


def test_a_document_without_procedures_is_refused():
    with pytest.raises(CatalogueInvalid):
        parse_catalogue({"items": []}, LEVELS)


def test_the_form_schema_is_kept_on_the_record_when_valid():
    records = {r.code: r for r in parse_catalogue(DEMO, LEVELS)}
    p01 = next(p for p in DEMO["procedures"] if p["id"] == "P01")
    assert records["P01"].form_schema == p01["bieu_mau"]
    without = [p["id"] for p in DEMO["procedures"] if "bieu_mau" not in p]
    assert without and all(records[code].form_schema is None for code in without)


def test_form_schema_problems_are_reported_under_bieu_mau():
    row = _row()
    row["bieu_mau"]["buoc"][0]["truong"][0]["kieu"] = "ten"
    row["bieu_mau"]["buoc"][1]["ma"] = "nguoi_yeu_cau"
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(row), LEVELS)
    assert [p.field for p in err.value.problems] == [
        "bieu_mau.buoc[0].truong[0].kieu",
        "bieu_mau.buoc[1].ma",
    ]
    assert "thủ tục thứ 1 (id P01), trường bieu_mau.buoc[1].ma: trùng mã bước" in str(err.value)


def test_a_form_schema_that_is_not_an_object_is_refused():
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(_row(bieu_mau=[])), LEVELS)
    assert [p.field for p in err.value.problems] == ["bieu_mau"]


def test_file_fields_must_point_to_a_component_of_the_same_row():
    row = _row()
    row["thanh_phan_ho_so"] = row["thanh_phan_ho_so"][:3]  # drop the authorisation letter
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(row), LEVELS)
    [problem] = err.value.problems
    assert problem.field.startswith("bieu_mau.buoc[")
    assert problem.field.endswith(".thanh_phan")
    assert "không có thành phần hồ sơ số 3" in problem.message


def test_unreadable_components_are_not_reported_again_for_each_file_field():
    row = _row()
    row["thanh_phan_ho_so"][2] = "Giấy tờ tùy thân"
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(row), LEVELS)
    assert [p.field for p in err.value.problems] == ["thanh_phan_ho_so[2]"]


def _fields(*rows):
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(*rows), LEVELS)
    return [(p.position, p.field, p.message) for p in err.value.problems]


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ({"value": 10**12, "unit": "working_day"}, "không được lớn hơn 365"),
        ({"value": 366, "unit": "day"}, "không được lớn hơn 365"),
        ({"value": 8_761, "unit": "hour"}, "không được lớn hơn 8.760"),
        ({"value": -1, "unit": "working_day"}, "phải lớn hơn hoặc bằng 0"),
    ],
)
def test_absurd_time_limits_are_refused(limit, message):
    assert _fields(_row(thoi_han=limit)) == [(1, "thoi_han.value", message)]


def test_the_longest_sane_time_limits_are_accepted():
    rows = [
        _row(id="T1", thoi_han={"value": 365, "unit": "working_day"}),
        _row(id="T2", thoi_han={"value": 8_760, "unit": "hour"}),
        _row(id="T3", thoi_han_toi_da_ngay_lam_viec=365),
    ]
    assert [r.time_limit_value for r in parse_catalogue(_doc(*rows), LEVELS)][:2] == [365, 8_760]


def test_an_unbounded_maximum_working_days_is_refused():
    problems = _fields(_row(thoi_han_toi_da_ngay_lam_viec=10**12))
    assert [p[1] for p in problems] == ["thoi_han_toi_da_ngay_lam_viec"]


@pytest.mark.parametrize(("amount", "ok"), [(10**12, True), (10**12 + 1, False), (-1, False)])
def test_fee_amounts_must_be_possible_in_vnd(amount, ok):
    row = _row()
    row["phi_le_phi"][0]["amount_vnd"] = amount
    if ok:
        assert parse_catalogue(_doc(row), LEVELS)[0].fees[0].amount_vnd == amount
    else:
        assert [p[1] for p in _fields(row)] == ["phi_le_phi[0].amount_vnd"]


def test_quantities_beyond_the_integer_column_are_refused():
    row = _row()
    row["thanh_phan_ho_so"][0]["so_luong"] = 2**31
    assert [p[1] for p in _fields(row)] == ["thanh_phan_ho_so[0].so_luong"]


def test_an_end_date_before_the_start_date_is_refused():
    problems = _fields(_row(hieu_luc_tu="2026-05-01", hieu_luc_den="2026-04-30"))
    assert problems == [(1, "hieu_luc_den", "ngày hết hiệu lực không được trước ngày có hiệu lực")]
    same_day = _row(hieu_luc_tu="2026-05-01", hieu_luc_den="2026-05-01")
    assert parse_catalogue(_doc(same_day), LEVELS)[0].valid_to.isoformat() == "2026-05-01"


def test_absurd_nesting_is_refused_with_the_row_and_field():
    deep: object = "x"
    for _ in range(5_000):
        deep = [deep]
    rows = [_row(id="N1"), _row(id="N2", bieu_mau={"truong": deep})]
    with pytest.raises(CatalogueInvalid) as err:
        parse_catalogue(_doc(*rows), LEVELS)
    assert [(p.position, p.row_id, p.field) for p in err.value.problems] == [(2, "N2", "bieu_mau")]
    assert "lồng nhau quá 20 cấp" in str(err.value)
