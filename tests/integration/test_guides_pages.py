"""The guide pages: tiny, plain HTML, lazy pictures with their size and alt text, linked from
the footer and from the wizard's step page."""

import re

import pytest

from app.domain.guides import GUIDES
from tests.integration.builders import Clients


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def test_the_index_lists_every_guide_and_the_footer_links_to_it(client):
    r = await client.get("/huong-dan")
    assert r.status_code == 200
    for g in GUIDES:
        assert f'href="/huong-dan/{g.slug}"' in r.text and g.title in r.text
    home = await client.get("/")
    assert re.search(r'<footer.*href="/huong-dan">Hướng dẫn sử dụng</a>', home.text, re.S)


async def test_a_guide_shows_every_step_with_a_lazy_sized_picture_that_says_the_step(client):
    for g in GUIDES:
        r = await client.get(f"/huong-dan/{g.slug}")
        assert r.status_code == 200
        images = re.findall(r"<img [^>]+>", r.text)
        assert len(images) == len(g.steps)
        for step, img in zip(g.steps, images, strict=True):
            assert 'loading="lazy"' in img and 'width="360"' in img and 'height="640"' in img
            assert f'alt="{step.alt}"' in img
            src = re.search(r'src="([^"]+)"', img).group(1)
            assert src.startswith("/static/guides/") and src.endswith(".webp")
            picture = await client.get(src)
            assert picture.status_code == 200 and picture.headers["content-type"] == "image/webp"
        assert len(r.content) < 12_000  # the page itself stays tiny; pictures load lazily


async def test_an_unknown_guide_is_a_404(client):
    r = await client.get("/huong-dan/khong-co")
    assert r.status_code == 404


async def test_the_wizard_step_page_links_to_the_submission_guide(clients):
    citizen = await clients.citizen()
    location = await citizen.start("1.001193")  # Đăng ký khai sinh
    step = await citizen.client.get(location)
    assert step.status_code == 200
    link = re.search(r'<a href="(/huong-dan/nop-ho-so[^"]*)"[^>]*>Hướng dẫn</a>', step.text)
    assert link and (await citizen.client.get(link.group(1).split("#")[0])).status_code == 200
