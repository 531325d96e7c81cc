"""Builders for integration tests: citizens and officers driving the app over HTTP.

Dossiers are only ever created by replaying what people do: a citizen walks the wizard and
submits, a receptionist receives at the desk. Nothing here writes a status.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import re
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient, TestClient
from PIL import Image

from app.domain import dossier_flow as flow
from app.main import create_app
from app.models import Attachment, Dossier, DossierEvent, Officer, Outbox
from tests.integration.helpers import CSRF_RE, register

DEMO_PASSWORD = "motcua-demo-2026"
CITIZEN_PASSWORD = "cay tre xanh 2026"

HOA_BINH = "000.00.32.H99"  # UBND phường Hòa Bình
TAN_LAP = "000.00.31.H99"  # UBND xã Tân Lập
PROVINCE_CENTRE = "000.00.01.H99"  # Trung tâm Phục vụ hành chính công tỉnh
PROVINCE = "000.00.00.H99"  # UBND tỉnh (the administrator's agency)

TEMPORARY_RESIDENCE = "P19"  # Đăng ký tạm trú: no "bieu_mau", the generic form is used
MARITAL_STATUS = "P04"  # Cấp Giấy xác nhận tình trạng hôn nhân: a real form

CITIZEN_ID = "093095000123"  # Hậu Giang, male, born 1995
TOKEN_PAGE = "/mot-cua/dang-nhap"  # has a form (so a CSRF token) for anybody, logged in or not

_serial = itertools.count(1)


def next_serial() -> int:
    """A number unique in this test session (the database is shared by every test)."""
    return next(_serial)


def jpeg_bytes() -> bytes:
    """A small but real JPEG image, the same bytes every time."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 40, 40)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


# A Windows executable ("MZ" header) renamed to look like a photo.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def generic_answers(agency: str = HOA_BINH, name: str = "Trần Thị Bình") -> dict[str, dict]:
    """Answers for a procedure that uses the generic form (e.g. P19), by step."""
    return {
        "noi_nop": {"co_quan": agency},
        "nguoi_nop": {
            "ho_ten": name,
            "so_dinh_danh": CITIZEN_ID,
            "dien_thoai": "0912 000 111",
            "thu_dien_tu": "",
            "dia_chi": "Số 12 đường Lý Thường Kiệt, phường Hòa Bình, tỉnh Hòa An",
        },
        "noi_dung": {"noi_dung": "Đăng ký tạm trú tại nhà người thân."},
        "giay_to": {},
        "giao_ket_qua": {"cach_nhan": "desk", "dia_chi_nhan": ""},
    }


def generic_files() -> dict[str, dict[str, tuple[str, bytes, str]]]:
    """The required declaration (component 0) of the generic form, as a photo."""
    return {"giay_to": {"tp_0": ("to-khai.jpg", jpeg_bytes(), "image/jpeg")}}


def marital_status_answers(agency: str = HOA_BINH) -> dict[str, dict]:
    """Answers for P04, whose form is published in the catalogue."""
    address = "Ấp Tân Lập, xã Tân Lập, tỉnh Hòa An"
    return {
        "noi_nop": {"co_quan": agency},
        "nguoi_yeu_cau": {
            "ho_ten": "Nguyễn Văn An",
            "so_dinh_danh": CITIZEN_ID,
            "noi_cu_tru": address,
            "dien_thoai": "0912345678",
            "thu_dien_tu": "",
            "quan_he": "ban_than",
        },
        "nguoi_duoc_cap": {
            "dc_ho_ten": "Nguyễn Văn An",
            "dc_ngay_sinh": "12/04/1995",
            "dc_gioi_tinh": "nam",
            "dc_dan_toc": "Kinh",
            "dc_quoc_tich": "Việt Nam",
            "dc_so_dinh_danh": CITIZEN_ID,
            "dc_noi_cu_tru": address,
        },
        "tinh_trang_hon_nhan": {
            "tinh_trang": "chua_ket_hon",
            "thoi_gian_cu_tru": "",
            "muc_dich": "Để đăng ký kết hôn",
            "nguoi_du_dinh_ket_hon": "Lê Thị Hoa",
            "noi_du_dinh_ket_hon": "UBND xã Tân Lập",
        },
        "giay_to": {},
        "giao_ket_qua": {"cach_nhan": "desk", "dia_chi_nhan": ""},
    }


