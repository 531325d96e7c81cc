"""Public pages: home, catalogue, procedure detail and form downloads."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from app.domain.search import tokens
from app.routes._render import pdf_response, render
from app.services import faq
from app.services.catalogue import Filters, get_catalogue
from app.services.form_pdf import form_pdf
from app.services.statistics_times import procedure_times

PAGE_CACHE = "public, max-age=60"


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class PublicController(Controller):
    path = "/"

    @get("/", name="public.home")
    async def home(self, request: Request) -> Template:
        catalogue = await get_catalogue()
        return Template(
            "pages/public/home.html",
            context={
                "catalogue": catalogue,
                "most_used": catalogue.most_used(6),
                "by_sector": catalogue.grouped_by_sector(),
                "by_level": catalogue.count_by_level(),
            },
        )

    @get("/thu-tuc", name="public.catalogue")
    async def catalogue(
        self,
        request: Request,
        q: Annotated[str, QueryParameter(name="q", max_length=200)] = "",
        sector: Annotated[str, QueryParameter(name="linh_vuc", max_length=60)] = "",
        level: Annotated[str, QueryParameter(name="cap", max_length=20)] = "",
        service_level: Annotated[str, QueryParameter(name="muc_do", max_length=2)] = "",
        fee: Annotated[str, QueryParameter(name="phi", max_length=4)] = "",
        page: Annotated[str, QueryParameter(name="trang", max_length=6)] = "1",
    ) -> Template:
        catalogue = await get_catalogue()
        filters = Filters(
            q=q.strip(),
            sector=sector,
            level=level,
            service_level=_int_or_none(service_level),
            fee=fee if fee in ("co", "mien") else "",
            page=_int_or_none(page) or 1,
        )
        result = catalogue.search(filters)
        return render(
            request,
            "pages/public/catalogue.html",
            "partials/catalogue/results.html",
            {
                "catalogue": catalogue,
                "filters": filters,
                "result": result,
                "faq_hits": await faq.search(filters.q) if filters.q else [],
            },
        )

    @get("/thu-tuc/{code:str}", name="public.procedure")
    async def procedure(self, request: Request, code: FromPath[str]) -> Response:
        catalogue = await get_catalogue()
        procedure = catalogue.get(code)
        if procedure is None:
            raise NotFoundException("Không tìm thấy thủ tục")
        if code != procedure.slug:
            # the old address by local id: a permanent redirect to the national code
            url = request.app.route_reverse("public.procedure", code=procedure.slug)
            return Redirect(url, status_code=301)
        return Template(
            "pages/public/procedure.html",
            context={
                "catalogue": catalogue,
                "procedure": procedure,
                "faq_items": await faq.for_procedure(procedure.code),
                "procedure_times": await procedure_times(procedure.id),
            },
        )

    @get("/thu-tuc/{code:str}/mau/{position:int}", name="public.form_download")
    async def form_download(self, code: FromPath[str], position: FromPath[int]) -> Response[bytes]:
        catalogue = await get_catalogue()
        procedure = catalogue.get(code)
        component = (
            next(
                (c for c in procedure.components if c["position"] == position and c["template"]),
                None,
            )
            if procedure
            else None
        )
        if component is None:
            raise NotFoundException("Không tìm thấy mẫu đơn")
        template = component["template"]
        slug = "-".join(tokens(template["tieu_de"]))[:80] or "mau-don"
        return await pdf_response(
            lambda: form_pdf(template, procedure.name, procedure.implementing_agency),
            f"{slug}.pdf",
            PAGE_CACHE,
        )
