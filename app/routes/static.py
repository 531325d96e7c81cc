"""Static files under content-hashed names, precompressed once, cached for a year."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    url: str
    body: bytes
    gzipped: bytes
    media_type: str


def _load_assets() -> tuple[dict[str, Asset], dict[str, str]]:
    assets: dict[str, Asset] = {}
    urls: dict[str, str] = {}
    for path in sorted(STATIC_DIR.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(STATIC_DIR).as_posix()
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:10]
        stem, dot, ext = name.rpartition(".")
        hashed = f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type == "application/javascript":
            media_type += "; charset=utf-8"
        url = f"/static/{hashed}"
        assets[hashed] = Asset(url, body, gzip.compress(body, 9, mtime=0), media_type)
        urls[name] = url
    return assets, urls


ASSETS, URLS = _load_assets()


def static_url(name: str) -> str:
    """The hashed URL of a file under static/, for templates."""
    return URLS[name]


@get("/static/{name:path}", name="static", include_in_schema=False, exclude_from_csrf=True)
async def static_file(request: Request, name: FromPath[str]) -> Response[bytes]:
    asset = ASSETS.get(name.lstrip("/"))
    if asset is None:
        raise NotFoundException()
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)