class Clients:
    """Fresh browsers (one app and cookie jar each), closed together at the end of a test."""

    def __init__(self) -> None:
        self._stack = AsyncExitStack()

    async def new(self) -> AsyncTestClient:
        return await self._stack.enter_async_context(AsyncTestClient(app=create_app()))

    async def citizen(self) -> Applicant:
        return await Applicant.register(await self.new())

    async def officer(self, username: str) -> AsyncTestClient:
        client = await self.new()
        response = await post(
            client, "/mot-cua/dang-nhap", {"ten_dang_nhap": username, "mat_khau": DEMO_PASSWORD}
        )
        assert response.status_code == 303, f"{username} could not log in"
        return client

    async def aclose(self) -> None:
        await self._stack.aclose()


async def token_of(client: AsyncTestClient, page: str = TOKEN_PAGE) -> str:
    return CSRF_RE.search((await client.get(page)).text).group(1)


async def post(client: AsyncTestClient, path: str, data: dict[str, Any], files=None):
    """A form POST with a valid CSRF token, not following the redirect."""
    token = await token_of(client)
    return await client.post(
        path, data={"_csrf_token": token, **data}, files=files, follow_redirects=False
    )


@dataclass(frozen=True)
class Submitted:
    reference: str
    id: int
    code: str


class Applicant:
    """A citizen with an account, logged in, using the portal in their own browser."""

    def __init__(self, client: AsyncTestClient, email: str) -> None:
        self.client = client
        self.email = email

    @classmethod
    async def register(cls, client: AsyncTestClient) -> Applicant:
        email = f"cong.dan.{next_serial()}@example.com"  # e-mail: notifications reach the outbox
        response = await register(client, email, CITIZEN_PASSWORD)
        assert response.status_code == 303, response.text
        return cls(client, email)

    async def start(self, procedure: str) -> str:
        """Start (or resume) a draft with the procedure page's button; returns the URL of the
        step it lands on."""
        response = await post(self.client, f"/thu-tuc/{procedure}/nop-ho-so", {})
        assert response.status_code == 303, response.text
        return response.headers["location"]

    async def save_step(
        self,
        reference: str,
        step: str,
        values: dict[str, str],
        files: dict[str, tuple[str, bytes, str]] | None = None,
        leave: bool = False,
    ):
        """POST one step as the browser does: multipart, with the CSRF token of the step page."""
        path = f"/ho-so/{reference}/buoc/{step}"
        token = await token_of(self.client, path)
        data = {"_csrf_token": token, **values, ("thoat" if leave else "tiep"): "1"}
        # an empty file part keeps the body multipart even when nothing is attached
        parts = files or {"_": ("", b"", "application/octet-stream")}
        return await self.client.post(path, data=data, files=parts, follow_redirects=False)

    async def fill(
        self,
        procedure: str,
        answers: dict[str, dict[str, str]],
        files: dict[str, dict[str, tuple[str, bytes, str]]] | None = None,
    ) -> str:
        """Walk every step the wizard leads to, until the review page; returns the reference."""
        files = files or {}
        location = await self.start(procedure)
        reference = reference_in(location)
        for _ in range(20):
            if location.endswith("/kiem-tra"):
                return reference
            step = location.rsplit("/", 1)[1]
            response = await self.save_step(reference, step, answers[step], files.get(step))
            assert response.status_code == 303, f"step {step}: {response.status_code}"
            location = response.headers["location"]
        raise AssertionError("the wizard never reached the review page")

    async def submit(self, reference: str, declare: bool = True):
        data = {"cam_doan": "1"} if declare else {}
        token = await token_of(self.client, f"/ho-so/{reference}/kiem-tra")
        return await self.client.post(
            f"/ho-so/{reference}/nop",
            data={"_csrf_token": token, **data},
            follow_redirects=False,
        )

    async def supply(self, reference: str, note: str = ""):
        """Send the documents the agency asked for, from the dossier page."""
        token = await token_of(self.client, f"/ho-so/{reference}")
        return await self.client.post(
            f"/ho-so/{reference}/bo-sung",
            data={"_csrf_token": token, "ghi_chu": note},
            files={"tep": ("bo-sung.jpg", jpeg_bytes(), "image/jpeg")},
            follow_redirects=False,
        )

    async def submit_dossier(
        self, procedure: str = TEMPORARY_RESIDENCE, agency: str = HOA_BINH
    ) -> Submitted:
        """A complete dossier, filled in and submitted online to ``agency``."""
        if procedure == TEMPORARY_RESIDENCE:
            reference = await self.fill(procedure, generic_answers(agency), generic_files())
        else:
            reference = await self.fill(procedure, marital_status_answers(agency))
        response = await self.submit(reference)
        assert response.status_code == 303, response.text
        row = await dossier_row(reference)
        return Submitted(reference, row["id"], row["code"])


