"""Attack family: forged X-Forwarded-For, over HTTP.

Behind a trusted proxy the forwarded address is the client: one address's wrong passwords lock
only that address out of the account, never the owner who logs in from elsewhere through the same
proxy. Without a trusted proxy the header is ignored: changing it on every guess does not escape
the limit, and it does not make the owner's address look guilty either."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient
from litestar.testing import transport as litestar_transport

from app.main import create_app
from app.services import accounts, login_limits, rate_limit
from app.settings import get_settings
from tests.integration.builders_notifications import CITIZEN_PASSWORD
from tests.integration.builders_payments import unique_phone
from tests.integration.helpers import CSRF_RE

PROXY = "10.20.30.40"
DIRECT = "203.0.113.90"
ATTACKER, OWNER = "198.51.100.21", "198.51.100.22"


class _FromPeer(litestar_transport.TestClientTransport):
    """The in-process transport with a real TCP peer address, as uvicorn reports it."""

    peer = DIRECT

    def parse_request(self, request):
        scope = super().parse_request(request)
        scope["client"] = (self.peer, 50_000)
        return scope


async def _browser(peer: str) -> AsyncTestClient:
    client = AsyncTestClient(app=create_app())
    transport = _FromPeer(client=client)
    transport.peer = peer
    client._transport = transport
    return client


async def _login(client: AsyncTestClient, phone: str, password: str, forwarded: str):
    headers = {"x-forwarded-for": forwarded}
    token = CSRF_RE.search((await client.get("/dang-nhap", headers=headers)).text).group(1)
    data = {"_csrf_token": token, "dinh_danh": phone, "mat_khau": password}
    return await client.post("/dang-nhap", data=data, headers=headers, follow_redirects=False)


@pytest.fixture
def trusted_proxy(monkeypatch) -> None:
    monkeypatch.setenv("MOTCUA_TRUSTED_PROXIES", PROXY)
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("MOTCUA_TRUSTED_PROXIES")
    get_settings.cache_clear()


@pytest.fixture
async def citizen(demo_db) -> AsyncIterator[tuple[str, int]]:
    phone = unique_phone()
    row = await accounts.register("Lê Thị Cổng", phone, CITIZEN_PASSWORD, CITIZEN_PASSWORD)
    yield phone, row.id
    for address in (PROXY, DIRECT, ATTACKER, OWNER):
        await rate_limit.reset(login_limits.PER_ADDRESS, address)
        await login_limits.succeeded(f"citizen:{row.id}", address)


async def test_behind_a_trusted_proxy_one_address_cannot_lock_out_another(trusted_proxy, citizen):
    phone, _ = citizen
    answers = []
    async with await _browser(PROXY) as attacker:
        for i in range(login_limits.TIERS[0].max_hits + 2):
            answers.append((await _login(attacker, phone, f"sai {i}", ATTACKER)).status_code)
        again = await _login(attacker, phone, CITIZEN_PASSWORD, ATTACKER)
    assert answers[: login_limits.TIERS[0].max_hits] == [401] * login_limits.TIERS[0].max_hits
    assert answers[-1] == 429 and again.status_code == 429
    async with await _browser(PROXY) as owner:
        mine = await _login(owner, phone, CITIZEN_PASSWORD, f"{OWNER}, {PROXY}")
    assert mine.status_code == 303
    assert "motcua_session" in mine.cookies


async def test_without_a_trusted_proxy_the_header_is_ignored(citizen):
    phone, _ = citizen
    statuses = []
    async with await _browser(DIRECT) as attacker:
        for i in range(login_limits.TIERS[0].max_hits + 2):
            forged = f"198.51.100.{100 + i}"  # a new address on every guess
            statuses.append((await _login(attacker, phone, f"sai {i}", forged)).status_code)
        right = await _login(attacker, phone, CITIZEN_PASSWORD, OWNER)
    assert statuses[-1] == 429, "a forged header must not reset the count"
    assert right.status_code == 429
    # The forged addresses were never counted: the owner's address is clean.
    async with await _browser(OWNER) as owner:
        mine = await _login(owner, phone, CITIZEN_PASSWORD, ATTACKER)
    assert mine.status_code == 303


async def test_a_trusted_proxy_forwarding_a_malformed_address_counts_as_the_proxy(
    trusted_proxy, citizen
):
    phone, _ = citizen
    async with await _browser(PROXY) as client:
        for i in range(login_limits.TIERS[0].max_hits):
            r = await _login(client, phone, f"sai {i}", "not-an-address")
            assert r.status_code == 401
        through_proxy = await _login(client, phone, CITIZEN_PASSWORD, "still, not, one")
    assert through_proxy.status_code == 429
