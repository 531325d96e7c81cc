"""Public tracking: second factor, one answer for every mistake, rate limits, signed links."""

import logging

import pytest

from app.logs import RedactSecrets
from app.services import rate_limit, tracking
from app.services.tracking_links import signature, tracking_path
from tests.integration.builders_notifications import submitted_dossier


async def test_code_and_factor_show_the_dossier_without_personal_data(client):
    dossier = await submitted_dossier("0904000001", "track1@example.com")
    r = await client.get("/tra-cuu", params={"ma": dossier["code"], "xac_thuc": "0001"})
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "N. V. T." in r.text
    assert "Nguyễn Văn Thử" not in r.text
    assert "0904000001" not in r.text and "093095000123" not in r.text
    assert "Đã nộp, chờ tiếp nhận" in r.text
    assert 'hx-trigger="every 2s"' in r.text  # open dossiers poll (MOTCUA_TRACKING_POLL_SECONDS)
    assert "Cập nhật tình trạng" in r.text  # and offer a refresh link without JavaScript


async def test_a_wrong_code_and_a_wrong_factor_get_the_same_answer(client):
    dossier = await submitted_dossier("0904000002", "track2@example.com")
    code = dossier["code"]
    wrong_factor = await client.get("/tra-cuu", params={"ma": code, "xac_thuc": "9999"})
    unknown = code[:-4] + "9999"
    wrong_code = await client.get("/tra-cuu", params={"ma": unknown, "xac_thuc": "0002"})
    assert wrong_factor.status_code == wrong_code.status_code == 404
    strip = lambda html: html.replace(code, "").replace(unknown, "")  # noqa: E731
    assert strip(wrong_factor.text) == strip(wrong_code.text)


async def test_mistakes_are_rate_limited_per_address_and_right_answers_cost_nothing(demo_db):
    address = "198.51.100.9"
    dossier = await submitted_dossier("0904000003", "track3@example.com")
    code = dossier["code"]
    try:
        for _ in range(tracking.LOOKUP_PER_ADDRESS.max_hits + 5):  # right answers: no limit
            assert await tracking.look_up(code, "0003", address) is not None
        for i in range(tracking.LOOKUP_PER_ADDRESS.max_hits):  # wrong codes: each counted
            assert await tracking.look_up(code[:-4] + f"{9000 + i}", "0003", address) is None
        try:
            await tracking.look_up(code, "0003", address)
        except tracking.TooManyLookups as exc:
            assert exc.retry_after > 0
        else:
            raise AssertionError("the limit did not hold")
        assert await tracking.look_up(code, "0003", "198.51.100.10") is not None
    finally:
        await rate_limit.reset(tracking.LOOKUP_PER_ADDRESS, address)
        await rate_limit.reset(tracking.LOOKUP_PER_ADDRESS, "198.51.100.10")


async def test_a_right_look_up_writes_nothing_and_reads_twice(demo_db, monkeypatch):
    dossier = await submitted_dossier("0904000013", "track13@example.com")
    from app.db import DB

    statements: list[str] = []
    original = type(DB).run_querystring

    async def spy(engine, querystring, *args, **kwargs):
        statements.append(querystring.compile_string(engine_type=engine.engine_type)[0])
        return await original(engine, querystring, *args, **kwargs)

    monkeypatch.setattr(type(DB), "run_querystring", spy)
    assert await tracking.look_up(dossier["code"], "0013", "198.51.100.13") is not None
    assert len(statements) == 2  # the counters with the dossier, then its history
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements)
    statements.clear()
    assert await tracking.look_up(dossier["code"], "1300", "198.51.100.13") is None
    assert [s for s in statements if s.lstrip().upper().startswith("INSERT")]  # counted


async def test_guessing_one_code_locks_only_the_guessing_address(demo_db):
    dossier = await submitted_dossier("0904000004", "track4@example.com")
    code = dossier["code"]
    for i in range(tracking.FACTORS_PER_CODE_AND_ADDRESS.max_hits):
        assert await tracking.look_up(code, f"{9000 + i}", "192.0.2.1") is None
    with pytest.raises(tracking.TooManyLookups):
        await tracking.look_up(code, "0004", "192.0.2.1")  # even the right factor
    assert await tracking.look_up(code, "0004", "192.0.2.2") is not None  # the owner elsewhere


async def test_guessing_the_factor_of_one_code_is_stopped_from_any_address(demo_db):
    dossier = await submitted_dossier("0904000014", "track14@example.com")
    code = dossier["code"]
    for i in range(tracking.FACTORS_PER_CODE.max_hits):
        assert await tracking.look_up(code, f"{9000 + i % 900}", f"192.0.{i // 200}.{i}") is None
    with pytest.raises(tracking.TooManyLookups):
        await tracking.look_up(code, "0014", "192.0.9.200")  # even the right factor


