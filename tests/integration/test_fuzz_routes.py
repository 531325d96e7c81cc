"""Every route the app declares, anonymous and as each role, with hostile values.

The routes come from Litestar's own route table, so a new route is fuzzed without editing this
file. Each path parameter, query field and form field gets values chosen per kind: invalid UTF-8
bytes, NUL and control characters, non-Latin digits, integers past 2^31 and 2^63, strings one
past each declared length and of 1 MB, template and SQL strings. Requests carry a valid CSRF
token so the handlers are really reached. No answer may be a 500, and every answer (pages,
errors, redirects, static files) carries the security headers.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from litestar.params import ParameterKwarg
from litestar.testing import AsyncTestClient

from app.domain import limits
from app.main import create_app
from app.models import RateLimit
from app.routes.static import static_url
from app.services.tracking_links import signature
from tests.integration.builders import (
    Clients,
    Submitted,
    desk_act,
    officer_id,
    token_of,
)

ROLES = {
    "receptionist": "tiepnhan.hoabinh",
    "specialist": "xuly.hoabinh",
    "leader": "lanhdao.hoabinh",
    "administrator": "quantri",
}
NEVER_AS_LOGGED_IN = {"/dang-xuat"}  # it would end the session the rest of the walk needs

HUGE_INTS = [str(2**31), str(2**63), "9" * 20, "-1"]
TEXT_VALUES = [
    "a\x00b",
    "a\x01\x08\x1b\x7f\u200eb",
    "١٢٣٤",
    "१२३४",
    "１２３４",
    "{{7*7}}",
    "' OR '1'='1' --; DROP TABLE dossier; --",
    *HUGE_INTS,
]
PATH_TEXT_VALUES = [
    "%00",
    "a%00b",
    "%01%1b",
    "%FF%FE",
    quote("١٢٣٤"),
    quote("१२३४"),
    quote("１２３４"),
    quote("ée"),
    quote("{{7*7}}"),
    quote("' OR 1=1 --"),
    "x" * 300,
]
PATH_INT_VALUES = [*HUGE_INTS, str(2**64), quote("١٢٣٤"), quote("１２３４")]
INVALID_UTF8 = b"\xff\xfe\xfa\xc3\x28"
MEGABYTE = "x" * 1_000_000
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")
FORM_RE = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
ACTION_RE = re.compile(r'action="([^"]*)"')
NAME_RE = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)


def long_values() -> list[str]:
    """A string one character past every declared length, once per distinct length."""
    return ["é" * (n + 1) for n in sorted(set(limits.ALL.values()))]


@dataclass
class Walk:
    """What the walk has seen: failures, and the form fields posted to each route."""

    failures: list[str] = field(default_factory=list)
    fields: dict[str, set[str]] = field(default_factory=dict)
    requests: int = 0
    route: str = ""

    def report(self) -> str:
        """One line per route, role and kind of problem, with a count and the first URL."""
        groups: dict[str, list[str]] = {}
        for line in self.failures:
            who, method, url, problem = line.split("\t")
            groups.setdefault(f"{who} {method} {self.route_of(url)}: {problem}", []).append(url)
        return "\n".join(f"{key} x{len(urls)} e.g. {urls[0][:100]}" for key, urls in groups.items())

    def route_of(self, url: str) -> str:
        return (
            url.split("?")[0]
            if not hasattr(self, "patterns")
            else next(
                (fmt for fmt, rx in self.patterns if rx.match(url.split("?")[0])), url.split("?")[0]
            )
        )

    def check(self, who: str, method: str, url: str, response) -> None:
        self.requests += 1
        problem = []
        if response.status_code >= 500:
            problem.append(f"status {response.status_code}")
        missing = [name for name in HEADERS if name not in response.headers]
        if missing:
            problem.append(f"missing {','.join(missing)}")
        policy = response.headers.get("content-security-policy", "")
        if policy and "frame-ancestors" not in policy:
            problem.append("CSP without frame-ancestors")
        if response.headers.get("x-content-type-options", "nosniff") != "nosniff":
            problem.append("X-Content-Type-Options is not nosniff")
        if problem:
            self.failures.append(f"{who}\t{method}\t{url[:300]}\t{'; '.join(problem)}")


def route_pattern(path_format: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]+\}", path_format)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")


def path_variants(route, valid: dict[str, str]) -> list[str]:
    """The path with valid parameters, then with each parameter in turn made hostile."""
    template = route.path_format

    def build(values: dict[str, str]) -> str:
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        return path

    variants = [build(valid)]
    for name, definition in route.path_parameters.items():
        hostile = PATH_INT_VALUES if definition.type is int else PATH_TEXT_VALUES
        variants += [build({**valid, name: value}) for value in hostile]
    return variants


def declared_query(route) -> dict[str, int | None]:
    """The query parameters the GET handler declares, with their declared maximum lengths."""
    handler = route.route_handler_map["GET"][0]
    found = {"tiep": None}  # read by the login pages after a redirect
    for name, definition in handler.parsed_fn_signature.parameters.items():
        kwarg = definition.kwarg_definition
        if isinstance(kwarg, ParameterKwarg) and kwarg.query:
            found[kwarg.query] = kwarg.max_length
        elif isinstance(kwarg, ParameterKwarg) and not kwarg.header and not kwarg.cookie:
            found[name] = kwarg.max_length
    return found


def query_variants(declared: dict[str, int | None]) -> list[str]:
    names = sorted(declared)
    values = [quote(v) for v in [*TEXT_VALUES, "y" * 2_000]]
    queries = ["&".join(f"{n}={v}" for n in names) for v in values]
    queries.append("&".join(f"{n}=%FF%FEa%00" for n in names))
    past = {n: quote("é" * (length + 1)) for n, length in declared.items() if length}
    if past:
        queries.append("&".join(f"{n}={v}" for n, v in past.items()))
    return queries


def turned_away(response) -> bool:
    """A redirect to a login page or a refusal: this role never reaches the handler's body."""
    if response is None:
        return True
    location = response.headers.get("location", "") + response.headers.get("hx-redirect", "")
    return response.status_code in (401, 403) or "dang-nhap" in location


