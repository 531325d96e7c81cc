"""The figures the statistics read: satisfaction per agency, PAKN on time, and the share of
finished dossiers with a "không hài lòng" or a complaint. The database is shared by every test,
so each test compares the figures before and after what it does."""

import re
from datetime import timedelta

import pytest

from app.models import Agency
from app.services import feedback_figures as figures
from app.services import statistics, statistics_cache
from app.services.calendar import local_now
from tests.integration.builders import HOA_BINH, Clients, post
from tests.integration.builders_feedback import (
    LEADER,
    RECEPTIONIST,
    feedback_act,
    rating_link_of,
    returned_dossier,
    send_complaint,
)


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def _hoa_binh() -> int:
    return (await Agency.select(Agency.id).where(Agency.code == HOA_BINH).first().run())["id"]


def _period():
    today = local_now().date()
    return today, today + timedelta(days=1)


async def _satisfaction(agency: int) -> figures.Satisfaction:
    found = await figures.satisfaction(*_period(), agency_id=agency)
    return found[0] if found else figures.Satisfaction(agency, 0, 0, 0)


async def test_satisfaction_counts_each_level_per_agency(clients):
    agency = await _hoa_binh()
    before = await _satisfaction(agency)
    for level, comment in (("1", "Chờ lâu"), ("3", "")):
        _, dossier, _ = await returned_dossier(clients)
        link = await rating_link_of(dossier.id)
        data = {"muc_do": level, "de_su_dung": "2", "y_kien": comment}
        assert (await post(await clients.new(), link, data)).status_code == 303
    after = await _satisfaction(agency)
    assert after.dissatisfied == before.dissatisfied + 1
    assert after.very_satisfied == before.very_satisfied + 1
    assert after.total == before.total + 2
    assert 0 < after.satisfied_percent < 100
    others = await figures.satisfaction(*_period())
    assert sum(s.total for s in others) >= after.total


async def test_complaints_on_time_follow_the_answer_deadline(clients):
    agency = await _hoa_binh()
    start, end = _period()
    late_day = start + timedelta(days=60)  # far past 15 working days
    before_now = await figures.complaints_on_time(start, end, agency)
    before_late = await figures.complaints_on_time(start, end, agency, today=late_day)
    open_one = await send_complaint(await clients.new())
    answered = await send_complaint(await clients.new())
    desk = await clients.officer(RECEPTIONIST)
    await feedback_act(desk, answered["id"], "receive")
    await feedback_act(desk, answered["id"], "answer", ghi_chu="Đã trả lời", phan_loai="regulation")
    now = await figures.complaints_on_time(start, end, agency)
    late = await figures.complaints_on_time(start, end, agency, today=late_day)
    assert (now.total, now.on_time) == (before_now.total + 2, before_now.on_time + 2)
    # sixty days on, the open one is late and the one answered today is still on time
    assert (late.total, late.on_time) == (before_late.total + 2, before_late.on_time + 1)
    assert open_one["id"] != answered["id"]


async def _refresh_statistics() -> None:
    while await statistics.refresh(settle_seconds=0):
        pass


async def test_the_share_of_dossiers_with_dissatisfaction_or_a_complaint(clients):
    agency = await _hoa_binh()
    await _refresh_statistics()
    before = await figures.dissatisfied_share(*_period(), agency)
    before_all = await figures.dissatisfied_share(*_period(), [agency, agency + 10_000])
    _, unhappy, _ = await returned_dossier(clients)
    link = await rating_link_of(unhappy.id)
    await post(await clients.new(), link, {"muc_do": "1", "de_su_dung": "1", "y_kien": "Chậm"})
    applicant, complained, _ = await returned_dossier(clients)
    await send_complaint(applicant.client, ho_so=complained.code)
    await returned_dossier(clients)  # finished, neither
    await _refresh_statistics()
    after = await figures.dissatisfied_share(*_period(), agency)
    assert after.finished == before.finished + 3
    assert after.with_dissatisfaction_or_complaint == before.with_dissatisfaction_or_complaint + 2
    after_all = await figures.dissatisfied_share(*_period(), [agency, agency + 10_000])
    assert after_all.finished == before_all.finished + 3
    elsewhere = await figures.dissatisfied_share(*_period(), [agency + 10_000])
    assert (elsewhere.finished, elsewhere.with_dissatisfaction_or_complaint) == (0, 0)


def test_percentages_of_empty_periods_are_defined():
    assert figures.Satisfaction(1, 0, 0, 0).satisfied_percent == 0.0
    assert figures.OnTime(0, 0).percent == 100.0
    assert figures.Share(0, 0).percent == 0.0
    assert figures.Share(4, 1).percent == 25.0


def _row(html: str, heading: str) -> list[str]:
    """The cells of the table row whose header cell starts with ``heading``."""
    match = re.search(rf"<th scope=\"row\">{re.escape(heading)}[^<]*</th>(.*?)</tr>", html, re.S)
    assert match, heading
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", match[1])
    ]


async def test_the_public_statistics_and_the_self_assessment_show_the_voice(clients):
    agency = await _hoa_binh()
    today = local_now().date()
    query = f"?ky=thang&nam={today.year}&so={today.month}&co_quan={agency}"
    _, unhappy, _ = await returned_dossier(clients)
    link = await rating_link_of(unhappy.id)
    await post(await clients.new(), link, {"muc_do": "1", "de_su_dung": "1", "y_kien": "Chậm"})
    await _refresh_statistics()
    counted = await _satisfaction(agency)
    month_start = today.replace(day=1)
    flagged = await figures.flagged_dossiers(month_start, today + timedelta(days=1), [agency])
    statistics_cache.forget()  # ratings reach the page within cache_seconds(); now at once

    page = (await (await clients.new()).get(f"/thong-ke{query}")).text
    assert _row(page, "Ủy ban nhân dân phường Hòa Bình") == [
        str(counted.very_satisfied),
        str(counted.satisfied),
        str(counted.dissatisfied),
        f"{counted.satisfied_percent:.1f} %",
    ]
    share = _row(page, "Tỷ lệ hồ sơ bị đánh giá không hài lòng")
    assert share[1].startswith(f"{flagged} / ") and flagged >= 1
    assert _row(page, "Mức độ hài lòng của người dân")[0] != "chưa có dữ liệu"

    leader = await clients.officer(LEADER)
    assessment = (await leader.get(f"/mot-cua/bao-cao/tu-danh-gia{query}")).text
    assert _row(assessment, "5.2 Xử lý phản ánh")[1] != "chưa có dữ liệu"
    assert _row(assessment, "5.4 Hài lòng về giải quyết hồ sơ")[1] != "chưa có dữ liệu"
