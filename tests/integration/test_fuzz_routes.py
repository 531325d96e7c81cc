"""Every route the app declares, anonymous and as each role, with hostile values.

The routes come from Litestar's own route table, so a new route is fuzzed without editing this
file. Each path parameter, query field and form field gets values chosen per kind: invalid UTF-8
bytes, NUL and control characters, non-Latin digits, integers past 2^31 and 2^63, strings one
past each declared length and of 1 MB, template and SQL strings. Requests carry a valid CSRF
token so the handlers are really reached. No answer may be a 500, and every answer (pages,
errors, redirects, static files) carries the security headers.

To stay fast the walk sends every route its valid request as every role, learns which roles
reach the handler, and then shares the hostile values out: each family of values goes to each
route and parameter once, sent by one of the roles that reach it in turn (a route only the
citizen reaches gets them all from the citizen). Within a family the value is picked per route
and parameter, so across the routes every value of the family is sent.
"""

from __future__ import annotations

import itertools
import re
import uuid
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
import pytest
from litestar.params import ParameterKwarg
from litestar.testing import AsyncTestClient

from app.domain import limits
from app.main import create_app
from app.models import RateLimit
from app.routes.static import static_url
from app.services.tracking_links import signature
from app.settings import get_settings
from tests.integration.builders import (
    DEMO_PASSWORD,
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
# Families of hostile text: one value of each family reaches every parameter of every route.
TEXT_FAMILIES = {
    "nul": ["a\x00b"],
    "control": ["a\x01\x08\x1b\x7f\u200eb"],
    "non-latin digits": ["١٢٣٤", "१२३४", "１２３４"],
    "template": ["{{7*7}}"],
    "sql": ["' OR '1'='1' --; DROP TABLE dossier; --"],
    "huge integer": HUGE_INTS,
}
PATH_TEXT_FAMILIES = {
    "nul": ["%00", "a%00b"],
    "control": ["%01%1b"],
    "invalid utf-8": ["%FF%FE"],
    "non-latin digits": [quote("١٢٣٤"), quote("१२३४"), quote("１２３４")],
    "non-ascii": [quote("ée")],
    "template or sql": [quote("{{7*7}}"), quote("' OR 1=1 --")],
    "long": ["x" * 300],
}
PATH_INT_FAMILIES = {
    "past 2^31": [str(2**31)],
    "past 2^63": [str(2**63), "9" * 20, str(2**64)],
    "negative": ["-1"],
    "non-latin digits": [quote("١٢٣٤"), quote("１２３４")],
}
INVALID_UTF8 = b"\xff\xfe\xfa\xc3\x28"
BASE = "http://testserver.local"
FORM_TYPE = "application/x-www-form-urlencoded"
MEGABYTE = "x" * 1_000_000
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")
FORM_RE = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
ACTION_RE = re.compile(r'action="([^"]*)"')
NAME_RE = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)


LENGTHS = sorted(set(limits.ALL.values()))


def pick(values: list[str], *key: str) -> str:
    """One value of a family for this route and parameter (the same on every run)."""
    return values[zlib.crc32("|".join(key).encode()) % len(values)]


def one_past(route: str, name: str) -> str:
    """One character past the field's declared length; a field with none gets one past one of
    the declared lengths, picked per route and field (every length is sent somewhere)."""
    length = limits.FORM_FIELDS.get(name) or int(pick([str(n) for n in LENGTHS], route, name))
    return "é" * (length + 1)


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
    """The path with valid parameters, then with each parameter in turn made hostile: one
    value of each family."""
    template = route.path_format

    def build(values: dict[str, str]) -> str:
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        return path

    variants = [build(valid)]
    for name, definition in route.path_parameters.items():
        families = PATH_INT_FAMILIES if definition.type is int else PATH_TEXT_FAMILIES
        for values in families.values():
            variants.append(build({**valid, name: pick(values, template, name)}))
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


def query_variants(route: str, declared: dict[str, int | None]) -> list[str]:
    """One query per family (every parameter at once), a 2,000-character one, invalid UTF-8,
    and one past each declared maximum."""
    names = sorted(declared)
    queries = [
        "&".join(f"{n}={quote(pick(values, route, n))}" for n in names)
        for values in TEXT_FAMILIES.values()
    ]
    queries.append("&".join(f"{n}={'y' * 2_000}" for n in names))
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


def senders(reached: list[str], fallback: str, route: str) -> Iterator[str]:
    """The roles that send a route's hostile requests in turn, from a place picked per route."""
    who = reached or [fallback]
    start = zlib.crc32(route.encode())
    return (who[(start + i) % len(who)] for i in itertools.count())