async def _send(walk: Walk, who: str, client: AsyncTestClient, method: str, url: str, **kw):
    try:
        response = await client.request(method, url, follow_redirects=False, **kw)
    except Exception as exc:  # an exception escaping the app is a 500 the user would see
        walk.failures.append(f"{who}\t{method}\t{url[:300]}\traised {type(exc).__name__}")
        return None
    walk.check(who, method, url, response)
    return response


def collect_forms(walk: Walk, routes, html: str) -> None:
    for form in FORM_RE.findall(html):
        action = ACTION_RE.search(form)
        if not action:
            continue
        target = action.group(1).split("?")[0].replace("&amp;", "&")
        for route in routes:
            if route_pattern(route.path_format).match(target):
                walk.fields.setdefault(route.path_format, set()).update(NAME_RE.findall(form))


async def walk_gets(walk: Walk, who: str, client, routes, valid) -> None:
    for route in routes:
        if "GET" not in route.methods:
            continue
        base, *hostile = path_variants(route, valid(route))
        response = await _send(walk, who, client, "GET", base)
        if response is not None and response.status_code == 200:
            collect_forms(walk, routes, response.text)
        for path in hostile:
            await _send(walk, who, client, "GET", path)
        if turned_away(response):
            continue
        for query in query_variants(declared_query(route)):
            await _send(walk, who, client, "GET", f"{base}?{query}")


def multipart(token: str, names: list[str], value: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [("_csrf_token", token.encode())] + [(n, value) for n in names]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n'.encode() + v + b"\r\n"
        for n, v in parts
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="tep"; filename="a.jpg"\r\n'.encode()
    )
    body += b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


