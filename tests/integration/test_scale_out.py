"""Two `motcua serve` processes over one database, as two machines behind a load balancer, driven
at once: sessions, the tracking limits, the desk's counters and the outbox behave as with one."""

import asyncio
import os
import time

import httpx

from app.models import DossierEvent, Outbox
from app.services import queue_index, tracking
from e2e.support import live_portal
from tests.integration.builders import DEMO_PASSWORD, Clients, post, token_of

DOSSIERS = 6


async def _officer(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=60)
    answer = await post(
        client,
        "/mot-cua/dang-nhap",
        {"ten_dang_nhap": "tiepnhan.hoabinh", "mat_khau": DEMO_PASSWORD},
    )
    assert answer.status_code == 303, answer.text[:300]
    return client


async def _sent(dossier_ids: list[int], deadline: float) -> list[dict]:
    while True:
        rows = await Outbox.select().where(Outbox.dossier.is_in(dossier_ids)).run()
        if rows and all(r["sent_at"] for r in rows) or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.2)  # the two servers' delivery loops work in the background


async def test_two_servers_share_sessions_limits_counters_and_outbox(demo_db, tmp_path):
    clients = Clients()
    try:
        applicant = await clients.citizen()
        dossiers = [await applicant.submit_dossier() for _ in range(DOSSIERS)]
    finally:
        await clients.aclose()
    env = {**os.environ, "MOTCUA_OUTBOX_WORKER": "1", "MOTCUA_OUTBOX_POLL_SECONDS": "0.3"}
    with live_portal(env, tmp_path / "a.log") as a, live_portal(env, tmp_path / "b.log") as b:
        # Sessions: logged in on A, the same cookies are logged in on B.
        on_a = await _officer(a)
        on_b = httpx.AsyncClient(base_url=b, timeout=60, cookies=on_a.cookies)
        assert (await on_b.get("/mot-cua", follow_redirects=False)).status_code == 200
        # Counters: every dossier received from both servers at the same moment, once.
        tokens = {id(c): await token_of(c) for c in (on_a, on_b)}
        presses = [
            client.post(
                f"/mot-cua/ho-so/{d.id}/xu-ly",
                data={"_csrf_token": tokens[id(client)], "action": "receive"},
                follow_redirects=False,
            )
            for d in dossiers
            for client in (on_a, on_b)
        ]
        answers = [r.status_code for r in await asyncio.gather(*presses)]
        assert set(answers) <= {303, 409, 422}, answers  # done, or "already received"
        assert answers.count(303) == DOSSIERS
        for d in dossiers:
            receives = await DossierEvent.count().where(
                (DossierEvent.dossier == d.id) & (DossierEvent.action == "receive")
            )
            assert receives == 1
        assert await queue_index.recount() == []
        assert await queue_index.rows_out_of_date() == 0
        # Limits: guesses of one code's factor sent to both servers at once.
        code = dossiers[0].code
        guesses = [
            httpx.AsyncClient(base_url=base, timeout=60).get(
                "/tra-cuu", params={"ma": code, "xac_thuc": f"{1000 + i}"}
            )
            for i, base in enumerate([a, b] * 12)
        ]
        statuses = [r.status_code for r in await asyncio.gather(*guesses)]
        limit = tracking.FACTORS_PER_CODE_AND_ADDRESS.max_hits
        assert set(statuses) <= {404, 429}
        assert statuses.count(404) <= limit + 1  # two processes: at most one extra comparison
        for base in (a, b):
            async with httpx.AsyncClient(base_url=base, timeout=60) as late:
                right = await late.get("/tra-cuu", params={"ma": code, "xac_thuc": "0111"})
            assert right.status_code == 429
        # Outbox: both servers deliver, each message once.
        rows = await _sent([d.id for d in dossiers], time.monotonic() + 30)
        assert rows and all(r["sent_at"] for r in rows)
        assert all(r["attempts"] == 1 for r in rows)
        await on_a.aclose()
        await on_b.aclose()