async def walk_gets(walk: Walk, sessions: dict, routes, valid) -> None:
    for route in routes:
        if "GET" not in route.methods:
            continue
        base, *hostile = path_variants(route, valid(route))
        reached = []
        for who, client in sessions.items():
            response = await _send(walk, who, client, "GET", base)
            if response is not None and response.status_code == 200:
                collect_forms(walk, routes, response.text)
            if not turned_away(response):
                reached.append(who)
        if reached:
            queries = query_variants(route.path_format, declared_query(route))
            hostile += [f"{base}?{query}" for query in queries]
        turns = senders(reached, "anonymous", route.path_format)
        for who, path in zip(turns, hostile, strict=False):
            await _send(walk, who, sessions[who], "GET", path)


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


def hostile_bodies(route: str, names: list[str]) -> list:
    """Each body as a function of the CSRF token: one per text family (every field at once),
    every field one past its declared length, 1 MB in the first field, invalid UTF-8 and NUL
    bytes url-encoded and in multipart."""
    bodies: list = []
    for values in TEXT_FAMILIES.values():
        fields = {n: pick(values, route, n) for n in names}
        bodies.append(lambda token, fields=fields: {"data": {"_csrf_token": token, **fields}})
    long = {n: one_past(route, n) for n in names}
    bodies.append(lambda token: {"data": {"_csrf_token": token, **long}})
    bodies.append(lambda token: {"data": {"_csrf_token": token, names[0]: MEGABYTE}})

    def raw(token: str) -> dict:
        content = f"_csrf_token={token}&".encode() + b"&".join(
            n.encode() + b"=%FF%FE%00" for n in names
        )
        return {"content": content, "headers": {"content-type": FORM_TYPE}}

    bodies.append(raw)
    for value in (INVALID_UTF8, b"a\x00b"):

        def parts(token: str, value: bytes = value) -> dict:
            body, kind = multipart(token, names, value)
            return {"content": body, "headers": {"content-type": kind}}

        bodies.append(parts)
    return bodies


async def walk_posts(walk: Walk, sessions: dict, routes, valid, fallback: list[str]) -> None:
    for route in routes:
        if "POST" not in route.methods:
            continue
        names = sorted(walk.fields.get(route.path_format, set(fallback)) - {"_csrf_token"})
        names = names or ["ghi_chu"]
        base, *paths = path_variants(route, valid(route))
        allowed = [w for w in sessions if w == "anonymous" or route.path not in NEVER_AS_LOGGED_IN]
        tokens = {who: await token_of(sessions[who]) for who in allowed}
        reached = []
        for who in allowed:
            first = await _send(
                walk, who, sessions[who], "POST", base, data={"_csrf_token": tokens[who]}
            )
            if not turned_away(first):
                reached.append(who)
        requests = [(path, lambda token: {"data": {"_csrf_token": token}}) for path in paths]
        if reached:
            requests += [(base, body) for body in hostile_bodies(route.path_format, names)]
        turns = senders(reached, allowed[0], route.path_format)
        for who, (path, body) in zip(turns, requests, strict=False):
            await _send(walk, who, sessions[who], "POST", path, **body(tokens[who]))
        await _forget_counters()


@pytest.fixture
async def people(demo_db):
    clients = Clients()
    try:
        yield clients
    finally:
        await clients.aclose()


@asynccontextmanager
async def walkers(app, applicant: AsyncTestClient) -> AsyncIterator[dict]:
    """The walk's browsers, one per role, all in this event loop on one app instance, so they
    share one connection pool on PostgreSQL (the test settings otherwise open a connection
    per query, which makes the walk several times slower)."""
    from app.piccolo_conf import DB

    pooled = get_settings().is_postgres
    if pooled:
        await DB.start_connection_pool(min_size=1, max_size=4)
    opened: list[httpx.AsyncClient] = []

    def browser(cookies=None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=("198.51.100.250", 50_000))
        opened.append(httpx.AsyncClient(transport=transport, base_url=BASE, cookies=cookies))
        return opened[-1]

    try:
        sessions = {"anonymous": browser(), "citizen": browser(applicant.cookies)}
        for role, username in ROLES.items():
            sessions[role] = officer = browser()
            data = {"ten_dang_nhap": username, "mat_khau": DEMO_PASSWORD}
            data["_csrf_token"] = await token_of(officer)
            answer = await officer.post("/mot-cua/dang-nhap", data=data)
            assert answer.status_code == 303, f"{username} could not log in"
        yield sessions
    finally:
        for client in opened:
            await client.aclose()
        if pooled:
            await DB.close_connection_pool()


async def _forget_counters() -> None:
    """The walk trips every per-address limit; later tests share the test client's address."""
    await RateLimit.delete(force=True).run()


async def test_no_route_answers_500_or_lacks_security_headers(people: Clients) -> None:
    applicant = await people.citizen()
    dossier: Submitted = await applicant.submit_dossier()
    draft = await applicant.start("P19")
    desk = await people.officer(ROLES["receptionist"])
    assert (await desk_act(desk, dossier.id, "receive")).status_code == 303
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
        async with walkers(app, applicant.client) as sessions:
            await walk_gets(walk, sessions, routes, valid)
            await walk_posts(walk, sessions, routes, valid, fallback)
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
