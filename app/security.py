"""The portal's security policy: CSRF tokens, security headers on every response, cookie flags
for https.

The headers are added by a ``before_send`` hook, so they reach every answer: pages, error pages
(404, 403, 500), redirects and static files alike. A response that sets one of them itself (the
tracking pages ask for ``Referrer-Policy: no-referrer``) keeps its own value.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from app.services.sessions import COOKIE
from app.settings import CSRF_COOKIE, get_settings

HSTS = "max-age=63072000; includeSubDomains"
# Paths whose pages show one person's data, whoever asks; any page seen with a session too.
PERSONAL_PREFIXES = (
    "/ho-so",
    "/tai-khoan",
    "/mot-cua",
    "/quan-tri",
    "/dat-lai-mat-khau",
    "/thanh-toan",
    "/tra-cuu",
)


@lru_cache(maxsize=4)
def content_security_policy(gateway_url: str) -> str:
    """Forms may post only to the portal and to the payment gateway.

    The pay button's answer is a 303 to the gateway, and browsers apply ``form-action`` to the
    redirects that a form submission follows."""
    gateway = urlsplit(gateway_url)
    gateway_origin = f"{gateway.scheme}://{gateway.netloc}" if gateway.netloc else ""
    form_action = " ".join(filter(None, ["'self'", gateway_origin]))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"frame-ancestors 'none'; form-action {form_action}; base-uri 'self'"
    )


def is_https() -> bool:
    return get_settings().public_url.startswith("https://")


def csrf_config() -> CSRFConfig:
    """Every unsafe request carries the token of the page it came from (double-submit cookie);
    the cookie is readable by the page's script because HTMX sends it back as a header."""
    return CSRFConfig(
        secret=get_settings().secret_key,
        cookie_name=CSRF_COOKIE,
        cookie_httponly=False,
        cookie_secure=is_https(),
    )


@lru_cache(maxsize=4)
def security_headers(gateway_url: str, https: bool) -> tuple[tuple[str, str], ...]:
    headers = [
        ("Content-Security-Policy", content_security_policy(gateway_url)),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return tuple(headers)


def is_personal(scope: Scope) -> bool:
    path = scope.get("path", "")
    if path.startswith("/static/"):
        return False
    if path.startswith(PERSONAL_PREFIXES):
        return True
    cookie = next((v for k, v in scope.get("headers", ()) if k == b"cookie"), b"")
    return COOKIE.encode() + b"=" in cookie


async def before_send(message: Message, scope: Scope) -> None:
    """Add the security headers to the start of every HTTP response."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    settings = get_settings()
    for name, value in security_headers(settings.gateway_url, is_https()):
        if name not in headers:
            headers[name] = value
    if is_personal(scope) and "cache-control" not in headers:
        headers["Cache-Control"] = "no-store"
