"""A dossier's attachments, standard documents, fee receipts and notifications, for its officers."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.models import Officer
from app.routes._desk_pages import OFFICER, visible_dossier
from app.routes._render import dossier_attachment_response, pdf_response
from app.routes.payments import fee_receipt_response
from app.services import desk_documents, documents, outbox, pdf
from app.services.receipts import receipt_data


class DeskDocumentsController(Controller):
    """Attachments, standard documents and notifications of a dossier, for its officers."""

    path = "/mot-cua/ho-so/{dossier_id:int}"
    dependencies = OFFICER

    @get("/tep/{token:str}", name="desk.attachment")
    async def attachment(
        self, officer: NamedDependency[Officer], dossier_id: FromPath[int], token: FromPath[str]
    ) -> Response:
        await visible_dossier(officer, dossier_id)
        return await dossier_attachment_response(dossier_id, token)

    @get("/phieu/{kind:str}", name="desk.document")
    async def document(
        self,
        request: Request,
        officer: NamedDependency[Officer],
        dossier_id: FromPath[int],
        kind: FromPath[str],
    ) -> Response:
        view = await visible_dossier(officer, dossier_id)
        as_pdf = bool(request.query_params.get("pdf"))
        if kind == "giay-tiep-nhan" and view.code:
            return await _reception_receipt(view, as_pdf, f"{kind}-{view.code}.pdf")
        doc = await desk_documents.build(kind, view)
        if doc is None:
            raise NotFoundException("Hồ sơ chưa có phiếu này")
        if as_pdf:
            return await pdf_response(lambda: pdf.render(doc), f"{kind}-{view.code}.pdf")
        return Template("pages/documents/desk_document.html", context={"doc": doc})

    @get("/bien-lai/{payment_id:int}", name="desk.fee_receipt")
    async def fee_receipt(
        self,
        request: Request,
        officer: NamedDependency[Officer],
        dossier_id: FromPath[int],
        payment_id: FromPath[int],
    ) -> Response:
        await visible_dossier(officer, dossier_id)
        return await fee_receipt_response(request, dossier_id, payment_id)

    @post("/thong-bao/{message_id:int}/gui-lai", name="desk.resend")
    async def resend(
        self,
        officer: NamedDependency[Officer],
        dossier_id: FromPath[int],
        message_id: FromPath[int],
    ) -> Response:
        await visible_dossier(officer, dossier_id)
        await outbox.resend(message_id, f"dossier:{dossier_id}:")
        return Redirect(f"/mot-cua/ho-so/{dossier_id}#msg-heading", status_code=303)


async def _reception_receipt(view, as_pdf: bool, filename: str) -> Response:
    """The reception receipt (giấy tiếp nhận): its page, or its PDF."""
    data = await receipt_data(view.row, view.procedure["name"])
    if as_pdf:
        return await pdf_response(lambda: documents.receipt_pdf(data), filename)
    return Template(
        "pages/documents/receipt.html",
        context={"r": data, "qr": documents.qr_svg(data.tracking_url)},
    )
