"""VNPay payment-URL protocol v2.1.0 (BRIEF 6.2): signing, the redirect URL, return/IPN answers.

Pure: no I/O, no clock; times are passed in as aware datetimes and written in GMT+7.

Signing: every ``vnp_*`` parameter except ``vnp_SecureHash``/``vnp_SecureHashType``, empty values
dropped, sorted by key, form-encoded like ``urllib.parse.urlencode`` (spaces → ``+``), joined with
``&``; HMAC-SHA512 with the merchant's secret, hex. PHP's ``urlencode`` writes ``~`` as ``%7E``
where Python leaves it, and Java's ``URLEncoder`` (VNPay's own samples) leaves ``*`` where both
encode it: such characters are kept out of what we send rather than emulating one encoder.

IPN (server to server) is the only trusted update; the browser's return URL only shows a message.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from urllib.parse import urlencode

VERSION = "2.1.0"
GMT7 = timezone(timedelta(hours=7), "GMT+7")
DATE_FORMAT = "%Y%m%d%H%M%S"
ORDER_INFO_MAX = 255
_UNSIGNED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
_TXN_REF = re.compile(r"[A-Za-z0-9_-]{1,100}", re.ASCII)
_TMN_CODE = re.compile(r"[A-Za-z0-9]{8}", re.ASCII)
_CODE = re.compile(r"[A-Za-z0-9_]{1,20}", re.ASCII)  # bank codes, order types
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_RESPONSE_CODE = re.compile(r"[0-9]{2}", re.ASCII)
_DATE = re.compile(r"[0-9]{14}", re.ASCII)
# Letters, digits, space and punctuation every encoder (PHP, Python, Java) writes the same way.
_ORDER_INFO_SAFE = re.compile(r"[^A-Za-z0-9 .,:_-]", re.ASCII)
_FOLD = str.maketrans({"đ": "d", "Đ": "D", "–": "-", "—": "-"})


def canonical_query(params: Mapping[str, str]) -> str:
    """The signed data string: sorted, non-empty ``vnp_*`` parameters, form-encoded."""
    items = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_") and key not in _UNSIGNED and value not in (None, "")
    )
    return urlencode(items)


def sign(params: Mapping[str, str], secret: str) -> str:
    """HMAC-SHA512 of :func:`canonical_query` with the merchant's ``vnp_HashSecret``, lower hex."""
    if not secret:
        raise ValueError("thiếu khóa bí mật VNPay (vnp_HashSecret)")
    data = canonical_query(params).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha512).hexdigest()


def verify(params: Mapping[str, str], secret: str) -> bool:
    """True when ``vnp_SecureHash`` matches; hex compared case-insensitively in constant time."""
    received = params.get("vnp_SecureHash")
    if not isinstance(received, str) or not received:
        return False
    expected = sign(params, secret)
    return hmac.compare_digest(expected.encode("ascii"), received.lower().encode("utf-8"))


def format_date(moment: datetime) -> str:
    """An aware datetime as ``yyyyMMddHHmmss`` in GMT+7. Naive datetimes are refused: a server
    clock in UTC would otherwise shift every date by seven hours without anyone noticing."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("thời điểm phải có múi giờ (datetime aware)")
    return moment.astimezone(GMT7).strftime(DATE_FORMAT)


def parse_date(text: str) -> datetime:
    """``yyyyMMddHHmmss`` (GMT+7) → aware datetime."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"ngày giờ VNPay không hợp lệ: {text!r}")
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=GMT7)


