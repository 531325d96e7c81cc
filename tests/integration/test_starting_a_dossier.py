"""Starting an online dossier from the procedure page, and procedures by national code."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path

import pytest

from app.models import Dossier, Procedure
from app.services.catalogue import catalogue_cache
from app.services.catalogue_import import bump_catalogue_version, import_catalogue
from tests.integration.builders import Clients, post, reference_in

BIRTH = "1.001193"  # Đăng ký khai sinh, local id P01
DEMO = json.loads((Path(__file__).parents[2] / "app/demo/catalogue.json").read_text())


@pytest.fixture
async def counter_only(demo_db):
    """A procedure received only at the desk (not online), with no national code."""
    row = copy.deepcopy(DEMO["procedures"][19])
    row.update(id="OFFLINE-1", ten="Thủ tục chỉ nộp tại quầy", muc_do_dvc="khong", ma_tthc=None)
    await import_catalogue({"procedures": [row]}, date.today())
    catalogue_cache().invalidate()
    yield "OFFLINE-1"
    await Procedure.delete().where(Procedure.code == "OFFLINE-1").run()
    await bump_catalogue_version()
    catalogue_cache().invalidate()


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def _drafts_of(client) -> int:
    return await Dossier.count().where(Dossier.status == "draft").run()


async def test_the_old_address_by_local_id_redirects_permanently_to_the_national_code(client):
    response = await client.get("/thu-tuc/P01", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/thu-tuc/{BIRTH}"
    page = await client.get(f"/thu-tuc/{BIRTH}")
    assert page.status_code == 200
    assert "<h1>Đăng ký khai sinh</h1>" in page.text


async def test_an_online_procedure_page_offers_to_submit_online_twice(client):
    page = (await client.get(f"/thu-tuc/{BIRTH}")).text
    assert page.count(f'action="/thu-tuc/{BIRTH}/nop-ho-so"') == 2
    assert page.count(">Nộp hồ sơ trực tuyến</button>") == 2
    assert "Toàn trình" in page


async def test_a_procedure_that_is_not_online_says_where_to_apply(client, counter_only):
    page = (await client.get(f"/thu-tuc/{counter_only}")).text
    assert "Thủ tục chỉ nộp tại quầy" in page
    assert "Nộp hồ sơ trực tuyến</button>" not in page
    assert "Thủ tục này chưa nhận hồ sơ trực tuyến" in page
    assert "bưu chính" in page


async def test_catalogue_results_say_which_procedures_are_online(client):
    page = (await client.get("/thu-tuc", params={"q": "khai sinh"})).text
    assert "Nộp trực tuyến: toàn trình" in page
    home = (await client.get("/")).text
    assert "Nộp trực tuyến:" in home


async def test_searching_a_national_code_finds_the_procedure(client):
    page = (await client.get("/thu-tuc", params={"q": BIRTH})).text
    results = page.split('id="results"')[1]
    assert f'href="/thu-tuc/{BIRTH}"' in results


async def test_a_get_never_creates_a_draft_and_the_button_does(clients):
    citizen = await clients.citizen()
    before = await _drafts_of(citizen.client)
    page = await citizen.client.get(f"/thu-tuc/{BIRTH}/nop-ho-so", follow_redirects=False)
    assert page.status_code == 200
    assert "Bắt đầu khai hồ sơ" in page.text
    assert await _drafts_of(citizen.client) == before
    location = await citizen.start(BIRTH)
    assert location.startswith("/ho-so/") and "/buoc/" in location
    assert await _drafts_of(citizen.client) == before + 1
    # the same GET now resumes the draft instead of offering a new one
    again = await citizen.client.get(f"/thu-tuc/{BIRTH}/nop-ho-so", follow_redirects=False)
    assert again.status_code == 303
    assert reference_in(again.headers["location"]) == reference_in(location)


async def test_an_anonymous_visitor_is_sent_to_log_in_and_back_to_the_procedure(clients):
    anonymous = await clients.new()
    response = await post(anonymous, f"/thu-tuc/{BIRTH}/nop-ho-so", {})
    assert response.status_code == 303
    assert response.headers["location"] == f"/dang-nhap?tiep=/thu-tuc/{BIRTH}/nop-ho-so"


async def test_my_dossiers_offers_to_start_one(clients):
    citizen = await clients.citizen()
    page = (await citizen.client.get("/ho-so")).text
    assert "Nộp hồ sơ mới" in page
    assert re.search(r'href="/thu-tuc/[^"]+/nop-ho-so"', page)
