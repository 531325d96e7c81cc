import copy
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.domain.catalogue_import import CatalogueInvalid
from app.models import CatalogueState, Component, Fee, Procedure
from app.services.catalogue_import import bump_catalogue_version, import_catalogue

DEMO = json.loads((Path(__file__).parents[2] / "app/demo/catalogue.json").read_text())
TODAY = date(2026, 3, 2)


def _row(code: str, **changes) -> dict:
    row = copy.deepcopy(DEMO["procedures"][3])  # xác nhận tình trạng hôn nhân: has a fee
    row.update(id=code, **changes)
    return row


@pytest.fixture
async def cleanup(demo_db):
    codes: list[str] = []
    yield codes
    await Procedure.delete().where(Procedure.code.is_in(codes)).run()
    await bump_catalogue_version()


async def _version() -> int:
    return (await CatalogueState.select().first().run())["version"]


async def test_import_creates_then_leaves_unchanged_rows_alone(cleanup):
    cleanup.append("IT-1")
    doc = {"procedures": [_row("IT-1")]}
    first = await import_catalogue(doc, TODAY)
    again = await import_catalogue(doc, TODAY)
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    row = await Procedure.objects().where(Procedure.code == "IT-1").first().run()
    assert row.revision == 1
    assert await Component.count().where(Component.procedure == row.id).run() == len(
        doc["procedures"][0]["thanh_phan_ho_so"]
    )


async def test_import_upserts_by_code_and_counts_revisions(cleanup):
    cleanup.append("IT-2")
    await import_catalogue({"procedures": [_row("IT-2")]}, TODAY)
    before = await _version()
    summary = await import_catalogue({"procedures": [_row("IT-2", ten="Tên mới")]}, TODAY)
    assert summary.updated == 1
    row = await Procedure.objects().where(Procedure.code == "IT-2").first().run()
    assert (row.name, row.revision) == ("Tên mới", 2)
    assert await _version() > before
    assert await Procedure.count().where(Procedure.code == "IT-2").run() == 1


async def test_changed_fees_keep_their_history_with_validity_dates(cleanup):
    cleanup.append("IT-3")
    await import_catalogue({"procedures": [_row("IT-3")]}, TODAY)
    changed = _row("IT-3")
    changed["phi_le_phi"][0]["amount_vnd"] = 99_000
    later = TODAY + timedelta(days=30)
    await import_catalogue({"procedures": [changed]}, later)
    pid = (await Procedure.select(Procedure.id).where(Procedure.code == "IT-3").first().run())["id"]
    fees = await Fee.select().where(Fee.procedure == pid).order_by(Fee.id).run()
    old = [f for f in fees if f["valid_to"] is not None]
    new = [f for f in fees if f["valid_to"] is None]
    assert {f["valid_to"] for f in old} == {later - timedelta(days=1)}
    assert {f["valid_from"] for f in new} == {later}
    assert new[0]["amount_vnd"] == 99_000
    assert old[0]["amount_vnd"] == DEMO["procedures"][3]["phi_le_phi"][0]["amount_vnd"]


async def test_an_invalid_file_loads_nothing(cleanup):
    cleanup.extend(["IT-4", "IT-5"])
    count = await Procedure.count().run()
    version = await _version()
    bad = _row("IT-5", cap_thuc_hien=["khong-co"])
    with pytest.raises(CatalogueInvalid):
        await import_catalogue({"procedures": [_row("IT-4"), bad]}, TODAY)
    assert await Procedure.count().run() == count
    assert await _version() == version


def test_cli_reports_the_bad_row_and_exits_non_zero(tmp_path, demo_db):
    rows = [_row("IT-6"), _row("IT-7", thoi_han={"value": 3, "unit": "tuan"})]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"procedures": rows}, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "import-catalogue", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "thủ tục thứ 2 (id IT-7), trường thoi_han.unit" in done.stderr
    assert "không nạp gì" in done.stderr


def _run_cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "import-catalogue", str(path)],
        capture_output=True,
        text=True,
    )


def test_cli_refuses_a_file_that_is_not_utf8(tmp_path, demo_db):
    path = tmp_path / "latin1.json"
    text = json.dumps({"procedures": [_row("IT-8", ten="Đăng ký kết hôn")]}, ensure_ascii=False)
    path.write_bytes(text.encode("utf-16"))
    done = _run_cli(path)
    assert done.returncode != 0
    assert "không phải văn bản UTF-8" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_refuses_absurd_nesting_without_a_traceback(tmp_path, demo_db):
    path = tmp_path / "deep.json"
    path.write_text('{"procedures": [' + "[" * 10_000 + "]" * 10_000 + "]}", encoding="utf-8")
    done = _run_cli(path)
    assert done.returncode != 0
    assert "lồng nhau quá sâu" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_names_the_row_and_field_of_an_absurd_value(tmp_path, demo_db):
    rows = [_row("IT-9", thoi_han={"value": 10**12, "unit": "working_day"})]
    path = tmp_path / "absurd.json"
    path.write_text(json.dumps({"procedures": rows}), encoding="utf-8")
    done = _run_cli(path)
    assert done.returncode == 1
    assert "thủ tục thứ 1 (id IT-9), trường thoi_han.value" in done.stderr
    assert "Traceback" not in done.stderr