def reference_in(url: str) -> str:
    return re.search(r"/ho-so/([^/?]+)", url).group(1)


async def dossier_row(reference: str) -> dict[str, Any]:
    return (
        await Dossier.select()
        .where(Dossier.reference == reference)
        .output(load_json=True)
        .first()
        .run()
    )


async def dossier_by_id(dossier_id: int) -> dict[str, Any]:
    return (
        await Dossier.select().where(Dossier.id == dossier_id).output(load_json=True).first().run()
    )


async def events_of(dossier_id: int) -> list[dict[str, Any]]:
    return (
        await DossierEvent.select()
        .where(DossierEvent.dossier == dossier_id)
        .order_by(DossierEvent.id)
        .output(load_json=True)
        .run()
    )


async def attachments_of(dossier_id: int) -> list[dict[str, Any]]:
    return await Attachment.select().where(Attachment.dossier == dossier_id).run()


async def outbox_of(dossier_id: int) -> list[dict[str, Any]]:
    return (
        await Outbox.select()
        .where(Outbox.dedupe_key.like(f"dossier:{dossier_id}:%"))
        .order_by(Outbox.id)
        .run()
    )


async def officer_id(username: str) -> int:
    row = await Officer.select(Officer.id).where(Officer.username == username).first().run()
    return row["id"]


async def desk_act(client: AsyncTestClient, dossier_id: int, action: str, **fields: str):
    """An officer presses an action button on the desk's dossier page, ticking the confirmation
    box of a destructive one as the page asks (``xac_nhan=""`` leaves it unticked)."""
    if action in {a.value for a in flow.DESTRUCTIVE_ACTIONS}:
        fields = {"xac_nhan": "1", **fields}
    return await post(client, f"/mot-cua/ho-so/{dossier_id}/xu-ly", {"action": action, **fields})


async def received_dossier(clients: Clients, procedure: str = TEMPORARY_RESIDENCE):
    """A dossier submitted online to Hòa Bình and received there by its receptionist."""
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier(procedure, HOA_BINH)
    desk = await clients.officer("tiepnhan.hoabinh")
    response = await desk_act(desk, dossier.id, "receive")
    assert response.status_code == 303, response.text
    return applicant, dossier


async def simultaneously(posts: list[tuple[AsyncTestClient, str, dict[str, str]]]) -> list:
    """Send form POSTs at the same moment, each from its own browser thread.

    ``AsyncTestClient`` runs one request at a time (its transport blocks the event loop), so
    truly concurrent requests need one synchronous client per thread, each with its own app
    loop. Each copies the cookies (session and CSRF) of the browser it stands in for.
    """
    with ExitStack() as stack:
        threads = []
        for client, path, data in posts:
            token = await token_of(client)  # first: it may set the CSRF cookie
            twin = stack.enter_context(TestClient(app=create_app()))
            for name, value in client.cookies.items():
                twin.cookies.set(name, value)
            threads.append((twin, path, {"_csrf_token": token, **data}))
        return await asyncio.gather(
            *(
                asyncio.to_thread(twin.post, path, data=data, follow_redirects=False)
                for twin, path, data in threads
            )
        )
