"""Every officer route, asked by every kind of account, about a dossier received by Hòa Bình.

The routes come from the application itself, so a new /mot-cua route without a row in the
matrix below fails the first test.
"""

from dataclasses import dataclass

import pytest

from app.main import create_app
from app.models import FeedbackAttachment, Payment
from tests.integration.builders import (
    Clients,
    attachments_of,
    dossier_by_id,
    events_of,
    outbox_of,
    post,
    received_dossier,
)
from tests.integration.builders_feedback import send_complaint

LOGIN_PAGE = "/mot-cua/dang-nhap"
DOSSIER = "/mot-cua/ho-so/{dossier_id:int}"
FEEDBACK = "/mot-cua/phan-anh/{feedback_id:int}"

# Who asks: the demo officers, by agency and role.
HB_RECEPTIONIST, HB_SPECIALIST, HB_LEADER = "tiepnhan.hoabinh", "xuly.hoabinh", "lanhdao.hoabinh"
OFFICERS = {
    # username: (same agency as the dossier?, receptionist?)
    HB_RECEPTIONIST: (True, True),
    HB_SPECIALIST: (True, False),
    HB_LEADER: (True, False),
    "tiepnhan.tanlap": (False, True),
    "xuly.tanlap": (False, False),
    "lanhdao.tanlap": (False, False),
    "tiepnhan.tinh": (False, True),
    "xuly.tinh": (False, False),
    "lanhdao.tinh": (False, False),
    "quantri": (False, False),  # administrator of the province committee
}

# The expected status for each route, by column:
#   Hòa Bình receptionist | Hòa Bình specialist | Hòa Bình leader
#   | receptionist elsewhere | other officer elsewhere
# 422 means "let in, then the request itself was refused" (an action not possible now, or an
# empty intake form), so it counts as allowed.
MATRIX: dict[tuple[str, str], tuple[int, int, int, int, int]] = {
    ("GET", "/mot-cua"): (200, 200, 200, 200, 200),
    ("GET", "/mot-cua/bao-mat"): (200, 200, 200, 200, 200),  # each officer's own second factor
    ("POST", "/mot-cua/bao-mat/xac-nhan"): (422, 422, 422, 422, 422),  # no code typed
    ("GET", DOSSIER): (200, 200, 200, 404, 404),
    ("POST", DOSSIER + "/xu-ly"): (422, 422, 422, 404, 404),
    ("GET", DOSSIER + "/tep/{token:str}"): (200, 200, 200, 404, 404),
    ("GET", DOSSIER + "/phieu/{kind:str}"): (200, 200, 200, 404, 404),
    ("POST", DOSSIER + "/giao-ket-qua"): (422, 403, 403, 404, 403),
    ("POST", DOSSIER + "/thong-bao/{message_id:int}/gui-lai"): (303, 303, 303, 404, 404),
    ("POST", DOSSIER + "/thu-phi"): (422, 403, 403, 404, 403),
    ("POST", DOSSIER + "/uu-tien"): (303, 403, 303, 404, 404),  # see ROLE_GUARDED
    ("GET", DOSSIER + "/bien-lai/{payment_id:int}"): (200, 200, 200, 404, 404),
    ("GET", "/mot-cua/tiep-nhan"): (200, 403, 403, 200, 403),
    ("POST", "/mot-cua/tiep-nhan"): (422, 403, 403, 422, 403),
    ("GET", "/mot-cua/doi-soat"): (200, 200, 200, 200, 200),  # each sees their own agency's day
    ("GET", "/mot-cua/doi-soat/csv"): (200, 200, 200, 200, 200),
    # The working queue's exports, batches, following and private annotations.
    ("GET", "/mot-cua/xuat/csv"): (200, 200, 200, 200, 200),  # each exports their own agency's
    ("GET", "/mot-cua/xuat/xlsx"): (200, 200, 200, 200, 200),
    ("POST", "/mot-cua/lo"): (422, 422, 422, 422, 422),  # nothing selected, no action
    ("POST", DOSSIER + "/theo-doi"): (303, 303, 303, 404, 404),
    ("POST", DOSSIER + "/ghi-chu-noi-bo"): (422, 422, 422, 404, 404),  # empty annotation
    ("POST", DOSSIER + "/kiem-tra"): (303, 303, 303, 404, 404),  # nothing ticked, none stored
    # Citizen voice: a PAKN sent to Hòa Bình is seen and handled only there.
    ("GET", "/mot-cua/phan-anh"): (200, 200, 200, 200, 200),  # each sees their own agency's
    ("GET", FEEDBACK): (200, 200, 200, 404, 404),
    ("POST", FEEDBACK + "/xu-ly"): (422, 422, 422, 404, 404),
    ("GET", FEEDBACK + "/tep/{file_token:str}"): (200, 200, 200, 404, 404),
    ("GET", "/mot-cua/danh-gia"): (200, 200, 200, 200, 200),
    ("POST", "/mot-cua/danh-gia/ghi-nhan"): (422, 422, 422, 422, 422),  # empty form
    ("POST", "/mot-cua/danh-gia/{rating_id:int}/tra-loi"): (403, 403, 422, 403, 422),
    ("GET", "/mot-cua/cau-hoi"): (200, 200, 200, 200, 200),
    ("POST", "/mot-cua/cau-hoi"): (422, 422, 422, 422, 422),  # no procedure named
    ("POST", "/mot-cua/cau-hoi/{item_id:int}/xoa"): (422, 422, 422, 422, 422),
}

