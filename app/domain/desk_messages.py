"""What the desk tells an officer after each action: what was done and what happens next."""

from __future__ import annotations

from app.domain.dossier_flow import Action

A = Action
DONE: dict[str, tuple[str, str]] = {
    A.RECEIVE: (
        "Đã tiếp nhận hồ sơ và cấp giấy tiếp nhận, hẹn trả.",
        "Tiếp theo: chuyển hồ sơ cho chuyên viên xử lý.",
    ),
    A.REQUEST_PRE_SUPPLEMENT: (
        "Đã gửi hướng dẫn bổ sung cho công dân.",
        "Hồ sơ chờ công dân bổ sung; khi có, hồ sơ về lại hàng “Mới nộp”.",
    ),
    A.REFUSE: (
        "Đã từ chối tiếp nhận hồ sơ và gửi phiếu từ chối cho công dân.",
        "Hồ sơ đã kết thúc.",
    ),
    A.ASSIGN: ("Đã chuyển hồ sơ cho chuyên viên.", "Chuyên viên thẩm định rồi trình ký lãnh đạo."),
    A.REQUEST_SUPPLEMENT: (
        "Đã gửi yêu cầu bổ sung, hoàn thiện hồ sơ; thời hạn tạm dừng.",
        "Khi công dân bổ sung, hồ sơ được tiếp nhận lại và tính lại hạn.",
    ),
    A.SUBMIT_FOR_APPROVAL: ("Đã trình ký hồ sơ.", "Hồ sơ chờ lãnh đạo phê duyệt."),
    A.APPROVE: ("Đã phê duyệt kết quả.", "Bộ phận một cửa giao kết quả cho công dân."),
    A.RETURN_FOR_REWORK: (
        "Đã trả hồ sơ cho chuyên viên xử lý lại.",
        "Chuyên viên hoàn thiện rồi trình ký lại.",
    ),
    A.REJECT: (
        "Đã từ chối giải quyết; phiếu từ chối chờ trả cho công dân.",
        "Bộ phận một cửa trả phiếu từ chối.",
    ),
    A.TRANSFER: ("Đã chuyển hồ sơ liên thông.", "Hồ sơ trở về khi cơ quan kia xử lý xong."),
    A.TRANSFER_BACK: ("Đã nhận lại hồ sơ sau liên thông.", "Chuyên viên tiếp tục xử lý."),
    A.EXTEND: ("Đã gửi phiếu xin lỗi và hẹn lại ngày trả kết quả.", "Hạn trả mới đã được ghi."),
    A.RETURN_RESULT: (
        "Đã trả kết quả cho công dân.",
        "Hồ sơ đã kết thúc; công dân có thể đánh giá.",
    ),
    A.HALT: ("Đã dừng xử lý hồ sơ và gửi thông báo cho công dân.", "Hồ sơ đã kết thúc."),
    "deliver": (
        "Đã ghi nhận giao kết quả và trả kết quả cho công dân.",
        "Hồ sơ đã kết thúc; công dân có thể đánh giá.",
    ),
    "delivered": ("Đã ghi nhận giao kết quả.", "Tiếp theo: trả kết quả để kết thúc hồ sơ."),
    "priority": ("Đã cập nhật đánh dấu ưu tiên.", "Hồ sơ ưu tiên đứng đầu hàng đợi."),
    "fee": ("Đã ghi nhận thu phí, lệ phí và lập biên lai.", "Biên lai có trong mục phí, lệ phí."),
    "kiem-tra": (
        "Đã lưu kết quả kiểm tra thành phần hồ sơ.",
        "Tiếp theo: tiếp nhận, hoặc hướng dẫn bổ sung phần còn thiếu.",
    ),
    "theo-doi": (
        "Đã cập nhật theo dõi hồ sơ.",
        "Hồ sơ bạn theo dõi được báo “Có thay đổi” trong danh sách.",
    ),
    "ghi-chu": ("Đã lưu ghi chú nội bộ.", "Chỉ cán bộ của cơ quan xem được ghi chú này."),
}


def done_message(key: str) -> tuple[str, str] | None:
    """The two sentences shown after ``key`` (an action value or a desk step), if it is one."""
    return DONE.get(key)
