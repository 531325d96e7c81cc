import copy
import json
from datetime import date
from pathlib import Path

import pytest

from app.models import Procedure
from app.services.catalogue import CatalogueCache, Filters, catalogue_cache
from app.services.catalogue_import import bump_catalogue_version, import_catalogue

DEMO = json.loads((Path(__file__).parents[2] / "app/demo/catalogue.json").read_text())


@pytest.fixture
async def extra_procedure(demo_db):
    row = copy.deepcopy(DEMO["procedures"][0])
    row.update(id="CACHE-1", ten="Thủ tục thử bộ nhớ đệm")
    yield {"procedures": [row]}
    await Procedure.delete().where(Procedure.code == "CACHE-1").run()
    await bump_catalogue_version()


async def test_cache_serves_the_snapshot_until_its_age_runs_out(extra_procedure):
    cache = CatalogueCache(max_age=3600)
    first = await cache.get()
    await import_catalogue(extra_procedure, date.today())
    assert await cache.get() is first  # not re-checked yet
    assert first.get("CACHE-1") is None
    cache.invalidate()
    fresh = await cache.get()
    assert fresh.get("CACHE-1").name == "Thủ tục thử bộ nhớ đệm"
    assert fresh.version > first.version


async def test_an_import_elsewhere_is_seen_once_the_version_is_rechecked(extra_procedure):
    cache = CatalogueCache(max_age=0)
    before = await cache.get()
    assert await cache.get() is before  # same version: the snapshot is reused
    await import_catalogue(extra_procedure, date.today())
    assert await cache.get() is before  # answered at once; the check runs in the background
    after = await cache.settled()
    assert after is not before
    assert await cache.get() is after
    assert after.search(Filters(q="thu bo nho dem")).items[0].code == "CACHE-1"


async def test_a_new_day_rebuilds_the_snapshot_for_fee_validity(demo_db):
    cache = CatalogueCache(max_age=3600)
    today = await cache.get(date(2026, 5, 4))
    tomorrow = await cache.get(date(2026, 5, 5))
    assert tomorrow is not today
    assert tomorrow.on == date(2026, 5, 5)


async def test_a_failed_background_check_keeps_serving_the_snapshot(demo_db, monkeypatch):
    cache = CatalogueCache(max_age=0)
    before = await cache.get()

    async def unreachable() -> int:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr("app.services.catalogue._version", unreachable)
    assert await cache.get() is before
    assert await cache.settled() is before
    assert await cache.get() is before


async def test_a_renamed_procedure_is_listed_under_its_new_name(client):
    """List items are rendered once per snapshot: a new snapshot renders them anew."""
    row = copy.deepcopy(DEMO["procedures"][0])
    assert row["ten"] in (await client.get("/thu-tuc")).text
    try:
        row["ten"] = "Đăng ký khai sinh (tên mới sau sửa đổi)"
        await import_catalogue({"procedures": [row]}, date.today())
        catalogue_cache().invalidate()
        for page in ("/thu-tuc", "/"):
            text = (await client.get(page)).text
            assert "Đăng ký khai sinh (tên mới sau sửa đổi)" in text, page
    finally:
        await import_catalogue({"procedures": [DEMO["procedures"][0]]}, date.today())
        catalogue_cache().invalidate()
