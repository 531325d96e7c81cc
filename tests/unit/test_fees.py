"""Fees due by submission channel, exemptions as data, the initial fee status."""

import json
from pathlib import Path

import pytest

from app.domain.catalogue_import import parse_catalogue
from app.domain.fees import (
    EXEMPTION_LABELS,
    FEE_STATUS_LABELS,
    Channel,
    Exemption,
    FeeQuote,
    FeeStatus,
    amount_due,
    initial_status,
)

DEMO = json.loads((Path(__file__).parents[2] / "app/demo/catalogue.json").read_text())

RESIDENCE = [
    {
        "name": "Lệ phí đăng ký thường trú – nộp trực tiếp",
        "amount_vnd": 20000,
        "channel": "in_person",
    },
    {
        "name": "Lệ phí đăng ký thường trú – nộp trực tuyến",
        "amount_vnd": 10000,
        "channel": "online",
        "exempt_for": ["tre_em", "ho_ngheo", "nguoi_co_cong"],
    },
]
CERTIFICATION = [
    {"name": "Phí chứng thực – trang 1 và 2", "amount_vnd": 2000, "channel": "all"},
    {"name": "Phí chứng thực – từ trang thứ 3", "amount_vnd": 1000, "channel": "all"},
]
LAND = [
    {"name": "Lệ phí cấp Giấy chứng nhận", "amount_vnd": None, "channel": "all"},
    {"name": "Phí đo đạc", "amount_vnd": 150000, "channel": "all"},
]


def test_online_submission_pays_only_the_online_fee():
    quote = amount_due(RESIDENCE, "online", set())
    assert quote.lines == (("Lệ phí đăng ký thường trú – nộp trực tuyến", 10000),)
    assert quote.total_vnd == 10000
    assert quote.is_payable_online


@pytest.mark.parametrize("channel", [Channel.COUNTER, Channel.POST])
def test_counter_and_post_pay_the_in_person_fee(channel):
    quote = amount_due(RESIDENCE, channel, set())
    assert quote.lines == (("Lệ phí đăng ký thường trú – nộp trực tiếp", 20000),)
    assert quote.total_vnd == 20000


@pytest.mark.parametrize("channel", list(Channel))
def test_a_fee_for_all_channels_applies_to_every_channel(channel):
    assert amount_due(CERTIFICATION, channel, set()).total_vnd == 3000


def test_totals_are_whole_dong_integers():
    quote = amount_due(CERTIFICATION + RESIDENCE, "online", set())
    assert quote.total_vnd == 13000
    assert type(quote.total_vnd) is int
    assert all(type(amount) is int for _, amount in quote.lines)


def test_a_locally_set_amount_cannot_be_paid_online():
    quote = amount_due(LAND, "online", set())
    assert quote.has_local_amount
    assert quote.total_vnd == 150000
    assert quote.lines[0] == ("Lệ phí cấp Giấy chứng nhận", None)
    assert not quote.is_payable_online
    assert not quote.is_free
    assert initial_status(quote) is FeeStatus.UNPAID


def test_a_local_amount_alone_is_still_due_at_the_desk():
    quote = amount_due(LAND[:1], "counter", set())
    assert (quote.total_vnd, quote.has_local_amount) == (0, True)
    assert initial_status(quote) is FeeStatus.UNPAID


def test_a_local_amount_for_another_channel_does_not_count():
    fees = [{"name": "Lệ phí trực tiếp", "amount_vnd": None, "channel": "in_person"}, *LAND[1:]]
    quote = amount_due(fees, "online", set())
    assert not quote.has_local_amount
    assert quote.is_payable_online


def test_an_exemption_held_by_the_applicant_waives_the_fee():
    quote = amount_due(RESIDENCE, "online", {Exemption.HO_NGHEO})
    assert quote.lines == (("Lệ phí đăng ký thường trú – nộp trực tuyến", 0),)
    assert quote.exempted == ("Lệ phí đăng ký thường trú – nộp trực tuyến",)
    assert quote.is_free
    assert initial_status(quote) is FeeStatus.EXEMPT


def test_an_exemption_the_fee_does_not_list_changes_nothing():
    quote = amount_due(RESIDENCE, "online", {"nguoi_khuyet_tat"})
    assert (quote.total_vnd, quote.exempted) == (10000, ())
    assert initial_status(quote) is FeeStatus.UNPAID


