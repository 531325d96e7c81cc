"""A citizen's dossiers are theirs alone: other people learn nothing, not even that they exist."""

import pytest

from tests.integration.builders import (
    TEMPORARY_RESIDENCE,
    Clients,
    Submitted,
    attachments_of,
    dossier_row,
    events_of,
    generic_answers,
    jpeg_bytes,
    post,
    reference_in,
    token_of,
)


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


def _private_urls(dossier: Submitted, token: str) -> list[str]:
    return [
        f"/ho-so/{dossier.reference}",
        f"/ho-so/{dossier.reference}/giay-tiep-nhan",
        f"/ho-so/{dossier.reference}/giay-tiep-nhan.pdf",
        f"/ho-so/{dossier.reference}/tep/{token}",
    ]


async def test_another_citizen_gets_not_found_for_every_page_of_a_dossier(clients):
    owner = await clients.citizen()
    dossier = await owner.submit_dossier()
    [attachment] = await attachments_of(dossier.id)
    urls = _private_urls(dossier, attachment["token"])
    for url in urls:  # the owner sees them all, so the 404s below are about who asks
        assert (await owner.client.get(url)).status_code == 200, url

    stranger = await clients.citizen()
    for url in urls:
        response = await stranger.client.get(url, follow_redirects=False)
        assert response.status_code == 404, url
        assert dossier.code not in response.text


async def test_an_attachment_token_opens_nothing_through_another_dossier(clients):
    owner = await clients.citizen()
    dossier = await owner.submit_dossier()
    [attachment] = await attachments_of(dossier.id)
    stranger = await clients.citizen()
    own = await stranger.submit_dossier()
    # the stranger's own reference with the owner's token: the token belongs to another dossier
    response = await stranger.client.get(f"/ho-so/{own.reference}/tep/{attachment['token']}")
    assert response.status_code == 404


async def test_another_citizen_cannot_touch_a_draft(clients):
    owner = await clients.citizen()
    reference = reference_in(await owner.start(TEMPORARY_RESIDENCE))
    assert (await owner.save_step(reference, "noi_nop", generic_answers()["noi_nop"])).is_redirect
    stranger = await clients.citizen()
    for url in (f"/ho-so/{reference}/buoc/noi_nop", f"/ho-so/{reference}/kiem-tra"):
        assert (await stranger.client.get(url, follow_redirects=False)).status_code == 404, url
    stolen = await stranger.save_step(reference, "nguoi_nop", {"ho_ten": "Kẻ gian"})
    assert stolen.status_code == 404
    submitted = await post(stranger.client, f"/ho-so/{reference}/nop", {"cam_doan": "1"})
    assert submitted.status_code == 404
    row = await dossier_row(reference)
    assert row["status"] == "draft" and "nguoi_nop" not in row["answers"]


async def test_another_citizen_cannot_withdraw_or_supply(clients):
    owner = await clients.citizen()
    dossier = await owner.submit_dossier()
    stranger = await clients.citizen()
    withdraw = await post(stranger.client, f"/ho-so/{dossier.reference}/rut", {"ly_do": "Rút"})
    assert withdraw.status_code == 404
    token = await token_of(stranger.client)
    supply = await stranger.client.post(
        f"/ho-so/{dossier.reference}/bo-sung",
        data={"_csrf_token": token},
        files={"tep": ("bo-sung.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )
    assert supply.status_code == 404
    assert (await dossier_row(dossier.reference))["status"] == "submitted"
    assert [e["action"] for e in await events_of(dossier.id)] == ["submit"]
    assert len(await attachments_of(dossier.id)) == 1


async def test_pages_of_dossiers_redirect_to_login_without_a_session(clients):
    owner = await clients.citizen()
    dossier = await owner.submit_dossier()
    [attachment] = await attachments_of(dossier.id)
    anonymous = await clients.new()
    urls = [
        "/ho-so",
        f"/thu-tuc/{TEMPORARY_RESIDENCE}/nop-ho-so",
        *_private_urls(dossier, attachment["token"]),
    ]
    for url in urls:
        response = await anonymous.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"].startswith("/dang-nhap?tiep="), url


async def test_posts_without_a_csrf_token_are_refused(clients):
    owner = await clients.citizen()
    reference = await owner.fill(
        TEMPORARY_RESIDENCE,
        generic_answers(),
        {"giay_to": {"tp_0": ("to-khai.jpg", jpeg_bytes(), "image/jpeg")}},
    )
    for path, data in (
        (f"/ho-so/{reference}/nop", {"cam_doan": "1"}),
        (f"/ho-so/{reference}/buoc/noi_dung", {"noi_dung": "Sửa không có mã CSRF"}),
    ):
        response = await owner.client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
    row = await dossier_row(reference)
    assert row["status"] == "draft" and row["code"] is None
    assert row["answers"]["noi_dung"] == generic_answers()["noi_dung"]
