"""Recording how a result was delivered: at the desk, by post (tracking number) or online.

A dossier reaches "returned" only after its delivery is recorded (the return_result guard).
"""

from __future__ import annotations

from typing import Any

from app.db import write_transaction
from app.domain.dossier_flow import Refused, Status
from app.models import Dossier, DossierEvent
from app.services.calendar import local_now


async def record_delivery(
    dossier_id: int, officer_id: int, method: str, info: dict[str, Any]
) -> None:
    row = (
        await Dossier.select(Dossier.status, Dossier.delivery_method)
        .where(Dossier.id == dossier_id)
        .first()
        .run()
    )
    if row is None or row["status"] != Status.RESULT_READY:
        raise Refused("Chỉ ghi nhận giao kết quả khi hồ sơ đã có kết quả.")
    if method == "post" and not str(info.get("postal_tracking", "")).strip():
        raise Refused("Vui lòng nhập số hiệu bưu gửi.")
    if method == "online" and not info.get("result_token"):
        raise Refused("Vui lòng tải lên tệp kết quả đã ký số.")
    now = local_now()
    details = {**info, "method": method, "at": now.isoformat(), "officer_id": officer_id}
    async with write_transaction():
        done = (
            await Dossier.update(
                {Dossier.is_delivery_recorded: True, Dossier.delivery_info: details}
            )
            .where((Dossier.id == dossier_id) & (Dossier.status == Status.RESULT_READY.value))
            .returning(Dossier.id)
            .run()
        )
        if not done:
            raise Refused("Hồ sơ vừa được cập nhật bởi người khác. Vui lòng tải lại trang.")
        await (
            DossierEvent(
                dossier=dossier_id,
                at=now,
                actor_kind="officer",
                actor_id=officer_id,
                action="record_delivery",
                from_status=Status.RESULT_READY.value,
                to_status=Status.RESULT_READY.value,
                note=str(info.get("postal_tracking", "")),
                data=details,
            )
            .save()
            .run()
        )