def test_an_exemption_applies_only_to_the_fees_that_list_it():
    quote = amount_due(CERTIFICATION + RESIDENCE, "online", {"tre_em"})
    assert quote.total_vnd == 3000
    assert initial_status(quote) is FeeStatus.UNPAID


def test_an_exempted_local_fee_is_not_due():
    fees = [{**LAND[0], "exempt_for": ["nguoi_co_cong"]}]
    quote = amount_due(fees, "online", {"nguoi_co_cong"})
    assert not quote.has_local_amount
    assert quote.lines == (("Lệ phí cấp Giấy chứng nhận", 0),)
    assert initial_status(quote) is FeeStatus.EXEMPT


def test_the_catalogue_notes_are_not_parsed_for_exemptions():
    fees = [
        {
            "name": "Lệ phí cấp bản sao trích lục",
            "amount_vnd": 8000,
            "channel": "all",
            "ghi_chu": "Miễn cho người thuộc gia đình có công, hộ nghèo, người khuyết tật",
        }
    ]
    assert amount_due(fees, "online", {"ho_ngheo", "nguoi_co_cong"}).total_vnd == 8000


def test_free_fees_need_no_payment():
    fees = [{"name": "Lệ phí đăng ký khai sinh đúng hạn", "amount_vnd": 0, "channel": "all"}]
    quote = amount_due(fees, "online", set())
    assert quote.is_free
    assert not quote.is_payable_online
    assert initial_status(quote) is FeeStatus.NOT_REQUIRED
    assert initial_status(amount_due([], "online", set())) is FeeStatus.NOT_REQUIRED


def test_an_exemption_on_a_free_fee_is_not_reported_as_exempt():
    fees = [
        {"name": "Lệ phí khai sinh", "amount_vnd": 0, "channel": "all", "exempt_for": ["tre_em"]}
    ]
    quote = amount_due(fees, "online", {"tre_em"})
    assert quote.exempted == ()
    assert initial_status(quote) is FeeStatus.NOT_REQUIRED


def test_a_fee_without_a_channel_applies_everywhere():
    assert amount_due([{"name": "Phí", "amount_vnd": 5000}], "post", set()).total_vnd == 5000


@pytest.mark.parametrize(
    "fee",
    [
        {"name": "Phí", "amount_vnd": 12000.0, "channel": "all"},
        {"name": "Phí", "amount_vnd": 12000.5, "channel": "all"},
        {"name": "Phí", "amount_vnd": "12000", "channel": "all"},
        {"name": "Phí", "amount_vnd": -1, "channel": "all"},
        {"name": "Phí", "amount_vnd": True, "channel": "all"},
        {"name": "Phí", "amount_vnd": 1, "channel": "truc_tuyen"},
        {"name": "Phí", "amount_vnd": 1, "channel": ["all"]},
        {"name": "Phí", "amount_vnd": 1, "channel": "all", "exempt_for": "ho_ngheo"},
        {"name": "", "amount_vnd": 1, "channel": "all"},
        {"amount_vnd": 1, "channel": "all"},
    ],
)
def test_malformed_fees_are_refused(fee):
    with pytest.raises(ValueError):
        amount_due([fee], "online", set())


def test_an_unknown_submission_channel_is_refused():
    with pytest.raises(ValueError):
        amount_due(CERTIFICATION, "email", set())


def test_every_demo_procedure_can_be_quoted_for_every_channel():
    records = parse_catalogue(DEMO, {"tinh", "xa"})
    for record in records:
        snapshot = [
            {"name": f.name, "amount_vnd": f.amount_vnd, "channel": f.channel} for f in record.fees
        ]
        for channel in Channel:
            quote = amount_due(snapshot, channel, set())
            assert quote.has_local_amount == any(a is None for _, a in quote.lines)
            assert initial_status(quote) in (FeeStatus.UNPAID, FeeStatus.NOT_REQUIRED)


def test_a_quote_is_immutable():
    quote = amount_due(CERTIFICATION, "online", set())
    assert isinstance(quote, FeeQuote)
    with pytest.raises(AttributeError):
        quote.total_vnd = 0


def test_every_status_and_known_exemption_has_a_vietnamese_label():
    assert set(FEE_STATUS_LABELS) == set(FeeStatus)
    assert set(EXEMPTION_LABELS) == set(Exemption)
    assert FeeStatus.AWAITING_CONFIRMATION == "awaiting_confirmation"
