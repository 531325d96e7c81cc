"""Vietnam's administrative units (34 provinces, 3,321 communes since 1 July 2025).

Reference data from the maintained ``vietnam-provinces`` package, never a hand-typed list.
"""

from __future__ import annotations

from functools import lru_cache

import vietnam_provinces as vp

from app.domain.search import fold


@lru_cache(maxsize=1)
def provinces() -> list[tuple[int, str]]:
    return sorted(((int(p.code), p.name) for p in vp.Province.iter_all()), key=lambda p: fold(p[1]))


@lru_cache(maxsize=64)
def wards(province_code: int) -> list[tuple[int, str]]:
    try:
        code = vp.ProvinceCode(province_code)
    except ValueError:
        return []
    return sorted(
        ((int(w.code), w.name) for w in vp.Ward.iter_by_province(code)), key=lambda w: fold(w[1])
    )


def province_name(code: int | None) -> str:
    return dict(provinces()).get(code or 0, "")


def ward_name(code: int | None) -> str:
    if not code:
        return ""
    try:
        return vp.Ward.from_code(code).name
    except (ValueError, KeyError):
        return ""


def ward_in_province(ward_code: int, province_code: int) -> bool:
    return any(code == ward_code for code, _ in wards(province_code))


def full_address(street: str, ward_code: int | None, province_code: int | None) -> str:
    return ", ".join(p for p in (street, ward_name(ward_code), province_name(province_code)) if p)
