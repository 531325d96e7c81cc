"""The desk's home asks the database four times: who is asking (with the remembered view), the
queue's counts, its rows, and the heading (agency, officers, PAKN counts) — and the heading's one
statement gives what the separate look-ups give."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import DB
from app.models import DeskView, Feedback, Officer
from app.services import agencies, desk_heading, feedback_desk, officers
from app.services.calendar import local_now
from tests.integration.builders import Clients
from tests.integration.builders_feedback import send_complaint


@pytest.fixture
async def clients(demo_db):
    made = Clients()
    yield made
    await made.aclose()


async def _agency_of(username: str) -> int:
    row = await Officer.select(Officer.agency).where(Officer.username == username).first()
    return row["agency"]


async def _statements_of(client, path: str) -> list[str]:
    engine = type(DB)
    original, statements = engine.run_querystring, []

    async def counted(self, querystring, in_pool=True):
        sql = str(querystring)
        # The catalogue's version is checked by a background task once the snapshot is older
        # than its maximum age (every request in the tests), never by the request itself.
        if '"catalogue_state"' not in sql:
            statements.append(sql)
        return await original(self, querystring, in_pool=in_pool)

    await client.get(path)  # the catalogue snapshot and the calendar are built by then
    engine.run_querystring = counted
    try:
        response = await client.get(path)
    finally:
        engine.run_querystring = original
    assert response.status_code == 200
    return statements


async def test_the_heading_says_what_the_separate_look_ups_say(clients):
    visitor = await clients.new()
    soon, late = await send_complaint(visitor), await send_complaint(visitor)
    today = local_now().date()
    await (
        Feedback.update({Feedback.due_on: today - timedelta(days=3)})
        .where(Feedback.id == late["id"])
        .run()
    )
    agency = (await Feedback.select(Feedback.agency).where(Feedback.id == soon["id"]).first())[
        "agency"
    ]
    heading = await desk_heading.load(agency, today)
    assert heading.agency_name == await agencies.agency_name(agency)
    assert heading.colleagues == await officers.colleagues(agency)
    assert heading.feedback_due == await feedback_desk.due_counts(agency, today)
    assert heading.feedback_due["qua-han"] >= 1 and heading.feedback_due["sap-den-han"] >= 1
    assert await desk_heading.load(10**9, today) == desk_heading.Heading()


async def test_the_desk_home_costs_four_statements_and_a_remembered_view_none_more(clients):
    desk = await clients.officer("tiepnhan.hoabinh")
    officer = await Officer.select(Officer.id).where(Officer.username == "tiepnhan.hoabinh").first()
    await DeskView.delete().where(DeskView.officer == officer["id"])  # the role's own tab
    for path in ("/mot-cua", "/mot-cua?hang=qua-han", "/mot-cua?hang=dang-xu-ly"):
        statements = await _statements_of(desk, path)
        assert len(statements) == 4, "\n".join(" ".join(s.split())[:160] for s in statements)
    query = "hang=dang-xu-ly&sap_xep=han"
    typed = len(await _statements_of(desk, f"/mot-cua?{query}"))  # remembers it, once
    try:
        assert len(await _statements_of(desk, "/mot-cua")) == typed  # restored with the account
        page = await desk.get("/mot-cua")
        assert "Đang hiển thị bộ lọc bạn dùng lần trước." in page.text
    finally:
        await DeskView.delete().where(DeskView.officer == officer["id"])
