"""What people type, as data: synonyms that rewrite a query, and words that say little.

Keys and values are folded (lower case, no diacritics, "đ" → "d"), see ``search.fold``.
"""

from __future__ import annotations

# A phrase people type → the words the catalogue uses. Longer phrases are tried first.
SYNONYMS: dict[str, str] = {
    "giay khai sinh": "khai sinh",
    "lam giay khai sinh": "dang ky khai sinh",
    "lam khai sinh": "dang ky khai sinh",
    "giay chung tu": "khai tu",
    "giay ket hon": "ket hon",
    "giay xac nhan doc than": "xac nhan tinh trang hon nhan",
    "doc than": "tinh trang hon nhan",
    "ho khau": "thuong tru cu tru",
    "nhap khau": "thuong tru",
    "so do": "quyen su dung dat",
    "so hong": "quyen su dung dat nha o",
    "sang ten": "bien dong quyen su dung dat",
    "cong chung": "chung thuc",
    "sao y": "chung thuc ban sao",
    "photo cong chung": "chung thuc ban sao",
    "giay phep kinh doanh": "ho kinh doanh",
    "mo cua hang": "ho kinh doanh",
    "mo cong ty": "thanh lap doanh nghiep",
    "xin phep xay nha": "giay phep xay dung",
    "xay nha": "giay phep xay dung",
    "ly lich": "ly lich tu phap",
    "tro cap": "tro cap xa hoi",
}

# Words that appear in most procedure names or in everyday requests: they count for less
# than the distinctive ones when ranking.
WEAK_WORDS: frozenset[str] = frozenset(
    {
        "giay",
        "thu",
        "tuc",
        "cap",
        "dang",
        "ky",
        "lam",
        "xin",
        "nop",
        "ho",
        "so",
        "cho",
        "va",
        "cua",
        "o",
        "tai",
        "the",
        "nao",
        "muon",
        "can",
        "toi",
    }
)