async def test_signed_link_opens_its_own_dossier_only(client):
    first = await submitted_dossier("0904000005", "track5@example.com")
    second = await submitted_dossier("0904000006", "track6@example.com")
    ok = await client.get(tracking_path(first["code"]))
    assert ok.status_code == 200 and first["code"] in ok.text
    reused = await client.get(f"/tra-cuu/{second['code']}/{signature(first['code'])}")
    assert reused.status_code == 404
    forged = signature(first["code"])[:-1] + ("a" if signature(first["code"])[-1] != "a" else "b")
    assert (await client.get(f"/tra-cuu/{first['code']}/{forged}")).status_code == 404


async def test_polling_gets_only_the_status_fragment(client):
    dossier = await submitted_dossier("0904000007", "track7@example.com")
    r = await client.get(tracking_path(dossier["code"]), headers={"HX-Request": "true"})
    assert r.text.lstrip().startswith('<section id="tracking-status"')


def test_the_factor_never_reaches_the_access_log():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/tra-cuu?ma=000.00.32.H99-261122-0001&xac_thuc=1234", "1.1", 200),
        None,
    )
    RedactSecrets().filter(record)
    line = record.getMessage()
    assert "1234" not in line and "xac_thuc=***" in line


async def test_the_public_page_follows_a_supplement_from_request_to_supply(client):
    from app.domain import dossier_flow as flow
    from app.services import workflow
    from tests.integration.builders import officer_id

    dossier = await submitted_dossier("0904000077", "track77@example.com")
    agency = dossier["receiving_agency"]
    desk_id, expert_id = await officer_id("tiepnhan.hoabinh"), await officer_id("xuly.hoabinh")
    desk = workflow.Actor("officer", desk_id, flow.Role.RECEPTIONIST, agency)
    expert = workflow.Actor("officer", expert_id, flow.Role.SPECIALIST, agency)
    await workflow.transition(dossier["id"], flow.Action.RECEIVE, desk)
    await workflow.transition(
        dossier["id"], flow.Action.ASSIGN, desk, changes=workflow.Changes(officer_id=expert.id)
    )
    items = flow.missing_items("Bản sao hợp đồng thuê nhà; Giấy xác nhận của chủ nhà")
    await workflow.transition(
        dossier["id"],
        flow.Action.REQUEST_SUPPLEMENT,
        expert,
        note="Bản sao hợp đồng thuê nhà; Giấy xác nhận của chủ nhà",
        changes=workflow.Changes(missing_items=items),
    )
    query = {"ma": dossier["code"], "xac_thuc": "0077"}
    waiting = (await client.get("/tra-cuu", params=query)).text
    assert "<li>Bản sao hợp đồng thuê nhà</li>" in waiting
    assert "<li>Giấy xác nhận của chủ nhà</li>" in waiting
    assert "Đang tạm dừng" in waiting and "Ngày hẹn trả kết quả" not in waiting

    citizen = workflow.Actor("citizen", dossier["citizen"], flow.Role.CITIZEN)
    await workflow.transition(dossier["id"], flow.Action.SUPPLY, citizen)
    supplied = (await client.get("/tra-cuu", params=query)).text
    assert "Cơ quan đã nhận giấy tờ bổ sung" in supplied  # the timeline shows it arrived
    assert "Đang tạm dừng" not in supplied and "Ngày hẹn trả kết quả" in supplied


async def test_the_history_shown_is_the_dossiers_own_in_order_with_its_times(demo_db):
    from app.domain import dossier_flow as flow
    from app.models import DossierEvent
    from app.services import workflow
    from tests.integration.builders import officer_id

    dossier = await submitted_dossier("0904000031", "track31@example.com")
    agency = dossier["receiving_agency"]
    desk = workflow.Actor(
        "officer", await officer_id("tiepnhan.hoabinh"), flow.Role.RECEPTIONIST, agency
    )
    await workflow.transition(dossier["id"], flow.Action.RECEIVE, desk, note="Đã nhận đủ")
    found = await tracking.look_up(dossier["code"], "0031", "198.51.100.31")
    stored = (
        await DossierEvent.select(DossierEvent.at, DossierEvent.action, DossierEvent.note)
        .where(DossierEvent.dossier == dossier["id"])
        .order_by(DossierEvent.id)
    )
    public = [e for e in stored if e["action"] in tracking.PUBLIC_ACTIONS]
    assert len(public) >= 2, stored
    assert [(e["at"], e["action"], e["note"]) for e in found.events] == [
        (e["at"], e["action"], e["note"]) for e in public
    ]
    assert all(e["at"].tzinfo is not None for e in found.events)  # shown in local time