def ascii_order_info(text: str) -> str:
    """Vietnamese text → ASCII for ``vnp_OrderInfo``: "Lệ phí – Đăng ký" → "Le phi - Dang ky".

    Diacritics are stripped (NFD, combining marks dropped), đ→d, dashes → ``-``. Any other
    character outside letters, digits, space and ``.,:_-`` becomes a space: ``~`` (PHP encodes
    it, Python does not), ``*`` (Java leaves it, PHP and Python encode it), non-Latin letters
    (VNPay's samples encode as US-ASCII) and symbols VNPay rejects. Spaces are collapsed and the
    result cut to 255 characters.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = _ORDER_INFO_SAFE.sub(" ", stripped)
    return " ".join(cleaned.split())[:ORDER_INFO_MAX].rstrip()


@dataclass(frozen=True)
class PaymentRequest:
    """One payment attempt. ``txn_ref`` must be new for every attempt (unique per day at least)."""

    tmn_code: str
    amount_vnd: int
    txn_ref: str
    order_info: str
    return_url: str
    ip_addr: str
    created_at: datetime
    expire_minutes: int = 15
    locale: str = "vn"
    order_type: str = "other"
    bank_code: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.amount_vnd, bool) or not isinstance(self.amount_vnd, int):
            raise ValueError("số tiền phải là số nguyên đồng")
        if self.amount_vnd <= 0:
            raise ValueError("số tiền phải lớn hơn 0")
        if not _TXN_REF.fullmatch(self.txn_ref):
            raise ValueError("mã giao dịch: tối đa 100 ký tự A-Z, a-z, 0-9, '_' hoặc '-'")
        if not _TMN_CODE.fullmatch(self.tmn_code):
            raise ValueError("mã website (vnp_TmnCode) phải gồm 8 chữ và số")
        if not ascii_order_info(self.order_info):
            raise ValueError("nội dung thanh toán trống sau khi bỏ dấu")
        if not self.return_url.startswith(("https://", "http://")) or "~" in self.return_url:
            raise ValueError("địa chỉ trả về phải là http(s) và không chứa '~'")
        try:
            ipaddress.ip_address(self.ip_addr)
        except ValueError:
            raise ValueError(f"địa chỉ IP không hợp lệ: {self.ip_addr!r}") from None
        format_date(self.created_at)
        if self.expire_minutes <= 0:
            raise ValueError("thời hạn thanh toán phải lớn hơn 0 phút")
        if self.locale not in ("vn", "en"):
            raise ValueError("ngôn ngữ phải là 'vn' hoặc 'en'")
        if not _CODE.fullmatch(self.order_type):
            raise ValueError("loại hàng hóa (vnp_OrderType) không hợp lệ")
        if self.bank_code is not None and not _CODE.fullmatch(self.bank_code):
            raise ValueError("mã ngân hàng không hợp lệ")


def payment_params(request: PaymentRequest) -> dict[str, str]:
    """The unsigned request parameters of a :class:`PaymentRequest`."""
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": request.tmn_code,
        "vnp_Amount": str(request.amount_vnd * 100),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": request.txn_ref,
        "vnp_OrderInfo": ascii_order_info(request.order_info),
        "vnp_OrderType": request.order_type,
        "vnp_Locale": request.locale,
        "vnp_ReturnUrl": request.return_url,
        "vnp_IpAddr": request.ip_addr,
        "vnp_CreateDate": format_date(request.created_at),
        "vnp_ExpireDate": format_date(
            request.created_at + timedelta(minutes=request.expire_minutes)
        ),
    }
    if request.bank_code:
        params["vnp_BankCode"] = request.bank_code
    return params


def payment_url(gateway_url: str, request: PaymentRequest, secret: str) -> str:
    """The redirect to the gateway: the signed query, then ``vnp_SecureHash``; no hash type."""
    if "?" in gateway_url or "#" in gateway_url:
        raise ValueError("địa chỉ cổng thanh toán không được chứa '?' hoặc '#'")
    params = payment_params(request)
    return f"{gateway_url}?{canonical_query(params)}&vnp_SecureHash={sign(params, secret)}"


@dataclass(frozen=True)
class Callback:
    """What the gateway reports on the return URL and the IPN, parsed and checked for shape."""

    txn_ref: str
    amount_vnd: int
    response_code: str
    transaction_status: str
    transaction_no: str = ""
    bank_code: str = ""
    pay_date: datetime | None = None

    @property
    def is_success(self) -> bool:
        return self.response_code == "00" and self.transaction_status == "00"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Callback:
        """Raises ``ValueError`` for missing or malformed fields (not for a bad signature)."""
        txn_ref = _text(params, "vnp_TxnRef")
        amount = _text(params, "vnp_Amount")
        if not txn_ref or not _DIGITS.fullmatch(amount):
            raise ValueError("thiếu mã giao dịch hoặc số tiền không hợp lệ")
        if int(amount) % 100:
            raise ValueError(f"vnp_Amount không phải số đồng × 100: {amount}")
        codes = _text(params, "vnp_ResponseCode"), _text(params, "vnp_TransactionStatus")
        if not all(_RESPONSE_CODE.fullmatch(code) for code in codes):
            raise ValueError("mã phản hồi hoặc trạng thái giao dịch không hợp lệ")
        pay_date = _text(params, "vnp_PayDate")
        return cls(
            txn_ref=txn_ref,
            amount_vnd=int(amount) // 100,
            response_code=codes[0],
            transaction_status=codes[1],
            transaction_no=_text(params, "vnp_TransactionNo"),
            bank_code=_text(params, "vnp_BankCode"),
            pay_date=parse_date(pay_date) if pay_date else None,
        )


def _text(params: Mapping[str, str], key: str) -> str:
    value = params.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} phải là một chuỗi")
    return value


class IpnAnswer(StrEnum):
    """The IPN reply's ``RspCode``; VNPay retries a notification until it gets 00 or 02."""

    CONFIRMED = "00"
    ORDER_NOT_FOUND = "01"
    ALREADY_CONFIRMED = "02"
    INVALID_AMOUNT = "04"
    INVALID_SIGNATURE = "97"
    UNKNOWN_ERROR = "99"


