"""VNPay v2.1.0: signatures checked against vectors computed independently of the module."""

import hashlib
import hmac
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest

from app.domain.vnpay import (
    GMT7,
    RESPONSE_MESSAGES,
    Callback,
    IpnAnswer,
    OrderFacts,
    Outcome,
    PaymentRequest,
    ascii_order_info,
    canonical_query,
    decide_ipn,
    format_date,
    gateway_callback_params,
    payment_params,
    payment_url,
    response_message,
    sign,
    verify,
)

SECRET = "SECRETKEYFORTESTS0123456789ABCDE"
GATEWAY = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"

VECTOR = {
    "vnp_Version": "2.1.0",
    "vnp_Command": "pay",
    "vnp_TmnCode": "DEMO0001",
    "vnp_Amount": "1000000",
    "vnp_CurrCode": "VND",
    "vnp_TxnRef": "PAY-20250101-0001",
    "vnp_OrderInfo": "Thanh toan le phi ho so G01",
    "vnp_OrderType": "other",
    "vnp_Locale": "vn",
    "vnp_ReturnUrl": "https://motcua.example/thanh-toan/ket-qua",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_CreateDate": "20250101083000",
    "vnp_ExpireDate": "20250101084500",
}
# The data string written out by hand, and its HMAC-SHA512 computed once outside Python with
#   printf '%s' "$VECTOR_DATA" | openssl dgst -sha512 -hmac 'SECRETKEYFORTESTS0123456789ABCDE'
VECTOR_DATA = (
    "vnp_Amount=1000000&vnp_Command=pay&vnp_CreateDate=20250101083000&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20250101084500&vnp_IpAddr=127.0.0.1&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+G01&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example%2Fthanh-toan%2Fket-qua"
    "&vnp_TmnCode=DEMO0001&vnp_TxnRef=PAY-20250101-0001&vnp_Version=2.1.0"
)
VECTOR_HASH = (
    "8df56609ed960cbd7d4738908f6762c3c7e0c0290771d0b5942cc18112d164098ab32d65bba4a6602173dd03"
    "fa87a1c5102bb13bfeb1420d17e3604efbad334f"
)


def _by_hand(params, secret=SECRET):
    """The protocol re-implemented without the module: quote_plus each part, HMAC-SHA512."""
    keys = sorted(k for k, v in params.items() if k.startswith("vnp_") and v)
    keys = [k for k in keys if k not in ("vnp_SecureHash", "vnp_SecureHashType")]
    data = "&".join(f"{quote_plus(k)}={quote_plus(params[k])}" for k in keys)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def _request(**changes):
    request = PaymentRequest(
        tmn_code="DEMO0001",
        amount_vnd=10_000,
        txn_ref="PAY-20250101-0001",
        order_info="Thanh toán lệ phí hồ sơ G01",
        return_url="https://motcua.example/thanh-toan/ket-qua",
        ip_addr="127.0.0.1",
        created_at=datetime(2025, 1, 1, 1, 30, tzinfo=UTC),
    )
    return replace(request, **changes)


def _callback(response_code="00", status="00", amount="1000000", **extra):
    params = {
        "vnp_TmnCode": "DEMO0001",
        "vnp_Amount": amount,
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": "Thanh toan le phi ho so G01",
        "vnp_PayDate": "20250101083512",
        "vnp_ResponseCode": response_code,
        "vnp_TransactionNo": "14800123",
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": "PAY-20250101-0001",
        **extra,
    }
    params["vnp_SecureHash"] = _by_hand(params)
    return params


ORDER = OrderFacts(txn_ref="PAY-20250101-0001", amount_vnd=10_000, already_confirmed=False)


# Signing


def test_signature_of_the_fixed_vector_matches_the_hash_computed_with_openssl():
    assert canonical_query(VECTOR) == VECTOR_DATA
    assert sign(VECTOR, SECRET) == VECTOR_HASH


def test_signature_matches_the_recipe_reimplemented_by_hand():
    params = {**VECTOR, "vnp_OrderInfo": "Hồ sơ: G01/2025 & phí 10%", "vnp_BankCode": "NCB"}
    assert sign(params, SECRET) == _by_hand(params)


def test_parameters_are_signed_in_key_order_whatever_the_insertion_order():
    reversed_vector = dict(reversed(list(VECTOR.items())))
    assert sign(reversed_vector, SECRET) == VECTOR_HASH


