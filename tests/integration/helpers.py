"""Small helpers for HTTP-level tests."""

import re

from litestar.testing import AsyncTestClient

from app.models import Dossier
from app.services import queue_index

CSRF_RE = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def csrf_token(client: AsyncTestClient, path: str = "/dang-nhap") -> str:
    page = await client.get(path)
    return CSRF_RE.search(page.text).group(1)


async def post_form(client: AsyncTestClient, path: str, data: dict, token_from: str = "/dang-nhap"):
    token = await csrf_token(client, token_from)
    return await client.post(path, data={"_csrf_token": token, **data}, follow_redirects=False)


CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/dang-ky/xac-nhan/\S+)")


async def messages_to(recipient: str) -> list[dict]:
    from app.models import Outbox

    query = Outbox.select(Outbox.id, Outbox.subject, Outbox.body)
    return await query.where(Outbox.recipient == recipient).order_by(Outbox.id).run()


async def confirmation_path(recipient: str, after_id: int = 0) -> str | None:
    """The confirmation link of the newest registration message to ``recipient`` queued after
    message ``after_id``, if any."""
    rows = [r for r in await messages_to(recipient) if r["id"] > after_id]
    found = [m.group(1) for m in (CONFIRM_PATH.search(r["body"]) for r in rows) if m]
    return found[-1] if found else None


async def register(client: AsyncTestClient, login: str, password: str = "cay tre xanh 2026"):
    """Register on /dang-ky and open the confirmation link sent to ``login``: the answer to
    the activation (303 to the profile, logged in), or the registration page's answer when
    the form was refused or no link was sent."""
    from app.domain.accounts import parse_identifier

    identifier = parse_identifier(login)
    before = await messages_to(identifier.value) if identifier else []
    answer = await post_form(
        client,
        "/dang-ky",
        {"ho_ten": "Trần Thị Bình", "dinh_danh": login, "mat_khau": password, "nhap_lai": password},
        token_from="/dang-ky",
    )
    last = before[-1]["id"] if before else 0
    path = await confirmation_path(identifier.value, last) if identifier else None
    if answer.status_code != 200 or path is None:
        return answer
    return await post_form(client, path, {}, token_from=path)


async def login(client: AsyncTestClient, login: str, password: str = "cay tre xanh 2026"):
    return await post_form(client, "/dang-nhap", {"dinh_danh": login, "mat_khau": password})


async def insert_dossier(dossier: Dossier) -> int:
    """A dossier written straight into the table, indexed as a transition would index it (the
    desk's visibility rows, counters and search row)."""
    rows = await Dossier.insert(dossier).run()
    row = await Dossier.select().where(Dossier.id == rows[0]["id"]).first().run()
    await queue_index.record(None, row)
    return row["id"]