IPN_MESSAGES = {
    IpnAnswer.CONFIRMED: "Confirm Success",
    IpnAnswer.ORDER_NOT_FOUND: "Order not found",
    IpnAnswer.ALREADY_CONFIRMED: "Order already confirmed",
    IpnAnswer.INVALID_AMOUNT: "Invalid amount",
    IpnAnswer.INVALID_SIGNATURE: "Invalid signature",
    IpnAnswer.UNKNOWN_ERROR: "Unknown error",
}


class Outcome(StrEnum):
    """What the caller records on the payment: paid, failed, or nothing at all."""

    PAID = "paid"
    FAILED = "failed"
    NONE = "none"


@dataclass(frozen=True)
class OrderFacts:
    """The payment the caller loaded for ``vnp_TxnRef``. ``already_confirmed``: an earlier IPN
    outcome (paid or failed) is on record."""

    txn_ref: str
    amount_vnd: int
    already_confirmed: bool


@dataclass(frozen=True)
class IpnDecision:
    answer: IpnAnswer
    outcome: Outcome = Outcome.NONE
    callback: Callback | None = None

    @property
    def message(self) -> str:
        return IPN_MESSAGES[self.answer]

    def body(self) -> dict[str, str]:
        """The JSON reply: ``{"RspCode": "97", "Message": "Invalid signature"}``."""
        return {"RspCode": self.answer.value, "Message": self.message}


