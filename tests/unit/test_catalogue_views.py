"""A snapshot keeps a procedure's details packed and gives them back as the page reads them."""

import json

import pytest

from app.services.catalogue_views import DETAIL_COLUMNS, ProcedureView, pack_details, unpack_details


def _view() -> ProcedureView:
    row = {
        "id": 7,
        "code": "P07",
        "national_code": "1.000007",
        "name": "Đăng ký khai sinh",
        "service_level": 4,
        "usage_count": 12,
        "steps": json.dumps(["Nộp hồ sơ", "Nhận kết quả"], ensure_ascii=False),
        "channels": '["online"]',
        "applicants": "[]",
        "legal_basis": '[{"ten": "Luật Hộ tịch"}]',
        "form_schema": None,
        "conditions": "Không",
        "result": "Giấy khai sinh",
        "time_limit_text": "Trong ngày",
        "implementing_agency": "UBND xã",
        "name_en": "Birth registration",
        "content_hash": "abc",
    }
    components = [{"position": 1, "name": "Tờ khai", "template": '{"tieu_de": "Tờ khai"}'}]
    packed = pack_details(row, components)
    return ProcedureView(7, "P07", "1.000007", row["name"], row, [], [], packed, [])


def test_the_details_leave_the_row_and_come_back_decoded():
    view = _view()
    assert not DETAIL_COLUMNS & view.row.keys()  # the list item's row holds only short columns
    assert view.steps == ["Nộp hồ sơ", "Nhận kết quả"]
    assert view.legal_basis == [{"ten": "Luật Hộ tịch"}]
    assert view.result == "Giấy khai sinh" and view.form_schema is None
    assert view.usage_count == 12 and view.service_level == 4


def test_components_come_back_with_their_templates_decoded_and_as_copies():
    view = _view()
    first = view.components
    assert first == [{"position": 1, "name": "Tờ khai", "template": {"tieu_de": "Tờ khai"}}]
    first[0]["name"] = "đổi"
    assert view.components[0]["name"] == "Tờ khai"  # a page cannot change the snapshot
    assert view.has_forms and len(view.forms) == 1


def test_the_details_are_bytes_until_read_and_an_unknown_name_is_an_error():
    view = _view()
    assert isinstance(view.packed, bytes)
    assert unpack_details(view.packed)["implementing_agency"] == "UBND xã"
    with pytest.raises(AttributeError):
        view.no_such_column  # noqa: B018
