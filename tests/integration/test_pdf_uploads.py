"""A PDF with a script is refused at upload; every attachment is served sandboxed (item 18)."""

import pytest

from app.domain.uploads import PDF_SCRIPT_MESSAGE
from tests.integration.builders import Clients, attachments_of, dossier_row, jpeg_bytes, token_of
from tests.integration.test_upload_limits import _at_documents_step

SCRIPTED_PDF = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def _send(citizen, reference, declaration: tuple[str, bytes, str]):
    path = f"/ho-so/{reference}/buoc/giay_to"
    token = await token_of(citizen.client, path)
    return await citizen.client.post(
        path,
        data={"_csrf_token": token, "tiep": "1"},
        files={"tp_0": declaration, "tp_1": ("giay-to.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )


async def test_a_pdf_with_javascript_is_refused_and_not_kept(clients):
    citizen, reference = await _at_documents_step(clients)
    response = await _send(citizen, reference, ("to-khai.pdf", SCRIPTED_PDF, "application/pdf"))
    assert response.status_code == 422
    assert PDF_SCRIPT_MESSAGE.split(".")[0] in response.text
    row = await dossier_row(reference)
    # the step keeps the other, valid file so that nothing typed is lost; never the script
    assert [a["field_key"] for a in await attachments_of(row["id"])] == ["tp_1"]


async def test_attachments_are_served_with_a_sandbox_policy(clients):
    citizen, reference = await _at_documents_step(clients)
    response = await _send(citizen, reference, ("to-khai.jpg", jpeg_bytes(), "image/jpeg"))
    assert response.status_code == 303, response.text
    row = await dossier_row(reference)
    token = (await attachments_of(row["id"]))[0]["token"]
    served = await citizen.client.get(f"/ho-so/{reference}/tep/{token}")
    assert served.status_code == 200
    policy = [p.strip() for p in served.headers["content-security-policy"].split(";")]
    assert "sandbox" in policy
    assert served.headers["x-content-type-options"] == "nosniff"


async def test_an_attachment_whose_file_is_gone_is_a_404_page_not_an_error(clients):
    from app.services.files import blob_path

    citizen, reference = await _at_documents_step(clients)
    unique = jpeg_bytes() + b"gone"  # its own blob, removed below
    response = await _send(citizen, reference, ("to-khai.jpg", unique, "image/jpeg"))
    assert response.status_code == 303, response.text
    row = await dossier_row(reference)
    gone = next(a for a in await attachments_of(row["id"]) if a["field_key"] == "tp_0")
    blob_path(gone["sha256"]).unlink()
    served = await citizen.client.get(f"/ho-so/{reference}/tep/{gone['token']}")
    assert served.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in served.text  # the 404 page, not the 500 one