def test_hash_fields_empty_values_and_foreign_parameters_are_not_signed():
    noisy = {
        **VECTOR,
        "vnp_SecureHash": "abc",
        "vnp_SecureHashType": "HmacSHA512",
        "vnp_BankCode": "",
        "utm_source": "mail",
    }
    assert canonical_query(noisy) == VECTOR_DATA
    assert sign(noisy, SECRET) == VECTOR_HASH


def test_spaces_are_encoded_as_plus_and_tilde_is_left_as_python_leaves_it():
    # PHP's urlencode would write "a+b%7Ec": the reason '~' is kept out of what we send.
    assert canonical_query({"vnp_OrderInfo": "a b~c"}) == "vnp_OrderInfo=a+b~c"
    assert canonical_query({"vnp_OrderInfo": "a+b*c/đ"}) == "vnp_OrderInfo=a%2Bb%2Ac%2F%C4%91"


def test_verify_accepts_the_hash_in_upper_case():
    assert verify({**VECTOR, "vnp_SecureHash": VECTOR_HASH.upper()}, SECRET)


def test_tampered_amount_fails_verification():
    signed = {**VECTOR, "vnp_SecureHash": VECTOR_HASH}
    assert verify(signed, SECRET)
    assert not verify({**signed, "vnp_Amount": "100000000"}, SECRET)


@pytest.mark.parametrize("key", sorted(VECTOR))
def test_tampering_with_any_signed_field_fails_verification(key):
    signed = {**VECTOR, "vnp_SecureHash": VECTOR_HASH}
    assert not verify({**signed, key: signed[key] + "1"}, SECRET)
    assert not verify({k: v for k, v in signed.items() if k != key}, SECRET)


def test_adding_a_field_fails_verification():
    assert not verify({**VECTOR, "vnp_SecureHash": VECTOR_HASH, "vnp_BankCode": "NCB"}, SECRET)


def test_verification_fails_without_a_hash_or_with_another_secret():
    assert not verify(VECTOR, SECRET)
    assert not verify({**VECTOR, "vnp_SecureHash": ""}, SECRET)
    assert not verify({**VECTOR, "vnp_SecureHash": VECTOR_HASH}, "another-secret")
    assert not verify({**VECTOR, "vnp_SecureHash": "đ" * 128}, SECRET)


def test_an_empty_secret_is_a_configuration_error():
    with pytest.raises(ValueError):
        sign(VECTOR, "")


# Order info


def test_order_info_folds_vietnamese_diacritics_and_d_with_stroke():
    assert ascii_order_info("Thanh toán lệ phí Đăng ký khai sinh") == (
        "Thanh toan le phi Dang ky khai sinh"
    )
    assert ascii_order_info("ăâêôơưđ ĂÂÊÔƠƯĐ ỹỸ ẫẪ") == "aaeooud AAEOOUD yY aA"


def test_order_info_drops_tilde_star_and_other_symbols():
    assert ascii_order_info("Hồ sơ ~G01* (bản sao) 10% – 2 trang") == (
        "Ho so G01 ban sao 10 - 2 trang"
    )
    assert ascii_order_info("Mã 000.00.01.H01-250101-0001, lần: 2_a") == (
        "Ma 000.00.01.H01-250101-0001, lan: 2_a"
    )
    assert "~" not in ascii_order_info("~" * 10)


def test_order_info_is_cut_to_255_characters():
    assert len(ascii_order_info("a" * 300)) == 255


# Payment URL


def test_payment_url_round_trips_and_verifies():
    url = payment_url(GATEWAY, _request(), SECRET)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == GATEWAY
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    assert verify(params, SECRET)
    assert params["vnp_SecureHash"] == _by_hand(params)
    assert params["vnp_Amount"] == "1000000"
    assert params["vnp_OrderInfo"] == "Thanh toan le phi ho so G01"
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_CurrCode"] == "VND"
    assert "vnp_SecureHashType" not in params
    assert "vnp_BankCode" not in params


def test_payment_url_is_the_signed_string_followed_by_the_hash():
    url = payment_url(GATEWAY, _request(), SECRET)
    assert url == f"{GATEWAY}?{VECTOR_DATA}&vnp_SecureHash={VECTOR_HASH}"


def test_amount_is_sent_times_one_hundred():
    assert payment_params(_request(amount_vnd=1_500_000))["vnp_Amount"] == "150000000"


def test_dates_are_written_in_gmt7_from_a_utc_datetime():
    params = payment_params(_request(created_at=datetime(2024, 12, 31, 17, 50, tzinfo=UTC)))
    assert params["vnp_CreateDate"] == "20250101005000"
    assert params["vnp_ExpireDate"] == "20250101010500"