async def walk_posts(walk: Walk, who: str, client, routes, valid, fallback: list[str]) -> None:
    for route in routes:
        if "POST" not in route.methods or (who != "anonymous" and route.path in NEVER_AS_LOGGED_IN):
            continue
        names = sorted(walk.fields.get(route.path_format, set(fallback)) - {"_csrf_token"})
        names = names or ["ghi_chu"]
        token = await token_of(client)
        paths = path_variants(route, valid(route))
        for path in paths[1:]:
            await _send(walk, who, client, "POST", path, data={"_csrf_token": token})
        first = await _send(walk, who, client, "POST", paths[0], data={"_csrf_token": token})
        if turned_away(first):
            continue
        for value in [*TEXT_VALUES, *long_values()]:
            data = {"_csrf_token": token, **dict.fromkeys(names, value)}
            await _send(walk, who, client, "POST", paths[0], data=data)
        big = {"_csrf_token": token, **dict.fromkeys(names[:1], MEGABYTE)}
        await _send(walk, who, client, "POST", paths[0], data=big)
        raw = f"_csrf_token={token}&".encode() + b"&".join(
            n.encode() + b"=%FF%FE%00" for n in names
        )
        headers = {"content-type": "application/x-www-form-urlencoded"}
        await _send(walk, who, client, "POST", paths[0], content=raw, headers=headers)
        for value in (INVALID_UTF8, b"a\x00b"):
            body, kind = multipart(token, names, value)
            await _send(
                walk, who, client, "POST", paths[0], content=body, headers={"content-type": kind}
            )


@pytest.fixture
async def people(demo_db):
    clients = Clients()
    try:
        yield clients
    finally:
        await clients.aclose()


async def _forget_counters() -> None:
    """The walk trips every per-address limit; later tests share the test client's address."""
    await RateLimit.delete(force=True).run()


async def test_no_route_answers_500_or_lacks_security_headers(people: Clients) -> None:
    applicant = await people.citizen()
    dossier: Submitted = await applicant.submit_dossier()
    draft = await applicant.start("P19")
    desk = await people.officer(ROLES["receptionist"])
    assert (await desk_act(desk, dossier.id, "receive")).status_code == 303
    sessions = {"anonymous": await people.new(), "citizen": applicant.client}
    for role, username in ROLES.items():
        sessions[role] = desk if role == "receptionist" else await people.officer(username)
    admin_id = await officer_id(ROLES["administrator"])
    step = draft.rsplit("/", 1)[1]
    draft_reference = re.search(r"/ho-so/([^/]+)/", draft).group(1)

    def valid(route) -> dict[str, str]:
        path = route.path_format
        values = {
            "reference": draft_reference if "/buoc/" in path else dossier.reference,
            "step_key": step,
            "dossier_id": str(dossier.id),
            "payment_id": "1",
            "message_id": "1",
            "officer_id": str(admin_id),
            "position": "0",
            "token": "khong-co",
            "kind": "phieu-tiep-nhan",
            "name": static_url("site.css").removeprefix("/static/"),
            "sig": signature(dossier.code),
            "code": dossier.code if path.startswith("/tra-cuu") else "P19",
        }
        return {name: values.get(name, "x") for name in route.path_parameters}

    app = create_app()
    routes = [r for r in app.routes if hasattr(r, "methods")]
    fallback = sorted({n for n in re.findall(r"[a-z_]+", " ".join(TEMPLATE_FIELDS))})
    walk = Walk()
    walk.patterns = [(r.path_format, route_pattern(r.path_format)) for r in routes]
    try:
        for who, client in sessions.items():
            await walk_gets(walk, who, client, routes, valid)
        for who, client in sessions.items():
            await walk_posts(walk, who, client, routes, valid, fallback)
            await _forget_counters()
        await _send(walk, "anonymous", sessions["anonymous"], "GET", "/khong-co-trang-nay")
    finally:
        await _forget_counters()
    assert walk.requests > 1000, walk.requests
    assert not walk.failures, f"{len(walk.failures)} of {walk.requests}:\n{walk.report()}"


# Field names of the fixed forms (wizard fields are found on the pages themselves).
TEMPLATE_FIELDS = (
    "ket_qua tiep q kenh ghi_chu co_quan cach_nhan cach xac_thuc xa vai_tro uu_tien tinh thu_tuc "
    "thong_bao_sms thong_bao_email thoat so_buu_gui phi ngay_hen_moi ngay muc_do ma ly_do "
    "linh_vuc hang chon_tinh cap can_bo cam_doan action ho_ten dinh_danh mat_khau nhap_lai "
    "ten_dang_nhap email dien_thoai so_dinh_danh ngay_sinh dia_chi"
)