def decide_ipn(params: Mapping[str, str], secret: str, order: OrderFacts | None) -> IpnDecision:
    """Decide the IPN reply and what to record (``outcome``); the caller then records it.

    Checks, in this order: signature (a forger learns nothing, not even whether an order
    exists, and no unauthenticated field is read); shape (99, VNPay retries); the order exists
    (01); the amount (04: a different amount is never a harmless replay, so it is reported even
    for a confirmed order); idempotency (02: a replay changes nothing). A valid result is answered
    00 whether the payment succeeded (paid) or not (failed), as the protocol asks.
    """
    if not verify(params, secret):
        return IpnDecision(IpnAnswer.INVALID_SIGNATURE)
    try:
        callback = Callback.parse(params)
    except ValueError:
        return IpnDecision(IpnAnswer.UNKNOWN_ERROR)
    if order is None or order.txn_ref != callback.txn_ref:
        return IpnDecision(IpnAnswer.ORDER_NOT_FOUND, callback=callback)
    if order.amount_vnd != callback.amount_vnd:
        return IpnDecision(IpnAnswer.INVALID_AMOUNT, callback=callback)
    if order.already_confirmed:
        return IpnDecision(IpnAnswer.ALREADY_CONFIRMED, callback=callback)
    outcome = Outcome.PAID if callback.is_success else Outcome.FAILED
    return IpnDecision(IpnAnswer.CONFIRMED, outcome, callback)


RESPONSE_MESSAGES = {
    "00": "Giao dịch thanh toán thành công.",
    "07": "Tiền đã bị trừ nhưng giao dịch bị nghi ngờ bất thường và đang được kiểm tra.",
    "09": "Thẻ/Tài khoản của bạn chưa đăng ký dịch vụ Internet Banking tại ngân hàng.",
    "10": "Bạn đã xác thực thông tin thẻ/tài khoản không đúng quá 3 lần.",
    "11": "Đã hết thời gian chờ thanh toán. Vui lòng thực hiện lại giao dịch.",
    "12": "Thẻ/Tài khoản của bạn đang bị khóa.",
    "13": "Bạn đã nhập sai mật khẩu xác thực giao dịch (OTP). Vui lòng thực hiện lại giao dịch.",
    "24": "Bạn đã hủy giao dịch thanh toán.",
    "51": "Tài khoản không đủ số dư để thực hiện giao dịch.",
    "65": "Tài khoản của bạn đã vượt quá hạn mức giao dịch trong ngày.",
    "75": "Ngân hàng thanh toán đang bảo trì. Vui lòng thử lại sau.",
    "79": "Bạn đã nhập sai mật khẩu thanh toán quá số lần quy định. Vui lòng thực hiện lại.",
    "99": "Giao dịch không thành công. Vui lòng thử lại sau.",
}


def response_message(code: str) -> str:
    """The citizen-facing explanation of a ``vnp_ResponseCode``; unknown codes read as 99."""
    return RESPONSE_MESSAGES.get(code, RESPONSE_MESSAGES["99"])


def gateway_callback_params(
    request_params: Mapping[str, str],
    secret: str,
    response_code: str,
    transaction_no: str,
    bank_code: str,
    pay_date: datetime,
    *,
    transaction_status: str | None = None,
    bank_tran_no: str = "",
    card_type: str = "",
) -> dict[str, str]:
    """The signed parameters a gateway sends back (return URL and IPN) for a received request.

    For a sandbox gateway. Refuses a request whose signature does not verify, as VNPay does.
    ``transaction_status`` defaults to 00 on success, 07 for a suspicious debit, 02 otherwise.
    """
    if not verify(request_params, secret):
        raise ValueError("chữ ký của yêu cầu thanh toán không hợp lệ")
    if not _RESPONSE_CODE.fullmatch(response_code):
        raise ValueError(f"mã phản hồi không hợp lệ: {response_code!r}")
    if transaction_status is None:
        transaction_status = response_code if response_code in ("00", "07") else "02"
    params = {
        "vnp_TmnCode": request_params.get("vnp_TmnCode", ""),
        "vnp_Amount": request_params.get("vnp_Amount", ""),
        "vnp_BankCode": bank_code,
        "vnp_BankTranNo": bank_tran_no,
        "vnp_CardType": card_type,
        "vnp_OrderInfo": request_params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": format_date(pay_date),
        "vnp_ResponseCode": response_code,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": transaction_status,
        "vnp_TxnRef": request_params.get("vnp_TxnRef", ""),
    }
    params = {key: value for key, value in params.items() if value}
    params["vnp_SecureHash"] = sign(params, secret)
    return params