# Statistics reports: every leader (of their own agency or the province), nobody else.
LEADERS = {HB_LEADER, "lanhdao.tanlap", "lanhdao.tinh"}
LEADERS_ONLY = {
    ("GET", f"/mot-cua/bao-cao{tail}") for tail in ("", "/xlsx", "/csv", "/ho-so", "/tu-danh-gia")
}
# the "elsewhere" columns mix leaders and others, so expected_for() decides for these
MATRIX.update(dict.fromkeys(LEADERS_ONLY, (403, 403, 200, 403, 403)))

# Routes whose guard asks for a role: an officer without it gets 403 before the dossier is
# looked up, whatever their agency (the "elsewhere" columns mix leaders and others).
ROLE_GUARDED = {
    ("POST", DOSSIER + "/uu-tien"): ("tiepnhan.", "lanhdao."),
    ("POST", "/mot-cua/danh-gia/{rating_id:int}/tra-loi"): ("lanhdao.",),
}

# What each POST sends: nothing that could change the dossier.
FORMS = {
    DOSSIER + "/xu-ly": {"action": "receive"},  # already received: refused for everybody
    DOSSIER + "/giao-ket-qua": {},  # no result yet: refused for the receptionist
    DOSSIER + "/thong-bao/{message_id:int}/gui-lai": {},
    DOSSIER + "/thu-phi": {"cach": ""},  # no payment method: refused for the receptionist
    DOSSIER + "/uu-tien": {"uu_tien": "0"},  # not priority already: nothing to change
    "/mot-cua/tiep-nhan": {},  # empty intake form: validation errors, no dossier
    FEEDBACK + "/xu-ly": {"action": "publish"},  # not answered yet: refused for everybody
    "/mot-cua/danh-gia/ghi-nhan": {},
    "/mot-cua/danh-gia/{rating_id:int}/tra-loi": {},
    "/mot-cua/cau-hoi": {},
    "/mot-cua/cau-hoi/{item_id:int}/xoa": {},
    "/mot-cua/bao-mat/xac-nhan": {},  # no code typed
    "/mot-cua/lo": {},
    DOSSIER + "/theo-doi": {"theo_doi": "0"},  # not followed: nothing to change
    DOSSIER + "/ghi-chu-noi-bo": {},
    DOSSIER + "/kiem-tra": {},
}


def desk_routes() -> set[tuple[str, str]]:
    """(method, path) of every officer route of the app, the login pages (password and code
    steps) excepted."""
    found = set()
    for route in create_app().routes:
        if not route.path.startswith("/mot-cua") or route.path.startswith(LOGIN_PAGE):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                if method not in ("OPTIONS", "HEAD"):
                    found.add((method, route.path))
    return found


def expected_for(username: str, route: tuple[str, str]) -> int:
    if route in LEADERS_ONLY:
        return 200 if username in LEADERS else 403
    if route in ROLE_GUARDED and not username.startswith(ROLE_GUARDED[route]):
        return 403
    same_agency, receptionist = OFFICERS[username]
    column = (
        [HB_RECEPTIONIST, HB_SPECIALIST, HB_LEADER].index(username)
        if same_agency
        else (3 if receptionist else 4)
    )
    return MATRIX[route][column]


