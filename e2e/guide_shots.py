"""Pictures for the help guides, taken from the live portal, and their manifest.

``python -m e2e.guide_shots`` runs ``e2e/test_guides.py`` with ``MOTCUA_GUIDE_SHOTS=1``: the
journeys then write every step's picture (WebP, 360×640, at most 40 KB) to ``static/guides/``
and its fingerprint to ``static/guides/manifest.json``. Without the variable, the same journeys
(part of the end-to-end suite) only recompute the fingerprints and fail when one differs from
the manifest: the guide's picture no longer shows the page as it is.

Every journey is walked twice, with JavaScript on and off. The JavaScript-off fingerprint of a
step is kept as ``nojs_fingerprint``; where it differs from the JavaScript-on one the page
looks different without JavaScript, and the step gets a second picture
(``Step.nojs_picture``) that the guide shows under the first. Where they agree, the one
picture holds for both and no second picture is kept.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

from app.domain.guides import MAX_PICTURE_BYTES, all_pictures, fingerprint

GUIDES_DIR = Path(__file__).resolve().parents[1] / "static" / "guides"
MANIFEST = GUIDES_DIR / "manifest.json"
WRITE = os.environ.get("MOTCUA_GUIDE_SHOTS") == "1"


def read_manifest() -> dict[str, dict]:
    if not MANIFEST.exists():
        return {}
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["pictures"]


def write_manifest(entries: dict[str, dict]) -> None:
    ordered = {name: entries[name] for name in all_pictures() if name in entries}
    text = json.dumps({"pictures": ordered}, ensure_ascii=False, indent=2, sort_keys=False)
    MANIFEST.write_text(text + "\n", encoding="utf-8")


def page_fingerprint(page: Page) -> tuple[str, str]:
    """The main heading and the fingerprint of what the page shows (see ``fingerprint``)."""
    main = page.locator("main")
    heading = main.get_by_role("heading", level=1).first.inner_text()
    # The options of a choice are data (the agencies of the province, which tests add to), so
    # only the field's own label counts, not each option's.
    controls = main.locator("button:visible, label:visible").evaluate_all(
        "els => els.filter(e => !e.closest('.choice')).map(e => e.innerText)"
    )
    return heading, fingerprint(heading, controls)


def webp(png: bytes, limit: int = MAX_PICTURE_BYTES) -> bytes:
    """A screenshot as WebP, at the best quality that stays within ``limit`` bytes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for quality in (70, 60, 50, 40, 30, 20):
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=quality, method=6)
        if buffer.tell() <= limit:
            return buffer.getvalue()
    raise ValueError(f"screenshot does not fit in {limit} bytes")


def nojs_name(picture: str) -> str:
    return picture.removesuffix(".webp") + "-khong-js.webp"


class Shots:
    """Collects, step by step, what each guide picture shows; writes it when asked to.
    ``javascript``: whether the journey runs with JavaScript on (the main pictures) or off."""

    def __init__(self, javascript: bool = True) -> None:
        self.javascript = javascript
        self.key = "fingerprint" if javascript else "nojs_fingerprint"
        self.seen: dict[str, dict] = {}

    def take(self, page: Page, picture: str) -> None:
        heading, print_ = page_fingerprint(page)
        entry = {"heading" if self.javascript else "nojs_heading": heading, self.key: print_}
        if WRITE:
            entry.update(self._write(page, picture, print_))
        self.seen[picture] = entry

    def _write(self, page: Page, picture: str, print_: str) -> dict:
        if self.javascript:
            body = webp(page.screenshot(type="png"))
            (GUIDES_DIR / picture).write_bytes(body)
            return {"bytes": len(body)}
        second = GUIDES_DIR / nojs_name(picture)
        if read_manifest().get(picture, {}).get("fingerprint") == print_:
            second.unlink(missing_ok=True)  # the same page: the one picture holds
            return {"nojs_bytes": 0}
        body = webp(page.screenshot(type="png"))
        second.write_bytes(body)
        return {"nojs_bytes": len(body)}

    def finish(self) -> list[str]:
        """Write mode: store the fingerprints. Check mode: the pictures whose page changed."""
        manifest = read_manifest()
        if WRITE:
            merged = {k: {**manifest.get(k, {}), **v} for k, v in self.seen.items()}
            write_manifest({**manifest, **merged})
            return []
        return [
            f"{name} ({'JavaScript on' if self.javascript else 'JavaScript off'}): the page now "
            f"shows “{next(iter(seen.values()))}” ({seen[self.key]}), the picture shows "
            f"{manifest.get(name, {}).get(self.key, 'nothing')}"
            for name, seen in self.seen.items()
            if manifest.get(name, {}).get(self.key) != seen[self.key]
        ]


def main() -> int:
    """Take every guide's pictures anew from a live portal on the demo database."""
    env = {**os.environ, "MOTCUA_GUIDE_SHOTS": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        str(Path(__file__).with_name("test_guides.py")),
    ]
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
