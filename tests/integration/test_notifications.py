"""Notifications through the outbox, delivered to a real local SMTP server."""

import dataclasses
import socket
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from app.domain import dossier_flow as flow
from app.models import Citizen, Dossier, Outbox
from app.services import outbox, providers, workflow
from app.services.officers import officer_roles
from app.settings import get_settings
from tests.integration.builders_notifications import submitted_dossier


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalSmtp:
    """A real SMTP server on loopback that can be stopped and started again."""

    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.server: Controller | None = None

    def start(self) -> None:
        self.server = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture
def smtp(monkeypatch):
    port = _free_port()
    settings = dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=port)
    monkeypatch.setattr(providers, "get_settings", lambda: settings)
    server = LocalSmtp(port)
    server.start()
    yield server.inbox, server
    server.stop()


async def _deliver_all(now=None) -> int:
    total = 0
    while sent := await outbox.deliver_due(providers.senders(), now=now):
        total += sent
    return total


def _for(inbox: Inbox, code: str) -> list:
    return [m for m in inbox.messages if code in m["Subject"]]


async def _officer_actor(username: str) -> workflow.Actor:
    from app.models import Officer

    officer = await Officer.objects().where(Officer.username == username).first().run()
    role = sorted(officer_roles(officer))[0]
    return workflow.Actor("officer", officer.id, role, officer.agency)


async def test_every_citizen_relevant_transition_sends_exactly_one_message(demo_db, smtp):
    inbox, _ = smtp
    dossier = await submitted_dossier("0903000001", "notify1@example.com")
    receptionist = await _officer_actor("tiepnhan.hoabinh")
    await workflow.transition(dossier["id"], flow.Action.RECEIVE, receptionist)
    await _deliver_all()
    code = dossier["code"]
    subjects = _for(inbox, code)
    assert len(subjects) == 2  # submitted + received
    bodies = [m.get_content() for m in subjects]
    assert "đã được nộp trực tuyến" in bodies[0]
    assert "đã được tiếp nhận" in bodies[1]
    assert f"/tra-cuu/{code}/" in bodies[1]
    # the subject says what happened
    assert subjects[0]["Subject"] == f"[Dịch vụ công] Đã nộp hồ sơ {code}"
    assert subjects[1]["Subject"] == f"[Dịch vụ công] Đã tiếp nhận hồ sơ {code}"
    await _deliver_all()  # a second round sends nothing again
    assert len(_for(inbox, code)) == 2


async def test_messages_wait_while_smtp_is_down_and_go_out_once_it_is_back(demo_db, smtp):
    inbox, server = smtp
    server.stop()
    dossier = await submitted_dossier("0903000002", "notify2@example.com")
    receptionist = await _officer_actor("tiepnhan.hoabinh")
    await workflow.transition(dossier["id"], flow.Action.RECEIVE, receptionist)
    assert await _deliver_all() == 0
    pending = await Outbox.select().where(Outbox.recipient == "notify2@example.com").run()
    assert len(pending) == 2
    assert all(r["sent_at"] is None and r["attempts"] == 1 and r["last_error"] for r in pending)
    server.start()
    later = max(r["next_attempt_at"] for r in pending)
    assert await _deliver_all(now=later) == 2
    assert await _deliver_all(now=later) == 0
    assert len(_for(inbox, dossier["code"])) == 2


async def test_the_citizen_chooses_channels(demo_db, smtp):
    inbox, _ = smtp
    dossier = await submitted_dossier("0903000003", "notify3@example.com")
    await (
        Citizen.update({Citizen.notify_email: False, Citizen.notify_sms: True})
        .where(Citizen.id == dossier["citizen"])
        .run()
    )
    receptionist = await _officer_actor("tiepnhan.hoabinh")
    await workflow.transition(dossier["id"], flow.Action.RECEIVE, receptionist)
    rows = (
        await Outbox.select(Outbox.channel, Outbox.recipient)
        .where(Outbox.dedupe_key.like(f"dossier:{dossier['id']}:receive:%"))
        .run()
    )
    assert rows == [{"channel": "sms", "recipient": "0903000003"}]


async def test_an_officer_can_resend_a_message(demo_db, smtp):
    inbox, _ = smtp
    dossier = await submitted_dossier("0903000004", "notify4@example.com")
    await _deliver_all()
    first = await Outbox.select().where(Outbox.recipient == "notify4@example.com").first().run()
    assert await outbox.resend(first["id"], f"dossier:{dossier['id']}:")
    assert not await outbox.resend(first["id"], "dossier:999999:")  # not this dossier's
    await _deliver_all()
    assert len(_for(inbox, dossier["code"])) == 2
    assert await Dossier.exists().where(Dossier.id == dossier["id"]).run()


def test_every_message_has_a_subject_that_names_the_dossier():
    from app.services.notifications import MESSAGES, SUBJECTS

    assert set(SUBJECTS) == set(MESSAGES)
    assert all("{code}" in subject for subject in SUBJECTS.values())


async def test_a_message_is_queued_once_per_key_even_when_asked_at_once(demo_db):
    import asyncio
    import secrets

    key = f"test:{secrets.token_hex(6)}"

    async def ask() -> bool:
        return await outbox.enqueue("email", "a@example.com", "Chủ đề", "Nội dung", key)

    answers = await asyncio.gather(*(ask() for _ in range(10)))
    assert sorted(answers) == [False] * 9 + [True]
    assert await ask() is False
    assert await Outbox.count().where(Outbox.dedupe_key == key) == 1
