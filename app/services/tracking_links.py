"""Signed tracking links: the receipt's QR code opens a dossier without the second factor.

The signature is an HMAC of the dossier code with the secret key, so it cannot be forged, and a
signature made for one dossier is worthless for any other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from app.settings import get_settings


def signature(code: str) -> str:
    mac = hmac.new(get_settings().secret_key.encode(), f"track:{code}".encode(), hashlib.sha256)
    return base64.b32encode(mac.digest()[:15]).decode().lower()


def is_valid_signature(code: str, candidate: str) -> bool:
    """False for anything but the right signature, including non-ASCII text (never an error)."""
    if not candidate.isascii() or not code.isascii():
        return False
    return hmac.compare_digest(signature(code), candidate.lower())


def tracking_path(code: str) -> str:
    return f"/tra-cuu/{code}/{signature(code)}"


def tracking_url(code: str) -> str:
    return get_settings().public_url + tracking_path(code)
