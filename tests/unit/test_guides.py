"""The guides' data and the fingerprint that tells when a guide picture is out of date."""

import json
from pathlib import Path

from PIL import Image

from app.domain.guides import GUIDES, MAX_PICTURE_BYTES, all_pictures, fingerprint, guide

GUIDES_DIR = Path(__file__).resolve().parents[2] / "static" / "guides"


def test_a_fingerprint_ignores_numbers_and_spacing_but_not_texts_or_their_order():
    base = fingerprint("Hồ sơ 000.00.32.H99-261203-0001", ["Gửi bổ sung", "Ghi chú"])
    assert base == fingerprint("Hồ sơ 000.00.32.H99-261204-0117", ["Gửi  bổ sung", "Ghi chú "])
    assert base != fingerprint("Hồ sơ 000.00.32.H99-261203-0001", ["Gửi", "Ghi chú"])
    assert base != fingerprint("Hồ sơ 000.00.32.H99-261203-0001", ["Ghi chú", "Gửi bổ sung"])
    assert base != fingerprint("Hồ sơ đã nộp", ["Gửi bổ sung", "Ghi chú"])


def test_the_three_journeys_have_guides_with_distinct_pictures_and_spoken_steps():
    assert [g.slug for g in GUIDES] == ["nop-ho-so", "bo-sung", "tra-cuu-thanh-toan"]
    assert len(set(all_pictures())) == len(all_pictures())
    assert guide("bo-sung") is GUIDES[1] and guide("khong-co") is None
    for step in (s for g in GUIDES for s in g.steps):
        assert step.title in step.alt and step.text in step.alt


def test_every_picture_is_committed_small_webp_at_phone_size_and_in_the_manifest():
    manifest = json.loads((GUIDES_DIR / "manifest.json").read_text(encoding="utf-8"))["pictures"]
    assert list(manifest) == all_pictures()
    for name in all_pictures():
        path = GUIDES_DIR / name
        assert path.stat().st_size <= MAX_PICTURE_BYTES, name
        with Image.open(path) as image:
            assert (image.format, image.size) == ("WEBP", (360, 640)), name
        assert len(manifest[name]["fingerprint"]) == 16
