"""Online service levels: legacy levels 1–4 (Decree 43/2011) and full/partial (Decree 42/2022)."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class OnlineLevel(StrEnum):
    FULL = "full"  # toàn trình
    PARTIAL = "partial"  # một phần
    NONE = "none"  # chưa cung cấp trực tuyến


class ServiceLevel(IntEnum):
    INFORMATION = 1
    FORMS = 2
    ONLINE_SUBMISSION = 3
    ONLINE_PAYMENT = 4


ONLINE_LEVEL_LABELS = {
    OnlineLevel.FULL: "Toàn trình",
    OnlineLevel.PARTIAL: "Một phần",
    OnlineLevel.NONE: "Chưa trực tuyến",
}

# What Decree 42/2022's classification means for the citizen, in the portal's words.
ONLINE_LEVEL_MEANINGS = {
    OnlineLevel.FULL: "Dịch vụ công trực tuyến toàn trình: bạn nộp hồ sơ, theo dõi, nộp phí "
    "(nếu có) và nhận kết quả trực tuyến hoặc qua bưu chính, không phải đến cơ quan.",
    OnlineLevel.PARTIAL: "Dịch vụ công trực tuyến một phần: bạn nộp hồ sơ trực tuyến; một số "
    "bước (nộp phí, xuất trình bản chính hoặc nhận kết quả) làm tại bộ phận một cửa hoặc qua "
    "bưu chính.",
    OnlineLevel.NONE: "Thủ tục này chưa nhận hồ sơ trực tuyến: bạn nộp tại bộ phận một cửa hoặc "
    "qua bưu chính.",
}

SERVICE_LEVEL_LABELS = {
    ServiceLevel.INFORMATION: "Mức độ 1",
    ServiceLevel.FORMS: "Mức độ 2",
    ServiceLevel.ONLINE_SUBMISSION: "Mức độ 3",
    ServiceLevel.ONLINE_PAYMENT: "Mức độ 4",
}

# What each level means for the citizen, in the portal's words.
SERVICE_LEVEL_MEANINGS = {
    ServiceLevel.INFORMATION: "Thông tin đầy đủ về thủ tục được công khai trên cổng. "
    "Bạn nộp hồ sơ trực tiếp tại bộ phận một cửa hoặc qua bưu chính.",
    ServiceLevel.FORMS: "Ngoài thông tin, bạn tải được các mẫu đơn, tờ khai để in và điền sẵn. "
    "Hồ sơ vẫn nộp trực tiếp hoặc qua bưu chính.",
    ServiceLevel.ONLINE_SUBMISSION: "Bạn điền và nộp hồ sơ trực tuyến, đính kèm giấy tờ. "
    "Lệ phí nộp và kết quả nhận tại bộ phận một cửa hoặc qua bưu chính.",
    ServiceLevel.ONLINE_PAYMENT: "Bạn nộp hồ sơ, thanh toán phí, lệ phí trực tuyến và nhận kết quả "
    "trực tuyến, qua bưu chính hoặc tại bộ phận một cửa — không phải đến cơ quan.",
}

# Legacy numeric level stored by one-stop databases for each current classification.
# Data from practice rather than law ([S] in the brief): kept here as one table to adjust.
LEGACY_LEVEL_FOR_ONLINE_LEVEL = {
    OnlineLevel.FULL: ServiceLevel.ONLINE_PAYMENT,
    OnlineLevel.PARTIAL: ServiceLevel.ONLINE_SUBMISSION,
    OnlineLevel.NONE: ServiceLevel.FORMS,
}


def service_level_for(online_level: OnlineLevel, has_forms: bool) -> ServiceLevel:
    """The legacy level a procedure offers, given its online classification and its forms."""
    level = LEGACY_LEVEL_FOR_ONLINE_LEVEL[online_level]
    if level == ServiceLevel.FORMS and not has_forms:
        return ServiceLevel.INFORMATION
    return level
