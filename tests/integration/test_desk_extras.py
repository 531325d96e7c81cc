"""Priority marking and the official calendar overrides."""

import asyncio
import subprocess
import sys
from datetime import date

import pytest

from app.domain.calendar import add_working_days
from app.services import calendar as calendar_service
from tests.integration.builders import Clients, events_of, post, received_dossier

RECEPTIONIST = "tiepnhan.hoabinh"


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def test_a_receptionist_marks_an_online_dossier_priority_and_it_leads_the_queue(clients):
    _, dossier = await received_dossier(clients)
    receptionist = await clients.officer(RECEPTIONIST)
    r = await post(receptionist, f"/mot-cua/ho-so/{dossier.id}/uu-tien", {"uu_tien": "1"})
    assert r.status_code == 303
    assert "mark_priority" in [e["action"] for e in await events_of(dossier.id)]
    queue = await receptionist.get("/mot-cua", params={"hang": "dang-xu-ly"})
    first_row = queue.text.split('class="dossier-row')[1]
    assert "Ưu tiên" in first_row


def test_declared_working_saturday_and_extra_day_off_change_due_dates(demo_db):
    run = [sys.executable, "-m", "app.cli", "calendar-day"]
    saturday, monday = "2031-06-07", "2031-06-09"
    subprocess.run([*run, saturday, "--working", "--reason", "Làm bù"], check=True)
    subprocess.run([*run, monday, "--off", "--reason", "Nghỉ bù"], check=True)
    calendar_service.forget_calendar()
    cal = asyncio.run(calendar_service.working_calendar(date(2031, 6, 1)))
    assert cal.is_working_day(date(2031, 6, 7))
    assert not cal.is_working_day(date(2031, 6, 9))
    # Friday 6 June + 1 working day: the declared Saturday
    assert add_working_days(date(2031, 6, 6), 1, cal) == date(2031, 6, 7)
    assert add_working_days(date(2031, 6, 7), 1, cal) == date(2031, 6, 10)