def test_dates_in_another_zone_are_converted_and_expiry_is_configurable():
    paris = timezone(timedelta(hours=1))
    request = _request(created_at=datetime(2025, 1, 1, 2, 30, tzinfo=paris), expire_minutes=60)
    assert payment_params(request)["vnp_CreateDate"] == "20250101083000"
    assert payment_params(request)["vnp_ExpireDate"] == "20250101093000"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        format_date(datetime(2025, 1, 1, 8, 30))
    with pytest.raises(ValueError):
        _request(created_at=datetime(2025, 1, 1, 8, 30))


def test_bank_code_is_sent_only_when_chosen():
    assert payment_params(_request(bank_code="VNPAYQR"))["vnp_BankCode"] == "VNPAYQR"


@pytest.mark.parametrize(
    "changes",
    [
        {"amount_vnd": 0},
        {"amount_vnd": -10_000},
        {"amount_vnd": 10_000.0},
        {"amount_vnd": True},
        {"txn_ref": ""},
        {"txn_ref": "PAY 1"},
        {"txn_ref": "PAY~1"},
        {"txn_ref": "Đ1"},
        {"txn_ref": "A" * 101},
        {"tmn_code": "DEMO001"},
        {"tmn_code": "DEMO00001"},
        {"order_info": "~~ ** ~~"},
        {"return_url": "ftp://motcua.example/"},
        {"return_url": "https://motcua.example/~citizen"},
        {"ip_addr": "localhost"},
        {"expire_minutes": 0},
        {"locale": "fr"},
        {"order_type": ""},
        {"bank_code": "VN BANK"},
    ],
)
def test_invalid_payment_requests_are_refused(changes):
    with pytest.raises(ValueError):
        _request(**changes)


def test_a_txn_ref_of_100_characters_is_accepted():
    assert _request(txn_ref="A" * 100).txn_ref == "A" * 100


def test_a_gateway_url_with_a_query_is_refused():
    with pytest.raises(ValueError):
        payment_url(GATEWAY + "?x=1", _request(), SECRET)


# Callback


def test_callback_divides_the_amount_by_one_hundred_and_reads_the_pay_date_in_gmt7():
    callback = Callback.parse(_callback())
    assert callback.amount_vnd == 10_000
    assert callback.pay_date == datetime(2025, 1, 1, 1, 35, 12, tzinfo=UTC)
    assert callback.pay_date.utcoffset() == timedelta(hours=7)
    assert (callback.txn_ref, callback.transaction_no, callback.bank_code) == (
        "PAY-20250101-0001",
        "14800123",
        "NCB",
    )
    assert callback.is_success


@pytest.mark.parametrize("amount", ["1000050", "1", "", "10000.00", "-1000000", "1e8", "１００"])
def test_callback_refuses_an_amount_that_is_not_whole_dong_times_100(amount):
    with pytest.raises(ValueError):
        Callback.parse(_callback(amount=amount))


def test_success_needs_both_the_response_code_and_the_transaction_status():
    assert not Callback.parse(_callback(response_code="00", status="02")).is_success
    assert not Callback.parse(_callback(response_code="24", status="00")).is_success


# IPN


def test_ipn_with_a_bad_signature_is_answered_97_and_records_nothing():
    params = {**_callback(), "vnp_Amount": "100"}
    decision = decide_ipn(params, SECRET, ORDER)
    assert decision.body() == {"RspCode": "97", "Message": "Invalid signature"}
    assert decision.outcome is Outcome.NONE


def test_signature_is_checked_before_anything_else():
    garbage = {"vnp_TxnRef": "nope", "vnp_Amount": "x", "vnp_SecureHash": "00"}
    assert decide_ipn(garbage, SECRET, None).answer is IpnAnswer.INVALID_SIGNATURE
    unknown = {**_callback(), "vnp_TxnRef": "OTHER"}
    assert decide_ipn(unknown, SECRET, None).answer is IpnAnswer.INVALID_SIGNATURE
    confirmed = replace(ORDER, already_confirmed=True)
    assert decide_ipn({**_callback(), "vnp_SecureHash": "ab"}, SECRET, confirmed).answer == "97"


def test_signed_but_unparseable_ipn_is_answered_99():
    garbage = _callback(amount="abc")
    assert verify(garbage, SECRET)
    decision = decide_ipn(garbage, SECRET, ORDER)
    assert decision.body() == {"RspCode": "99", "Message": "Unknown error"}
    assert decision.outcome is Outcome.NONE
    assert decide_ipn(_callback(vnp_PayDate="2025-01-01"), SECRET, ORDER).answer == "99"


