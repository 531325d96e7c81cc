"""Online payment: the citizen's start, the gateway's return and IPN, and the sandbox gateway."""

from __future__ import annotations

import urllib.parse
import urllib.request

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.domain import vnpay
from app.models import Citizen
from app.routes._citizen_pages import CITIZEN, dossier_context, own_view
from app.routes._guards import client_address
from app.routes._render import pdf_response
from app.services import payments, payments_ipn, pdf
from app.services.calendar import local_now
from app.services.fee_receipts import fee_receipt_document, load_payment
from app.settings import get_settings

RETURN_PATH = "/thanh-toan/vnpay/tra-ve"
IPN_PATH = "/thanh-toan/vnpay/ipn"


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if isinstance(v, str)}


class CitizenPaymentController(Controller):
    path = "/ho-so/{reference:str}"
    dependencies = CITIZEN

    @get("/phi", name="citizen.fee")
    async def fee(self, citizen: NamedDependency[Citizen], reference: FromPath[str]) -> Template:
        view = await own_view(citizen, reference)
        context = {"dossier": view, **await payments.fee_context(view)}
        return Template("partials/dossier/fee.html", context=context)

    @post("/thanh-toan", name="citizen.pay")
    async def pay(
        self, request: Request, citizen: NamedDependency[Citizen], reference: FromPath[str]
    ) -> Response:
        view = await own_view(citizen, reference)
        return_url = get_settings().public_url + RETURN_PATH
        try:
            url = await payments.start_online_payment(view.row, client_address(request), return_url)
        except payments.PaymentRefused as exc:
            context = await dossier_context(view)
            context["fee_error"] = exc.message
            return Template("pages/citizen/dossier.html", context=context, status_code=422)
        return Redirect(url, status_code=303)

    @get("/bien-lai/{payment_id:int}", name="citizen.fee_receipt")
    async def fee_receipt(
        self,
        request: Request,
        citizen: NamedDependency[Citizen],
        reference: FromPath[str],
        payment_id: FromPath[int],
    ) -> Response:
        view = await own_view(citizen, reference)
        return await fee_receipt_response(request, view.id, payment_id)


async def fee_receipt_response(request: Request, dossier_id: int, payment_id: int) -> Response:
    payment = await load_payment(payment_id, dossier_id)
    if payment is None:
        raise NotFoundException("Không tìm thấy biên lai")
    doc = await fee_receipt_document(payment)
    if request.query_params.get("pdf"):
        number = payment["fee_receipt_number"]
        return await pdf_response(lambda: pdf.render(doc), f"bien-lai-{number}.pdf")
    return Template("pages/documents/desk_document.html", context={"doc": doc})


class GatewayController(Controller):
    """Where the payment gateway sends the browser back, and its server-to-server IPN."""

    path = "/thanh-toan/vnpay"

    @get("/tra-ve", name="payment.return")
    async def back(self, request: Request) -> Template:
        result = await payments_ipn.handle_return(_params(request), client_address(request))
        return Template(
            "pages/public/payment_result.html",
            context={"result": result},
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    @get("/ipn", name="payment.ipn")
    async def ipn(self, request: Request) -> Response[dict]:
        body = await payments_ipn.handle_ipn(_params(request), client_address(request))
        return Response(body, media_type="application/json")


def sandbox_only(connection, _handler) -> None:
    """The sandbox signs with the configured secret: it exists only while no real gateway is."""
    if get_settings().vnpay_url:
        raise NotFoundException("Không có trang này")


class SandboxGatewayController(Controller):
    """A gateway that speaks the VNPay payment-URL protocol, for the demo and the tests.

    It checks the request's signature, lets the payer choose an outcome, sends the signed IPN to
    the portal first (server to server), then sends the browser to the return URL.
    """

    path = "/sandbox/vnpay"
    guards = [sandbox_only]

    @get("/paymentv2/vpcpay.html", name="sandbox.pay")
    async def show(self, request: Request) -> Template:
        params = _params(request)
        valid = vnpay.verify(params, get_settings().vnpay_secret)
        amount = int(params.get("vnp_Amount", "0") or 0) // 100 if valid else 0
        return Template(
            "pages/public/sandbox_gateway.html",
            context={"params": params, "valid": valid, "amount": amount},
            status_code=200 if valid else 400,
        )

    @post("/xu-ly", name="sandbox.decide")
    async def decide(self, request: Request) -> Response:
        form = await request.form()
        params = {k: v for k, v in form.items() if k.startswith("vnp_") and isinstance(v, str)}
        secret = get_settings().vnpay_secret
        if not vnpay.verify(params, secret) or "vnp_ReturnUrl" not in params:
            raise ClientException("Yêu cầu thanh toán không hợp lệ hoặc đã bị sửa đổi.")
        code = str(form.get("ket_qua", "24"))
        if code not in vnpay.RESPONSE_MESSAGES:
            code = "99"
        callback = vnpay.gateway_callback_params(
            params,
            secret,
            response_code=code,
            transaction_no=str(14_000_000 + int(local_now().timestamp()) % 1_000_000),
            bank_code="NCB",
            pay_date=local_now(),
        )
        query = urllib.parse.urlencode(callback)
        ipn_url = get_settings().public_url + IPN_PATH + "?" + query
        await anyio.to_thread.run_sync(_call_ipn, ipn_url)
        return Redirect(params["vnp_ReturnUrl"] + "?" + query, status_code=303)


def _call_ipn(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own IPN URL)
        response.read()
