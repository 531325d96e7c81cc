"""Builders that reach a state the way citizens do: through the wizard and the workflow."""

from datetime import date

from app.domain.forms import FieldType
from app.models import Citizen
from app.services import accounts, wizard
from app.services.catalogue import get_catalogue
from app.services.files import StoredFile

HOA_BINH = "000.00.32.H99"
CITIZEN_PASSWORD = "cay tre xanh 2026"


def _answer(field, phone: str, email: str) -> str:
    by_type = {
        FieldType.CITIZEN_ID: "093095000123",
        FieldType.PHONE: phone,
        FieldType.EMAIL: email,
        FieldType.DATE: "1995-04-12",
        FieldType.NUMBER: "1",
        FieldType.ADDRESS: "Số 12 đường Lý Thường Kiệt, phường Hòa Bình",
        FieldType.LONG_TEXT: "Đề nghị giải quyết",
    }
    if field.type is FieldType.CHOICE:
        return field.choices[0].value
    return by_type.get(field.type, "Nguyễn Văn Thử")


async def submitted_dossier(
    phone: str, email: str, procedure_code: str = "P19", delivery: str = "desk"
) -> dict:
    """A citizen registers, fills every step of the wizard and submits to phường Hòa Bình,
    receiving the result as ``delivery`` says (the wizard's last step: desk | post | online)."""
    citizen = await accounts.register("Nguyễn Văn Thử", phone, CITIZEN_PASSWORD, CITIZEN_PASSWORD)
    await Citizen.update({Citizen.email: email}).where(Citizen.id == citizen.id).run()
    citizen = await Citizen.objects().where(Citizen.id == citizen.id).first().run()
    procedure = (await get_catalogue()).get(procedure_code)
    dossier = await wizard.start_or_resume(citizen, procedure)
    flow = await wizard.wizard_for(procedure)
    answers: dict[str, dict[str, str]] = {}
    for step in flow.steps:
        values = {}
        for field in step.fields:
            if field.type is FieldType.FILE:
                stored = StoredFile("0" * 64, 10, "image/jpeg")
                values[field.key] = await wizard.add_attachment(
                    dossier["id"], field, stored, "a.jpg"
                )
            else:
                values[field.key] = _answer(field, phone, email)
        if step.key == wizard.PLACE_STEP:
            values["co_quan"] = HOA_BINH
        if step.key == wizard.DELIVERY_STEP:
            values["cach_nhan"] = delivery
        answers[step.key] = values
    assert flow.errors(answers, date.today()) == {}
    await wizard.save_answers(dossier["id"], answers, flow.steps[-1].key)
    dossier = await wizard.own_dossier(citizen, dossier["reference"])
    return await wizard.submit(citizen, dossier, procedure, flow, declared=True)
