"""The public figures and the Decision 766 self-assessment, from a report's total row.

Pure. Raw counts in, ratios out (never stored). A figure whose denominator is 0 has no value
("chưa có dữ liệu"). The citizen's voice (satisfaction, PAKN handled on time, dossiers with a
"không hài lòng" or a PAKN) is counted by app/services/feedback_figures.py and passed in as
a ``Voice`` of ratios.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        v = self.value
        return None if v is None else round(100 * v, 2)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    ratio: Ratio | None  # None: no source
    target_percent: float | None = None
    unit: str = "%"

    @property
    def meets_target(self) -> bool | None:
        if self.target_percent is None or self.ratio is None or self.ratio.percent is None:
            return None
        return self.ratio.percent >= self.target_percent


@dataclass(frozen=True)
class Voice:
    """What ratings and PAKN say for the same agencies and period (None: not counted)."""

    satisfaction: Ratio | None = None  # "rất hài lòng" + "hài lòng" / ratings
    complaints_on_time: Ratio | None = None  # PAKN handled (or open) within time / PAKN
    flagged: Ratio | None = None  # resolved dossiers with a "không hài lòng" or a PAKN


# The province's targets in percent (a provincial plan sets them); override with
# MOTCUA_STATISTICS_TARGETS='{"online_share": 30, ...}'.
DEFAULT_TARGETS: dict[str, float] = {
    "on_time": 95.0,
    "online_share": 20.0,
    "online_payment": 50.0,
    "procedures_with_online": 50.0,
    "satisfaction": 90.0,
    "complaints_on_time": 100.0,
}


def on_time(cells: Mapping[str, int]) -> Ratio:
    """766 indicator 2.1: (resolved early or on time + open within time) / (resolved + open)."""
    return Ratio(cells["c8"] + cells["c9"] + cells["c12"], cells["c7"] + cells["c11"])


def public_figures(
    cells: Mapping[str, int],
    procedures_online: int,
    online_procedures: int,
    voice: Voice = Voice(),
    targets: Mapping[str, float] = DEFAULT_TARGETS,
) -> list[Figure]:
    received = cells["c4"] + cells["c5"]
    return [
        Figure(
            "on_time", "Tỷ lệ hồ sơ giải quyết đúng hạn", on_time(cells), targets.get("on_time")
        ),
        Figure(
            "online_share",
            "Tỷ lệ hồ sơ nộp trực tuyến",
            Ratio(cells["c4"], received),
            targets.get("online_share"),
        ),
        Figure(
            "online_payment",
            "Tỷ lệ hồ sơ thanh toán trực tuyến (trong số hồ sơ có phí, lệ phí)",
            Ratio(cells["paid_online"], cells["fee_due"]),
            targets.get("online_payment"),
        ),
        Figure(
            "procedures_with_online",
            "Tỷ lệ thủ tục trực tuyến có phát sinh hồ sơ trực tuyến",
            Ratio(procedures_online, online_procedures),
            targets.get("procedures_with_online"),
        ),
        Figure(
            "satisfaction",
            "Mức độ hài lòng của người dân, doanh nghiệp",
            voice.satisfaction,
            targets.get("satisfaction"),
        ),
        Figure(
            "complaints_on_time",
            "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn",
            voice.complaints_on_time,
            targets.get("complaints_on_time"),
        ),
        Figure(
            "flagged",
            "Tỷ lệ hồ sơ bị đánh giá không hài lòng hoặc có phản ánh, kiến nghị",
            voice.flagged,
        ),
    ]


def average_days(cells: Mapping[str, int]) -> float | None:
    """Average working days to resolve (withdrawn and halted dossiers left out)."""
    count = cells.get("resolved_count", 0)
    return round(cells.get("resolved_days", 0) / count, 1) if count else None


@dataclass(frozen=True)
class Indicator:
    group: str
    code: str
    label: str
    formula: str
    ratio: Ratio | None
    max_points: float
    points: float | None  # None: not computable here


def _scaled(ratio: Ratio | None, max_points: float, full_at: float = 1.0) -> float | None:
    if ratio is None or ratio.value is None:
        return None
    return round(min(max_points, max_points * ratio.value / full_at), 2)


def self_assessment(
    cells: Mapping[str, int],
    procedures_online: int,
    online_procedures: int,
    voice: Voice = Voice(),
) -> list[Indicator]:
    """The Decision 766 indicators the portal can compute (STATISTICS.md §1.1): an internal
    estimate only — the national portal's score is authoritative."""
    received = cells["c4"] + cells["c5"]
    overdue = Ratio(cells["c10"] + cells["c13"], cells["c7"] + cells["c11"])
    satisfaction, flagged = None, voice.flagged
    if flagged is not None and overdue.value is not None:
        total = overdue.denominator
        unhappy = round(total * (overdue.value + (flagged.value or 0)))
        satisfaction = Ratio(max(0, total - unhappy), total)
    rows = [
        ("Tiến độ giải quyết", "2.1", "Tỷ lệ hồ sơ đúng hạn",
         "(giải quyết trước hạn, đúng hạn + đang giải quyết trong hạn) / (đã + đang giải quyết)",
         on_time(cells), 20, 1.0),
        ("Dịch vụ công trực tuyến", "3.2", "Thủ tục trực tuyến có hồ sơ trực tuyến",
         "thủ tục mức độ 3, 4 có ít nhất một hồ sơ trực tuyến / thủ tục mức độ 3, 4 của đơn vị",
         Ratio(procedures_online, online_procedures), 6, 1.0),
        ("Dịch vụ công trực tuyến", "3.3", "Tỷ lệ hồ sơ trực tuyến",
         "hồ sơ nộp trực tuyến / hồ sơ tiếp nhận trong kỳ (đủ điểm từ 50 %)",
         Ratio(cells["c4"], received), 6, 0.5),
        ("Thanh toán trực tuyến", "3.6", "Hồ sơ thanh toán trực tuyến",
         "hồ sơ đã thanh toán trực tuyến / hồ sơ có nghĩa vụ tài chính",
         Ratio(cells["paid_online"], cells["fee_due"]), 6, 1.0),
        ("Số hóa hồ sơ", "4.1", "Kết quả điện tử",
         "hồ sơ trả kết quả điện tử / hồ sơ đã giải quyết",
         Ratio(cells["e_result"], cells["c7"]), 6, 1.0),
        ("Số hóa hồ sơ", "4.2", "Hồ sơ được số hóa",
         "hồ sơ có thành phần đính kèm điện tử / hồ sơ tiếp nhận (đủ điểm từ 80 %)",
         Ratio(cells["digitised"], received), 4, 0.8),
        ("Mức độ hài lòng", "5.2", "Xử lý phản ánh, kiến nghị đúng hạn",
         "PAKN xử lý đúng hạn + đang xử lý trong hạn / PAKN tiếp nhận trong kỳ; 6 nếu không có",
         voice.complaints_on_time, 6, 1.0),
        ("Mức độ hài lòng", "5.4", "Hài lòng về giải quyết hồ sơ",
         "100 % − (tỷ lệ hồ sơ quá hạn + tỷ lệ có phản ánh, không hài lòng); đủ điểm từ 90 %",
         satisfaction, 6, 0.9),
    ]  # fmt: skip
    return [
        Indicator(
            group, code, label, formula, ratio, max_points, _points(code, ratio, max_points, full)
        )
        for group, code, label, formula, ratio, max_points, full in rows
    ]


def _points(code: str, ratio: Ratio | None, max_points: float, full_at: float) -> float | None:
    if code == "5.2" and ratio is not None and ratio.denominator == 0:
        return max_points  # no PAKN in the period: full points (766 formula 5.2)
    return _scaled(ratio, max_points, full_at)
