"""Public tracking (/tra-cuu): by code and second factor, or by the receipt's signed QR link."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from app.routes._guards import client_address
from app.routes._render import wants_fragment
from app.services import tracking
from app.services.tracking_links import is_valid_signature, signature

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "Vary": "HX-Request"}
NOT_FOUND = (
    "Không tìm thấy hồ sơ với mã và thông tin xác thực này. Vui lòng kiểm tra lại mã hồ sơ "
    "trên giấy tiếp nhận và 4 số cuối số điện thoại đã khai khi nộp hồ sơ."
)


def _page(context: dict, status_code: int = 200, fragment: bool = False) -> Template:
    name = "partials/tracking/status.html" if fragment else "pages/public/tracking.html"
    return Template(name, context=context, status_code=status_code, headers=PRIVATE)


class TrackingController(Controller):
    path = "/tra-cuu"

    @get("/", name="tracking.search")
    async def search(
        self,
        request: Request,
        code: Annotated[str, QueryParameter(name="ma", max_length=60)] = "",
        factor: Annotated[str, QueryParameter(name="xac_thuc", max_length=20)] = "",
    ) -> Template:
        context = {"ma": code, "dossier": None, "error": "", "link": ""}
        if not code and not factor:
            return _page(context)
        if not code.strip() or not factor.strip():
            context["error"] = "Vui lòng nhập cả mã hồ sơ và 4 số cuối số điện thoại."
            return _page(context, 422)
        try:
            found = await tracking.look_up(code, factor, client_address(request))
        except tracking.TooManyLookups as exc:
            minutes = max(1, -(-exc.retry_after // 60))
            context["error"] = f"Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
            return _page(context, 429)
        if found is None:
            context["error"] = NOT_FOUND
            return _page(context, 404)
        context.update(dossier=found, link=f"/tra-cuu/{found.code}/{signature(found.code)}")
        return _page(context)

    @get("/{code:str}/{sig:str}", name="tracking.signed")
    async def signed(self, request: Request, code: FromPath[str], sig: FromPath[str]) -> Template:
        if not is_valid_signature(code, sig):
            raise NotFoundException("Liên kết tra cứu không hợp lệ")
        found = await tracking.by_signed_link(code)
        if found is None:
            raise NotFoundException("Không tìm thấy hồ sơ")
        context = {"ma": code, "dossier": found, "error": "", "link": f"/tra-cuu/{code}/{sig}"}
        return _page(context, fragment=wants_fragment(request))