def test_ipn_for_an_unknown_order_is_answered_01():
    decision = decide_ipn(_callback(), SECRET, None)
    assert decision.body() == {"RspCode": "01", "Message": "Order not found"}
    assert decision.outcome is Outcome.NONE


def test_an_order_loaded_for_another_reference_counts_as_not_found():
    other = replace(ORDER, txn_ref="PAY-20250101-0002")
    assert decide_ipn(_callback(), SECRET, other).answer is IpnAnswer.ORDER_NOT_FOUND


def test_ipn_with_another_amount_is_answered_04_and_records_nothing():
    decision = decide_ipn(_callback(amount="2000000"), SECRET, ORDER)
    assert decision.body() == {"RspCode": "04", "Message": "Invalid amount"}
    assert decision.outcome is Outcome.NONE


def test_amount_is_checked_before_idempotency():
    confirmed = replace(ORDER, already_confirmed=True)
    assert decide_ipn(_callback(amount="2000000"), SECRET, confirmed).answer == "04"


def test_a_replayed_ipn_is_answered_02_and_changes_nothing():
    confirmed = replace(ORDER, already_confirmed=True)
    decision = decide_ipn(_callback(), SECRET, confirmed)
    assert decision.body() == {"RspCode": "02", "Message": "Order already confirmed"}
    assert decision.outcome is Outcome.NONE


def test_a_successful_payment_is_confirmed_and_recorded_as_paid():
    decision = decide_ipn(_callback(), SECRET, ORDER)
    assert decision.body() == {"RspCode": "00", "Message": "Confirm Success"}
    assert decision.outcome is Outcome.PAID
    assert decision.callback.transaction_no == "14800123"


def test_a_cancelled_payment_is_confirmed_and_recorded_as_failed():
    decision = decide_ipn(_callback(response_code="24", status="02"), SECRET, ORDER)
    assert decision.body() == {"RspCode": "00", "Message": "Confirm Success"}
    assert decision.outcome is Outcome.FAILED


def test_response_00_with_an_unfinished_transaction_is_recorded_as_failed():
    assert decide_ipn(_callback(status="01"), SECRET, ORDER).outcome is Outcome.FAILED


# Messages


def test_every_documented_response_code_has_a_vietnamese_explanation():
    codes = {"00", "07", "09", "10", "11", "12", "13", "24", "51", "65", "75", "79", "99"}
    assert set(RESPONSE_MESSAGES) == codes
    assert RESPONSE_MESSAGES["24"] == "Bạn đã hủy giao dịch thanh toán."
    assert RESPONSE_MESSAGES["51"].startswith("Tài khoản không đủ số dư")


def test_an_unknown_response_code_reads_as_other_error():
    assert response_message("42") == RESPONSE_MESSAGES["99"]
    assert response_message("24") == RESPONSE_MESSAGES["24"]


# Sandbox gateway


def _received_request():
    return dict(parse_qsl(urlsplit(payment_url(GATEWAY, _request(), SECRET)).query))


def test_sandbox_callback_is_signed_and_accepted_as_paid():
    pay_date = datetime(2025, 1, 1, 1, 35, 12, tzinfo=UTC)
    params = gateway_callback_params(_received_request(), SECRET, "00", "14800123", "NCB", pay_date)
    assert params["vnp_SecureHash"] == _by_hand(params)
    assert params["vnp_PayDate"] == "20250101083512"
    assert params["vnp_TransactionStatus"] == "00"
    assert params["vnp_Amount"] == "1000000"
    assert params["vnp_TxnRef"] == "PAY-20250101-0001"
    assert decide_ipn(params, SECRET, ORDER).outcome is Outcome.PAID


def test_sandbox_cancellation_is_answered_00_and_recorded_as_failed():
    pay_date = datetime(2025, 1, 1, 1, 35, tzinfo=GMT7)
    params = gateway_callback_params(_received_request(), SECRET, "24", "0", "NCB", pay_date)
    assert params["vnp_TransactionStatus"] == "02"
    decision = decide_ipn(params, SECRET, ORDER)
    assert (decision.answer, decision.outcome) == (IpnAnswer.CONFIRMED, Outcome.FAILED)


def test_sandbox_refuses_a_request_with_a_bad_signature():
    tampered = {**_received_request(), "vnp_Amount": "100"}
    with pytest.raises(ValueError):
        gateway_callback_params(
            tampered, SECRET, "00", "1", "NCB", datetime(2025, 1, 1, tzinfo=UTC)
        )
