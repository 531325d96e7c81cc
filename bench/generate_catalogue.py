"""A large catalogue in the import format (app/domain/catalogue_import.py), for load tests.

Every generated procedure is a clone of one demo procedure (steps, dossier components, fees,
time limits) under a new id ``G00001``…, a new national code and a realistic name: a real
procedure name ("stem") plus a qualifier of the kind provincial catalogues use ("có yếu tố nước
ngoài", "trường hợp ủy quyền", "(liên thông điện tử)"). Stems are spread evenly, so a query
matches about as many procedures as the stems it names: ``đăng ký`` about a third of the
catalogue, ``chứng thực bản sao`` a few percent. Output is deterministic for a given seed.

Standalone: ``python bench/generate_catalogue.py OUT.json [--count 5000] [--seed N]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO_CATALOGUE = ROOT / "app" / "demo" / "catalogue.json"
DEFAULT_SEED = 20261122


@dataclass(frozen=True)
class Stem:
    name: str
    sector: str  # "linh_vuc", several separated by ";"
    sector_en: str
    levels: tuple[str, ...]
    agency: str


COMMUNE = "Ủy ban nhân dân cấp xã"
PROVINCE_CENTRE = "Trung tâm Phục vụ hành chính công tỉnh"

# Real procedure names outside the demo catalogue, with their sectors (lĩnh vực).
EXTRA_STEMS = [
    Stem("Đăng ký việc nuôi con nuôi trong nước", "Nuôi con nuôi", "Adoption", ("xa",), COMMUNE),
    Stem("Đăng ký lại kết hôn", "Hộ tịch", "Civil status", ("xa",), COMMUNE),
    Stem("Đăng ký lại khai tử", "Hộ tịch", "Civil status", ("xa",), COMMUNE),
    Stem("Đăng ký chấm dứt giám hộ", "Hộ tịch", "Civil status", ("xa",), COMMUNE),
    Stem(
        "Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan "
        "có thẩm quyền của nước ngoài",
        "Hộ tịch",
        "Civil status",
        ("xa",),
        COMMUNE,
    ),
    Stem("Xóa đăng ký thường trú", "Đăng ký, quản lý cư trú", "Residence", ("xa",), "Công an xã"),
    Stem("Gia hạn tạm trú", "Đăng ký, quản lý cư trú", "Residence", ("xa",), "Công an xã"),
    Stem("Khai báo tạm vắng", "Đăng ký, quản lý cư trú", "Residence", ("xa",), "Công an xã"),
    Stem(
        "Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú",
        "Đăng ký, quản lý cư trú",
        "Residence",
        ("xa",),
        "Công an xã",
    ),
    Stem(
        "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "Đường bộ",
        "Road transport",
        ("tinh",),
        "Sở Xây dựng",
    ),
    Stem("Cấp lại giấy phép lái xe", "Đường bộ", "Road transport", ("tinh",), "Sở Xây dựng"),
    Stem(
        "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ",
        "Đường bộ",
        "Road transport",
        ("tinh",),
        "Sở Xây dựng",
    ),
    Stem(
        "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
        "Khám bệnh, chữa bệnh",
        "Medical practice",
        ("tinh",),
        "Sở Y tế",
    ),
    Stem(
        "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược",
        "Dược phẩm",
        "Pharmaceuticals",
        ("tinh",),
        "Sở Y tế",
    ),
    Stem(
        "Cấp thẻ bảo hiểm y tế cho người thuộc hộ gia đình nghèo",
        "Bảo hiểm y tế",
        "Health insurance",
        ("xa",),
        "Bảo hiểm xã hội cơ sở",
    ),
    Stem(
        "Chuyển trường đối với học sinh trung học cơ sở",
        "Giáo dục trung học",
        "Secondary education",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Văn bằng, chứng chỉ",
        "Diplomas and certificates",
        ("xa", "tinh"),
        "Cơ sở giáo dục đã cấp văn bằng",
    ),
    Stem(
        "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "Văn bằng, chứng chỉ",
        "Diplomas and certificates",
        ("tinh",),
        "Sở Giáo dục và Đào tạo",
    ),
    Stem("Giải quyết hưởng trợ cấp thất nghiệp", "Việc làm", "Employment", ("tinh",), "Sở Nội vụ"),
    Stem("Đăng ký nội quy lao động", "Lao động", "Labour", ("tinh",), "Sở Nội vụ"),
    Stem(
        "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "Lao động",
        "Labour",
        ("tinh",),
        "Sở Nội vụ",
    ),
    Stem(
        "Đăng ký đất đai, tài sản gắn liền với đất lần đầu",
        "Đất đai",
        "Land",
        ("xa", "tinh"),
        "Văn phòng đăng ký đất đai",
    ),
    Stem(
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Đất đai",
        "Land",
        ("tinh",),
        "Văn phòng đăng ký đất đai",
    ),
    Stem("Chuyển mục đích sử dụng đất", "Đất đai", "Land", ("xa",), COMMUNE),
    Stem("Tách thửa hoặc hợp thửa đất", "Đất đai", "Land", ("tinh",), "Văn phòng đăng ký đất đai"),
    Stem("Đăng ký môi trường", "Môi trường", "Environment", ("xa",), COMMUNE),
    Stem(
        "Cấp giấy phép khai thác, sử dụng nước dưới đất",
        "Tài nguyên nước",
        "Water resources",
        ("tinh",),
        "Sở Nông nghiệp và Môi trường",
    ),
    Stem(
        "Cấp giấy phép bán lẻ rượu",
        "Lưu thông hàng hóa trong nước",
        "Domestic trade",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Cấp giấy phép bán lẻ sản phẩm thuốc lá",
        "Lưu thông hàng hóa trong nước",
        "Domestic trade",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "An toàn thực phẩm",
        "Food safety",
        ("tinh",),
        "Sở Công Thương",
    ),
    Stem("Thông báo tổ chức lễ hội", "Văn hóa cơ sở", "Grassroots culture", ("xa",), COMMUNE),
    Stem(
        "Cấp giấy phép tổ chức biểu diễn nghệ thuật",
        "Nghệ thuật biểu diễn",
        "Performing arts",
        ("tinh",),
        "Sở Văn hóa, Thể thao và Du lịch",
    ),
    Stem(
        "Cấp giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
        "Thú y",
        "Veterinary",
        ("tinh",),
        "Chi cục Chăn nuôi và Thú y",
    ),
    Stem(
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai",
        "Phòng, chống thiên tai",
        "Disaster prevention",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Người có công", "Veterans", ("xa",), COMMUNE
    ),
    Stem(
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "Bảo trợ xã hội",
        "Social protection",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Bảo trợ xã hội",
        "Social protection",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
        "Thành lập và hoạt động doanh nghiệp",
        "Enterprise registration",
        ("tinh",),
        "Sở Tài chính",
    ),
    Stem(
        "Thông báo tạm ngừng kinh doanh",
        "Thành lập và hoạt động doanh nghiệp",
        "Enterprise registration",
        ("tinh",),
        "Sở Tài chính",
    ),
    Stem(
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "Household business",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Chấm dứt hoạt động hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "Household business",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Cấp giấy phép sửa chữa, cải tạo công trình",
        "Hoạt động xây dựng",
        "Construction",
        ("xa",),
        COMMUNE,
    ),
    Stem("Điều chỉnh giấy phép xây dựng", "Hoạt động xây dựng", "Construction", ("xa",), COMMUNE),
    Stem(
        "Chứng thực hợp đồng, giao dịch liên quan đến nhà ở",
        "Chứng thực",
        "Certification",
        ("xa",),
        COMMUNE,
    ),
    Stem(
        "Sửa lỗi sai sót trong hợp đồng, giao dịch đã được chứng thực",
        "Chứng thực",
        "Certification",
        ("xa",),
        COMMUNE,
    ),
]

# Who or which case a variant is for; "" keeps the plain name.
SCOPES = [
    "",
    "đối với công dân Việt Nam cư trú ở nước ngoài",
    "có yếu tố nước ngoài",
    "cho người nước ngoài thường trú tại Việt Nam",
    "tại khu vực biên giới",
    "cho người dân tộc thiểu số",
    "cho hộ nghèo, hộ cận nghèo",
    "cho người có công với cách mạng",
    "cho người khuyết tật",
    "cho người cao tuổi",
    "trường hợp hồ sơ bị thất lạc",
    "trường hợp đã quá thời hạn",
    "trường hợp thay đổi nơi cư trú",
    "trường hợp có tranh chấp",
    "trường hợp ủy quyền",
    "theo yêu cầu của Tòa án",
    "qua dịch vụ bưu chính công ích",
    "trên Cổng Dịch vụ công quốc gia",
    "tại Bộ phận Một cửa cấp xã",
    "tại Trung tâm Phục vụ hành chính công tỉnh",
    "trong khu công nghiệp, khu kinh tế",
    "cho cán bộ, chiến sĩ lực lượng vũ trang",
    "cho học sinh, sinh viên",
    "cho người lao động tự do",
    "cho doanh nghiệp nhỏ và vừa",
    "cho hợp tác xã",
    "tại vùng đồng bào dân tộc thiểu số và miền núi",
    "ở xã đảo",
    "lần đầu",
    "cấp lại do bị mất, hư hỏng",
    "điều chỉnh thông tin",
    "gia hạn",
]
NOTES = [
    "",
    " (thủ tục rút gọn)",
    " (liên thông điện tử)",
    " (áp dụng từ ngày 01/7/2025)",
    " – giai đoạn chuyển tiếp",
    " (thí điểm)",
]
ONLINE = ["toan_trinh"] * 5 + ["mot_phan"] * 4 + ["khong"]


def load_demo(path: Path = DEMO_CATALOGUE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _stems(demo: list[dict[str, Any]]) -> list[tuple[Stem, dict[str, Any]]]:
    """Every stem with the demo procedure it is cloned from."""
    pairs = [
        (
            Stem(
                p["ten"],
                p["linh_vuc"],
                p.get("field_en") or "",
                tuple(p["cap_thuc_hien"]),
                p.get("co_quan_thuc_hien") or COMMUNE,
            ),
            p,
        )
        for p in demo
    ]
    pairs += [(stem, demo[i % len(demo)]) for i, stem in enumerate(EXTRA_STEMS)]
    return pairs


def _repeats(name: str, scope: str) -> bool:
    """Whether ``scope`` would repeat the name ("Gia hạn tạm trú" + "gia hạn")."""
    head = " ".join(scope.split()[:2]).casefold()
    return bool(head) and head in name.casefold()


def generate(
    demo_document: dict[str, Any], count: int = 5000, seed: int = DEFAULT_SEED
) -> dict[str, Any]:
    """A catalogue document of ``count`` procedures ``G00001``… cloned from the demo ones."""
    rng = random.Random(seed)
    demo = demo_document["procedures"]
    stems = _stems(demo)
    variants = [(scope, note) for scope in SCOPES for note in NOTES]
    # Per stem, its distinct names in a random order, the plain name first.
    seen: set[str] = set()
    names: list[list[str]] = []
    for stem, _ in stems:
        rest = [v for v in variants[1:] if not _repeats(stem.name, v[0])]
        rng.shuffle(rest)
        own = []
        for scope, note in [variants[0], *rest]:
            name = " ".join(part for part in (stem.name, scope) if part) + note
            if name not in seen:
                seen.add(name)
                own.append(name)
        names.append(own)
    # Deal the stems round-robin, so each one gets about count / len(stems) procedures.
    order = list(range(len(stems)))
    rng.shuffle(order)
    picks: list[tuple[int, str]] = []
    for depth in range(max(len(own) for own in names)):
        picks += [(k, names[k][depth]) for k in order if depth < len(names[k])]
        if len(picks) >= count:
            break
    if len(picks) < count:
        raise ValueError(f"at most {len(picks)} distinct names")
    procedures = []
    for n, (k, name) in enumerate(picks[:count]):
        stem, template = stems[k]
        p = copy.deepcopy(template)
        for key in ("sources", "approximate_fields", "ma_dvc_hint"):
            p.pop(key, None)
        p.update(
            id=f"G{n + 1:05d}",
            ma_tthc=f"{rng.choice('123')}.{rng.randint(1, 12999):06d}",
            ten=name,
            name_en=template.get("name_en", "") if stem.name == template["ten"] else "",
            linh_vuc=stem.sector,
            field_en=stem.sector_en,
            cap_thuc_hien=list(stem.levels),
            co_quan_thuc_hien=stem.agency,
            muc_do_dvc=rng.choice(ONLINE),
            luot_su_dung=min(250_000, int(rng.paretovariate(1.1) * 40)),
        )
        procedures.append(p)
    return {
        "schema_version": demo_document.get("schema_version", "1.0"),
        "description": f"{count} procedures generated by bench/generate_catalogue.py (seed {seed})",
        "procedures": procedures,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    document = generate(load_demo(), args.count, args.seed)
    args.out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    print(f"{args.out}: {len(document['procedures'])} procedures")


if __name__ == "__main__":
    main()
