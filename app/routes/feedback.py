"""Citizen voice, public side: the PAKN form (/phan-anh), tracking by code, the public list of
published answers with its votes, and the signed rating page of a finished dossier (/danh-gia)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from app.domain import feedback_flow as ff
from app.domain import feedback_form
from app.domain import ratings as rt
from app.models import Citizen
from app.routes._guards import client_address
from app.routes._render import form_values, redirect_to
from app.services import feedback, feedback_steps, ratings
from app.services.files import UploadRefused, store_upload

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
READER_COOKIE = "motcua_reader"
NOT_FOUND = (
    "Không tìm thấy phản ánh với mã và thông tin xác thực này. Vui lòng kiểm tra lại mã phản ánh "
    "và 4 số cuối số điện thoại đã khai khi gửi."
)
LABELS = {
    "status_labels": ff.STATUS_LABELS,
    "kind_labels": ff.KIND_LABELS,
    "category_labels": ff.CATEGORY_LABELS,
}


def _citizen(request: Request) -> Citizen | None:
    account = getattr(request.state, "account", None)
    return account if isinstance(account, Citizen) else None


async def _form_page(request: Request, values: dict, errors: dict, status: int = 200) -> Template:
    citizen = _citizen(request)
    if citizen is not None and not values:
        values = {"ho_ten": citizen.full_name, "dien_thoai": citizen.phone or ""}
        values["thu_dien_tu"] = citizen.email or ""
    return Template(
        "pages/feedback/form.html",
        context={
            **LABELS,
            "values": values,
            "errors": errors,
            "agencies": await feedback.agency_choices(),
            "kinds": list(ff.Kind),
            "answer_days": feedback_steps.rules().answer_days,
        },
        status_code=status,
    )


async def _uploads(form: Any) -> tuple[list, str]:
    files = [v for k, v in form.multi_items() if k == "tep" and isinstance(v, UploadFile)]
    files = [f for f in files if f.filename]
    if len(files) > feedback_form.MAX_ATTACHMENTS:
        return [], f"Chỉ gửi được tối đa {feedback_form.MAX_ATTACHMENTS} tệp."
    stored = []
    for upload in files:
        try:
            stored.append((upload, await store_upload(upload)))
        except UploadRefused as exc:
            return [], f"{upload.filename}: {exc.message}"
    return stored, ""


class FeedbackController(Controller):
    path = "/phan-anh"

    @get("/", name="feedback.form")
    async def form(
        self,
        request: Request,
        procedure: Annotated[str, QueryParameter(name="thu_tuc", max_length=40)] = "",
        dossier: Annotated[str, QueryParameter(name="ho_so", max_length=40)] = "",
    ) -> Template:
        values = {"thu_tuc": procedure, "ho_so": dossier} if procedure or dossier else {}
        return await _form_page(request, values, {})

    @post("/", name="feedback.submit", request_max_body_size=40 * 1024 * 1024)
    async def submit(self, request: Request) -> Response:
        form = await request.form()
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        codes = {a["code"] for a in await feedback.agency_choices()}
        data, errors = feedback_form.parse(values, codes)
        stored: list = []
        if data is not None:
            stored, problem = await _uploads(form)
            if problem:
                errors = {"tep": problem}
        if errors:
            return await _form_page(request, values, errors, 422)
        citizen = _citizen(request)
        row = await feedback.submit(data, stored, citizen.id if citizen else None)
        return redirect_to(request, "feedback.sent", code=row["code"])

    @get("/da-gui/{code:str}", name="feedback.sent")
    async def sent(self, code: FromPath[str]) -> Template:
        return Template("pages/feedback/sent.html", context={"code": code[:20]}, headers=PRIVATE)

    @get("/tra-cuu", name="feedback.track")
    async def track(
        self,
        request: Request,
        code: Annotated[str, QueryParameter(name="ma", max_length=40)] = "",
        factor: Annotated[str, QueryParameter(name="xac_thuc", max_length=20)] = "",
    ) -> Template:
        context: dict[str, Any] = {**LABELS, "ma": code, "view": None, "error": ""}
        if not factor:
            return Template("pages/feedback/track.html", context=context, headers=PRIVATE)
        status, context["view"], context["error"] = await _look_up(request, code, factor)
        context["xac_thuc"] = factor
        return Template(
            "pages/feedback/track.html", context=context, status_code=status, headers=PRIVATE
        )

    @post("/tra-cuu", name="feedback.supply")
    async def supply(self, request: Request) -> Response:
        form = await form_values(request)
        code, factor = form.get("ma", "")[:40], form.get("xac_thuc", "")[:20]
        context: dict[str, Any] = {**LABELS, "ma": code, "xac_thuc": factor, "error": ""}
        try:
            view = await feedback.supply(
                code, factor, form.get("noi_dung", "")[:5000], client_address(request)
            )
        except feedback.TooManyLookups:
            view, context["error"] = None, "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau."
        except ff.Refused as exc:
            _, view, _ = await _look_up(request, code, factor)
            context.update(view=view, supply_error=exc.reason, values=form)
            return Template("pages/feedback/track.html", context=context, status_code=422)
        if view is None:
            context.update(view=None, error=context["error"] or NOT_FOUND)
            return Template("pages/feedback/track.html", context=context, status_code=404)
        return Template("pages/feedback/track.html", context={**context, "view": view})

    @get("/cong-khai", name="feedback.published")
    async def published(
        self,
        request: Request,
        q: Annotated[str, QueryParameter(name="q", max_length=100)] = "",
        page: Annotated[int, QueryParameter(name="trang", ge=1, le=1000)] = 1,
    ) -> Template:
        rows = await feedback.published(q, page)
        response = Template(
            "pages/feedback/published.html",
            context={**LABELS, "rows": rows, "q": q, "page": page},
        )
        return _with_reader(request, response)

    @post("/cong-khai/{feedback_id:int}/binh-chon", name="feedback.vote")
    async def vote(self, request: Request, feedback_id: FromPath[int]) -> Response:
        form = await form_values(request)
        reader = request.cookies.get(READER_COOKIE) or secrets.token_urlsafe(16)
        await feedback.vote(feedback_id, reader, form.get("huu_ich") == "1")
        response = redirect_to(request, "feedback.published", fragment=f"pakn-{feedback_id}")
        return _with_reader(request, response, reader)


def _with_reader(request: Request, response: Response, reader: str = "") -> Response:
    if not request.cookies.get(READER_COOKIE):
        value = reader or secrets.token_urlsafe(16)
        response.cookies.append(
            Cookie(
                key=READER_COOKIE, value=value, max_age=365 * 86400, httponly=True, samesite="lax"
            )
        )
    return response


async def _look_up(request: Request, code: str, factor: str):
    try:
        view = await feedback.look_up(code, factor, client_address(request))
    except feedback.TooManyLookups as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        return 429, None, f"Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
    if view is None:
        return 404, None, NOT_FOUND
    return 200, view, ""


class RatingController(Controller):
    """The signed link from the result message: no login, one dossier."""

    path = "/danh-gia/{code:str}/{sig:str}"

    async def _dossier(self, code: str, sig: str) -> dict[str, Any]:
        if not ratings.is_valid_signature(code, sig):
            raise NotFoundException("Liên kết đánh giá không hợp lệ")
        dossier = await ratings.dossier_by_code(code)
        if dossier is None:
            raise NotFoundException("Không tìm thấy hồ sơ")
        return dossier

    async def _page(self, dossier, values=None, errors=None, status=200, saved=False) -> Template:
        rating = await ratings.rating_of(dossier["id"])
        return Template(
            "pages/feedback/rating.html",
            context={
                "dossier": dossier,
                "rating": rating,
                "can_change": ratings.can_change(rating),
                "is_rateable": dossier["status"] in rt.RATEABLE_STATUSES,
                "values": values or _rating_values(rating),
                "errors": errors or {},
                "levels": rt.LEVEL_LABELS,
                "criteria": ratings.criteria(),
                "channels": rt.CHANNEL_LABELS,
                "follow_up_labels": rt.FOLLOW_UP_LABELS,
                "saved": saved,
            },
            status_code=status,
            headers=PRIVATE,
        )

    @get("/", name="rating.form")
    async def show(
        self,
        code: FromPath[str],
        sig: FromPath[str],
        saved: Annotated[str, QueryParameter(name="da_luu", max_length=2)] = "",
    ) -> Template:
        return await self._page(await self._dossier(code, sig), saved=bool(saved))

    @post("/", name="rating.save")
    async def save(self, request: Request, code: FromPath[str], sig: FromPath[str]) -> Response:
        dossier = await self._dossier(code, sig)
        form = await form_values(request)
        given, errors = rt.parse(form, ratings.criteria())
        if given is not None:
            try:
                await ratings.rate(dossier, given)
            except ratings.RatingRefused as exc:
                errors = {"_": exc.reason}
        if errors:
            return await self._page(dossier, form, errors, 422)
        return Redirect(f"{ratings.rating_path(code)}?da_luu=1", status_code=303)


def _rating_values(rating: dict[str, Any] | None) -> dict[str, str]:
    if rating is None:
        return {}
    values = {"muc_do": str(rating["level"]), "de_su_dung": str(rating["ease"])}
    values["y_kien"] = rating["comment"]
    values.update(rating["answers"] or {})
    return values