@dataclass(frozen=True)
class Target:
    dossier_id: int
    token: str
    message_id: int
    payment_id: int
    feedback_id: int
    feedback_token: str

    def url(self, path: str) -> str:
        return (
            path.replace("{dossier_id:int}", str(self.dossier_id))
            .replace("{token:str}", self.token)
            .replace("{kind:str}", "phieu-kiem-soat")
            .replace("{message_id:int}", str(self.message_id))
            .replace("{payment_id:int}", str(self.payment_id))
            .replace("{feedback_id:int}", str(self.feedback_id))
            .replace("{file_token:str}", self.feedback_token)
            .replace("{rating_id:int}", "999999")
            .replace("{item_id:int}", "999999")
        )


@pytest.fixture(scope="module")
async def walk(demo_db):
    """A dossier submitted online to Hòa Bình, received there and its fee paid at the desk;
    and the browsers to ask."""
    clients = Clients()
    owner, dossier = await received_dossier(clients)
    receptionist = await clients.officer(HB_RECEPTIONIST)
    paid = await post(receptionist, f"/mot-cua/ho-so/{dossier.id}/thu-phi", {"cach": "cash"})
    assert paid.status_code == 303, paid.text[:500]
    [attachment] = await attachments_of(dossier.id)
    message = (await outbox_of(dossier.id))[0]
    [payment] = await Payment.select(Payment.id).where(Payment.dossier == dossier.id).run()
    complaint = await send_complaint(await clients.new())
    [photo] = await FeedbackAttachment.select().where(
        FeedbackAttachment.feedback == complaint["id"]
    )
    target = Target(
        dossier.id,
        attachment["token"],
        message["id"],
        payment["id"],
        complaint["id"],
        photo["token"],
    )
    snapshot = (await dossier_by_id(dossier.id), await events_of(dossier.id))
    yield clients, owner, target, snapshot
    await clients.aclose()


async def _ask(client, route: tuple[str, str], target: Target):
    method, path = route
    url = target.url(path)
    if method == "GET":
        return await client.get(url, follow_redirects=False)
    return await post(client, url, FORMS[path])


def test_the_matrix_covers_every_officer_route():
    assert desk_routes() == set(MATRIX)


@pytest.mark.parametrize("username", list(OFFICERS))
async def test_officers_reach_only_their_agency_and_their_role(walk, username):
    clients, _, target, _ = walk
    before = await dossier_by_id(target.dossier_id)
    officer = await clients.officer(username)
    got = {route: (await _ask(officer, route, target)).status_code for route in sorted(MATRIX)}
    want = {route: expected_for(username, route) for route in sorted(MATRIX)}
    assert got == want
    after = await dossier_by_id(target.dossier_id)
    assert (after["status"], after["updated_at"]) == (before["status"], before["updated_at"])


async def test_without_a_session_every_officer_route_leads_to_the_desk_login(walk):
    clients, _, target, _ = walk
    anonymous = await clients.new()
    for route in sorted(MATRIX):
        response = await _ask(anonymous, route, target)
        assert (response.status_code, response.headers.get("location")) == (303, LOGIN_PAGE), route


async def test_a_citizen_session_is_refused_on_the_desk(walk):
    clients, owner, target, _ = walk  # even the owner of the dossier
    for route in sorted(MATRIX):
        response = await _ask(owner.client, route, target)
        assert (response.status_code, response.headers.get("location")) == (303, LOGIN_PAGE), route


async def test_the_walk_changed_nothing_in_the_dossier(walk):
    _, _, target, (row, events) = walk
    assert row["status"] == "received"
    assert await dossier_by_id(target.dossier_id) == row
    assert await events_of(target.dossier_id) == events


@pytest.mark.parametrize(
    ("username", "path", "refusal"),
    [
        (HB_SPECIALIST, DOSSIER + "/thu-phi", "Chức năng dành cho cán bộ tiếp nhận"),
        (HB_LEADER, DOSSIER + "/giao-ket-qua", "Chức năng dành cho cán bộ tiếp nhận, trả kết quả"),
        (HB_SPECIALIST, DOSSIER + "/uu-tien", "Chỉ tiếp nhận viên, lãnh đạo đánh dấu ưu tiên"),
        (HB_RECEPTIONIST, "/mot-cua/danh-gia/{rating_id:int}/tra-loi", "Chỉ lãnh đạo cơ quan"),
    ],
)
async def test_an_officer_without_the_role_gets_the_refusal_page(walk, username, path, refusal):
    clients, _, target, _ = walk
    officer = await clients.officer(username)
    response = await post(officer, target.url(path), FORMS[path])
    assert response.status_code == 403
    assert refusal in response.text and "<html" in response.text.lower()
