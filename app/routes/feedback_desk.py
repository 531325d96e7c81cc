"""Citizen voice at the desk (/mot-cua/phan-anh, /mot-cua/danh-gia): PAKN queues and handling
for the officers of the agency it is addressed to; ratings recorded at the counter; the
leader's answers to "không hài lòng"."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from app.domain import dossier_flow as flow
from app.domain import feedback_flow as ff
from app.domain import limits
from app.domain import ratings as rt
from app.domain.limits import too_long_message
from app.models import Officer
from app.routes._guards import current_officer, role_only
from app.routes._render import attachment_response, form_values, redirect_to
from app.routes.feedback import LABELS
from app.services import faq, feedback_desk, feedback_publish, ratings
from app.services.desk import officer_agency
from app.services.files import feedback_attachment
from app.services.officers import officer_roles

FEEDBACK_ATTACHMENT_CSP = "sandbox; default-src 'none'; img-src 'self'"
OFFICER = {"officer": Provide(current_officer, sync_to_thread=False)}
LEADERS_ANSWER = "Chỉ lãnh đạo cơ quan trả lời ý kiến này."


class DeskFeedbackController(Controller):
    path = "/mot-cua/phan-anh"
    dependencies = OFFICER

    @get("/", name="desk.feedback")
    async def queues(
        self,
        officer: NamedDependency[Officer],
        queue: Annotated[str, QueryParameter(name="hang", max_length=20)] = "sap-den-han",
    ) -> Template:
        queue = queue if queue in feedback_desk.QUEUE_BY_KEY else "sap-den-han"
        found = await feedback_desk.queues(officer_agency(officer))
        return Template(
            "pages/feedback/desk_queues.html",
            context={
                **LABELS,
                "queues": feedback_desk.QUEUES,
                "queue": feedback_desk.QUEUE_BY_KEY[queue],
                "counts": {k: len(v) for k, v in found.items()},
                "rows": found[queue],
            },
        )

    async def _page(
        self,
        officer: Officer,
        feedback_id: int,
        error: str = "",
        status=200,
        public: feedback_publish.PublicText | None = None,
        problems: dict[str, str] | None = None,
        note: str = "",
    ):
        row = await feedback_desk.for_officer(officer_agency(officer), feedback_id)
        if row is None:
            raise NotFoundException("Không tìm thấy phản ánh")
        facts = ff.FeedbackFacts(ff.Status(row["status"]), bool(row["category"]))
        options = ff.options(facts, ff.Role.OFFICER)
        publishing = any(t.action is ff.Action.PUBLISH for t in options)
        return Template(
            "pages/feedback/desk_item.html",
            context={
                **LABELS,
                "r": row,
                "options": [t for t in options if t.action is not ff.Action.PUBLISH],
                "public": (public or feedback_publish.suggested(row)) if publishing else None,
                "problems": problems or {},
                "hidden_mark": feedback_publish.HIDDEN,
                "action_labels": ff.ACTION_LABELS,
                "categories": list(ff.Category),
                "error": error,
                "note": note,
            },
            status_code=status,
            headers={"Cache-Control": "private, no-store"},
        )

    @get("/{feedback_id:int}", name="desk.feedback.item")
    async def item(self, officer: NamedDependency[Officer], feedback_id: FromPath[int]) -> Template:
        return await self._page(officer, feedback_id)

    @post("/{feedback_id:int}/xu-ly", name="desk.feedback.act")
    async def act(
        self, request: Request, officer: NamedDependency[Officer], feedback_id: FromPath[int]
    ) -> Response:
        agency = officer_agency(officer)
        if await feedback_desk.for_officer(agency, feedback_id) is None:
            raise NotFoundException("Không tìm thấy phản ánh")
        form = await form_values(request)
        if form.get("action") == ff.Action.PUBLISH.value:
            return await self._publish(request, officer, feedback_id, form)
        note = form.get("ghi_chu", "")
        if len(note) > limits.FEEDBACK_NOTE:
            refusal = f"Nội dung: {too_long_message(limits.FEEDBACK_NOTE)}"
            return await self._page(officer, feedback_id, refusal, 422, note=note)
        try:
            if form.get("phan_loai"):
                await feedback_desk.classify(agency, feedback_id, form["phan_loai"])
            if form.get("action"):
                action = ff.Action(form["action"])
                await feedback_desk.act(agency, feedback_id, action, officer.id, note)
        except ValueError:
            return await self._page(officer, feedback_id, "Thao tác không hợp lệ.", 422, note=note)
        except ff.Refused as exc:
            return await self._page(officer, feedback_id, exc.reason, 422, note=note)
        return redirect_to(request, "desk.feedback.item", feedback_id=feedback_id)

    async def _publish(
        self, request: Request, officer: Officer, feedback_id: int, form: dict[str, str]
    ) -> Response:
        row = await feedback_desk.for_officer(officer_agency(officer), feedback_id)
        if row is None:
            raise NotFoundException("Không tìm thấy phản ánh")
        text = feedback_publish.PublicText(  # each length is checked by ``publish``
            form.get("cong_khai_tieu_de", ""),
            form.get("cong_khai_noi_dung", ""),
            form.get("cong_khai_tra_loi", ""),
        )
        try:
            await feedback_publish.publish(row, officer.id, text)
        except feedback_publish.NotPublishable as exc:
            return await self._page(officer, feedback_id, exc.reason, 422, text, exc.problems)
        except ff.Refused as exc:
            return await self._page(officer, feedback_id, exc.reason, 422, text)
        return redirect_to(request, "desk.feedback.item", feedback_id=feedback_id)

    @get("/{feedback_id:int}/tep/{file_token:str}", name="desk.feedback.attachment")
    async def attachment(
        self,
        officer: NamedDependency[Officer],
        feedback_id: FromPath[int],
        file_token: FromPath[str],
    ) -> Response:
        if await feedback_desk.for_officer(officer_agency(officer), feedback_id) is None:
            raise NotFoundException("Không tìm thấy tệp")
        row = await feedback_attachment(feedback_id, file_token)
        return await attachment_response(row, "phan-anh", FEEDBACK_ATTACHMENT_CSP)


class DeskRatingController(Controller):
    path = "/mot-cua/danh-gia"
    dependencies = OFFICER

    async def _page(self, officer: Officer, **extra: Any) -> Template:
        roles = officer_roles(officer)
        context = {
            "follow_ups": await ratings.open_follow_ups(officer_agency(officer)),
            "is_leader": flow.Role.LEADER in roles,
            "levels": rt.LEVEL_LABELS,
            "channels": {k: v for k, v in rt.CHANNEL_LABELS.items() if k is not rt.Channel.WEB},
            "values": {},
            "errors": {},
            "error": "",
            "saved": "",
        }
        context.update(extra)
        return Template(
            "pages/feedback/desk_ratings.html",
            context=context,
            status_code=422 if extra.get("errors") or extra.get("error") else 200,
        )

    @get("/", name="desk.ratings")
    async def show(
        self,
        officer: NamedDependency[Officer],
        saved: Annotated[str, QueryParameter(name="da_luu", max_length=40)] = "",
    ) -> Template:
        return await self._page(officer, saved=saved)

    @post("/ghi-nhan", name="desk.ratings.record")
    async def record(self, request: Request, officer: NamedDependency[Officer]) -> Response:
        form = await form_values(request)
        code = form.get("ma", "").strip()[:40]
        errors: dict[str, str] = {}
        try:
            channel = rt.Channel(form.get("kenh", ""))
            if channel is rt.Channel.WEB:
                raise ValueError
        except ValueError:
            channel, errors["kenh"] = None, "Vui lòng chọn phiếu giấy hay máy tính bảng."
        dossier = await ratings.dossier_at_agency(code, officer_agency(officer)) if code else None
        if dossier is None:
            errors["ma"] = "Không tìm thấy hồ sơ này ở cơ quan của bạn."
        given, rating_errors = rt.parse(form, [])
        errors.update(rating_errors)
        if not errors:
            try:
                await ratings.rate(dossier, given, channel, officer.id)
            except ratings.RatingRefused as exc:
                errors["ma"] = exc.reason
        if errors:
            return await self._page(officer, values=form, errors=errors)
        return redirect_to(request, "desk.ratings", query=urlencode({"da_luu": code}))

    @post(
        "/{rating_id:int}/tra-loi",
        name="desk.ratings.answer",
        guards=[role_only(flow.Role.LEADER, LEADERS_ANSWER)],
    )
    async def answer(
        self, request: Request, officer: NamedDependency[Officer], rating_id: FromPath[int]
    ) -> Response:
        form = await form_values(request)
        try:
            await ratings.answer_follow_up(
                officer_agency(officer), rating_id, officer.id, form.get("tra_loi", "")
            )
        except ratings.RatingRefused as exc:
            return await self._page(officer, error=exc.reason)
        return redirect_to(request, "desk.ratings")


class DeskFaqController(Controller):
    """Frequent questions of a procedure, kept by the officers of the agencies implementing it."""

    path = "/mot-cua/cau-hoi"
    dependencies = OFFICER

    async def _page(self, code: str, values: dict, error: str = "") -> Template:
        return Template(
            "pages/feedback/desk_faq.html",
            context={
                "code": code,
                "items": await faq.for_procedure(code) if code else [],
                "values": values,
                "error": error,
            },
            status_code=422 if error else 200,
        )

    @get("/", name="desk.faq")
    async def show(
        self,
        officer: NamedDependency[Officer],
        code: Annotated[str, QueryParameter(name="thu_tuc", max_length=40)] = "",
        feedback_id: Annotated[int | None, QueryParameter(name="tu_phan_anh", ge=1)] = None,
    ) -> Template:
        values = await faq.draft_from_feedback(officer, feedback_id) if feedback_id else {}
        return await self._page(values.get("thu_tuc") or code, values)

    @post("/", name="desk.faq.add")
    async def add(self, request: Request, officer: NamedDependency[Officer]) -> Response:
        form = await form_values(request)
        code = form.get("thu_tuc", "")[:40]
        source = form.get("tu_phan_anh", "")
        try:
            await faq.add(
                officer,
                code,
                form.get("cau_hoi", ""),
                form.get("tra_loi", ""),
                int(source) if source.isdigit() else None,
            )
        except faq.FaqRefused as exc:
            return await self._page(code, form, exc.reason)
        return redirect_to(request, "desk.faq", query=urlencode({"thu_tuc": code}))

    @post("/{item_id:int}/xoa", name="desk.faq.remove")
    async def remove(
        self, request: Request, officer: NamedDependency[Officer], item_id: FromPath[int]
    ) -> Response:
        code = (await form_values(request)).get("thu_tuc", "")[:40]
        try:
            await faq.remove(officer, code, item_id)
        except faq.FaqRefused as exc:
            return await self._page(code, {}, exc.reason)
        return redirect_to(request, "desk.faq", query=urlencode({"thu_tuc": code}))
