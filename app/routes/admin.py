"""Administration (/quan-tri): officer accounts, for officers with the administrator role."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from app.domain.dossier_flow import ROLE_LABELS
from app.models import Officer
from app.routes._guards import current_officer
from app.routes._render import redirect_to
from app.services import mfa
from app.services.accounts import FormErrors
from app.services.agencies import agencies_by_code
from app.services.officers import (
    OFFICER_ROLES,
    OfficerInput,
    all_officers,
    create_officer,
    toggle_active,
)

# The role is checked by the admin router's guard (routes/audiences.py).
ADMIN = {"admin": Provide(current_officer, sync_to_thread=False)}


async def _context(values: dict[str, Any], errors: dict[str, str], admin_id: int) -> dict[str, Any]:
    officers = await all_officers()
    agencies = await agencies_by_code()
    return {
        "officers": officers,
        "agencies": agencies,
        "roles": [(r.value, ROLE_LABELS[r]) for r in OFFICER_ROLES],
        "role_labels": {r.value: ROLE_LABELS[r] for r in OFFICER_ROLES},
        "values": values,
        "errors": errors,
        "admin_id": admin_id,
        "mfa_roles": await mfa.required_roles(),
    }


class AdminController(Controller):
    path = "/quan-tri"
    dependencies = ADMIN

    @get("/", name="admin.officers")
    async def officers(self, admin: NamedDependency[Officer]) -> Template:
        return Template("pages/admin/officers.html", context=await _context({}, {}, admin.id))

    @post("/can-bo", name="admin.officers.create")
    async def create(self, request: Request, admin: NamedDependency[Officer]) -> Response:
        data = await request.form()
        values = {k: v for k, v in data.items() if isinstance(v, str)}
        roles = tuple(v for k, v in data.multi_items() if k == "vai_tro" and isinstance(v, str))
        try:
            await create_officer(
                OfficerInput(
                    username=values.get("ten_dang_nhap", ""),
                    full_name=values.get("ho_ten", ""),
                    agency_code=values.get("co_quan", ""),
                    roles=roles,
                    password=values.get("mat_khau", ""),
                    email=values.get("thu_dien_tu", ""),
                )
            )
        except FormErrors as exc:
            values.pop("mat_khau", None)
            context = await _context({**values, "vai_tro": roles}, exc.errors, admin.id)
            return Template("pages/admin/officers.html", context=context, status_code=422)
        return redirect_to(request, "admin.officers", query="da_tao=1")

    @post("/xac-thuc-hai-buoc", name="admin.mfa")
    async def mfa_roles(self, request: Request, admin: NamedDependency[Officer]) -> Response:
        data = await request.form()
        known = {r.value for r in OFFICER_ROLES}
        roles = [v for k, v in data.multi_items() if k == "bat_buoc" and v in known]
        await mfa.set_required_roles(roles)
        return redirect_to(request, "admin.officers", query="da_luu=1")

    @post("/can-bo/{officer_id:int}/trang-thai", name="admin.officers.toggle")
    async def toggle(
        self, request: Request, admin: NamedDependency[Officer], officer_id: FromPath[int]
    ) -> Response:
        if officer_id != admin.id:  # an administrator cannot lock themself out
            await toggle_active(officer_id)
        return redirect_to(request, "admin.officers")
