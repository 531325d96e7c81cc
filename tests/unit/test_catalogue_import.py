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
