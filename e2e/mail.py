"""Journeys that need messages delivered: a local SMTP server, and a portal of their own whose
outbox worker sends to it (the default end-to-end portal sends nothing)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller

from e2e.support import free_port, live_portal

MAIL_TIMEOUT = 20.0


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def newest(
        self, recipient: str, subject_part: str, also: Callable[[EmailMessage], bool] | None = None
    ) -> EmailMessage:
        """The newest message to ``recipient`` whose subject contains ``subject_part`` (and that
        ``also`` accepts), waiting for the outbox worker to send it."""
        deadline = time.monotonic() + MAIL_TIMEOUT
        while time.monotonic() < deadline:
            found = [
                m
                for m in self.messages
                if m["To"] == recipient
                and subject_part in str(m["Subject"])
                and (also is None or also(m))
            ]
            if found:
                return found[-1]
            time.sleep(0.2)  # polling a mailbox, not waiting in the browser
        raise AssertionError(f"no message to {recipient} about {subject_part!r}")


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


@contextmanager
def smtp_inbox() -> Iterator[Inbox]:
    box = Inbox()
    server = Controller(box, hostname="127.0.0.1", port=free_port())
    server.start()
    box.port = server.port
    try:
        yield box
    finally:
        server.stop()


@contextmanager
def mailing_portal(inbox: Inbox, log_path: Path) -> Iterator[str]:
    """A live portal on the shared database that delivers its outbox to ``inbox``."""
    env = {
        **os.environ,
        "MOTCUA_SMTP_HOST": "127.0.0.1",
        "MOTCUA_SMTP_PORT": str(inbox.port),
        "MOTCUA_OUTBOX_WORKER": "1",
        "MOTCUA_OUTBOX_POLL_SECONDS": "0.5",
    }
    with live_portal(env, log_path) as url:
        yield url
