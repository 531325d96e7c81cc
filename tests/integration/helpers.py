"""Small helpers for HTTP-level tests."""

import re

from litestar.testing import AsyncTestClient

CSRF_RE = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def csrf_token(client: AsyncTestClient, path: str = "/dang-nhap") -> str:
    page = await client.get(path)
    return CSRF_RE.search(page.text).group(1)


async def post_form(client: AsyncTestClient, path: str, data: dict, token_from: str = "/dang-nhap"):
    token = await csrf_token(client, token_from)
    return await client.post(path, data={"_csrf_token": token, **data}, follow_redirects=False)


async def register(client: AsyncTestClient, login: str, password: str = "cay tre xanh 2026"):
    return await post_form(
        client,
        "/dang-ky",
        {"ho_ten": "Trần Thị Bình", "dinh_danh": login, "mat_khau": password, "nhap_lai": password},
        token_from="/dang-ky",
    )


async def login(client: AsyncTestClient, login: str, password: str = "cay tre xanh 2026"):
    return await post_form(client, "/dang-nhap", {"dinh_danh": login, "mat_khau": password})
