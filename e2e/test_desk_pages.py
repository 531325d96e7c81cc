"""A long desk queue is read page by page: "Trang sau ›" shows the next 25 dossiers, none twice,
and "« Về trang đầu" goes back (keyset pages, with and without JavaScript)."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from e2e.journeys import DeskLoginPage
from e2e.support import run_async

pytestmark = pytest.mark.e2e
TAN_LAP = "000.00.31.H99"
DOSSIERS = 32


async def _result_ready_dossiers(count: int) -> None:
    """Dossiers of xã Tân Lập waiting for their result to be handed over, indexed as the
    transitions index them."""
    from app.domain.dossier_codes import new_reference
    from app.models import Agency, Dossier, Procedure
    from app.services import queue_index

    agency = (await Agency.select(Agency.id).where(Agency.code == TAN_LAP).first().run())["id"]
    procedure = (await Procedure.select(Procedure.id).first().run())["id"]
    for i in range(count):
        rows = await Dossier.insert(
            Dossier(
                reference=new_reference(secrets.randbelow),
                code=f"{TAN_LAP}-261201-{9000 + i:04d}-{secrets.token_hex(2)}"[:40],
                procedure=procedure,
                status="result_ready",
                receiving_agency=agency,
                current_agency=agency,
                resolving_agency=agency,
                applicant_name=f"Người thử trang {i}",
                applicant_search=f"nguoi thu trang {i}",
            )
        ).run()
        row = await Dossier.select().where(Dossier.id == rows[0]["id"]).first().run()
        await queue_index.record(None, row)


def test_a_long_queue_is_read_page_by_page(page, javascript: bool) -> None:
    run_async(_result_ready_dossiers(DOSSIERS))
    home = DeskLoginPage(page, javascript=javascript).open().log_in("tiepnhan.tanlap")
    home.open_queue("Chờ trả kết quả")
    rows = home.queue.locator(".dossier-row .code")
    pager = page.get_by_role("navigation", name="Phân trang")
    expect(rows).to_have_count(25)
    first = rows.all_inner_texts()
    expect(pager.get_by_role("link", name="« Về trang đầu")).to_have_count(0)
    pager.get_by_role("link", name="Trang sau ›").click()
    expect(page).to_have_url(re.compile(r"sau="))
    second = rows.all_inner_texts()
    assert 0 < len(second) <= 25 and not set(first) & set(second)
    total = int(re.search(r"\((\d+)\)", home.queue_heading.inner_text()).group(1))
    if total <= 50:
        expect(pager.get_by_role("link", name="Trang sau ›")).to_have_count(0)
        assert len(first) + len(second) == total
    pager.get_by_role("link", name="« Về trang đầu").click()
    expect(rows.first).to_have_text(first[0])
