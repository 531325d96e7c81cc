"""Delivery providers: SMTP e-mail, and SMS through a logging or an HTTP provider."""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid

import anyio

from app.services.outbox import Message, Sender
from app.settings import get_settings

log = logging.getLogger("motcua.providers")


def _send_email_sync(message: Message) -> None:
    s = get_settings()
    mail = EmailMessage()
    mail["From"] = s.mail_from
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    # The same Message-ID on every retry lets mail systems drop a duplicate.
    mail["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="motcua")
    mail.set_content(message.body)
    with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=20) as smtp:
        if s.smtp_starttls:
            smtp.starttls()
        if s.smtp_user:
            smtp.login(s.smtp_user, s.smtp_password)
        smtp.send_message(mail)


async def send_email(message: Message) -> None:
    await anyio.to_thread.run_sync(_send_email_sync, message)


async def send_sms_to_log(message: Message) -> None:
    log.info("SMS to %s: %s", message.recipient, message.body)


def _send_sms_http_sync(message: Message) -> None:
    settings = get_settings()
    url = settings.sms_url
    payload = json.dumps({"to": message.recipient, "text": message.body}).encode()
    request = urllib.request.Request(url, data=payload, method="POST")
    request.add_header("Content-Type", "application/json")
    token = settings.sms_token
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (configured URL)
        if response.status >= 300:
            raise RuntimeError(f"SMS provider answered {response.status}")


async def send_sms_http(message: Message) -> None:
    await anyio.to_thread.run_sync(_send_sms_http_sync, message)


async def send_email_to_log(message: Message) -> None:
    log.info("E-mail to %s: %s\n%s", message.recipient, message.subject, message.body)


def senders() -> dict[str, Sender]:
    """E-mail by SMTP when MOTCUA_SMTP_HOST is set; SMS over HTTP when MOTCUA_SMS_URL is set;
    otherwise each goes to the log (development and demo)."""
    email = send_email if get_settings().smtp_host else send_email_to_log
    sms = send_sms_http if get_settings().sms_url else send_sms_to_log
    return {"email": email, "sms": sms}
