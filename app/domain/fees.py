"""Fees of a dossier: what is due for a submission channel, exemptions, the fee status.

Pure: amounts are whole VND (``int``), never floats. The input is the snapshot a dossier keeps
of its procedure's fees (``services.wizard._rules``): mappings with ``name``, ``amount_vnd``
(``int``, or ``None`` when the provincial People's Council sets it locally) and ``channel``
(``all`` | ``in_person`` | ``online``). A fee may also carry ``exempt_for``: the exemption keys
(see :class:`Exemption`) that waive it. Exemptions are data on purpose: the catalogue's free-text
notes ("Miễn cho người thuộc hộ nghèo…") are not parsed; whoever maintains the catalogue states
them as keys.

What this module does not model: quantities (fees per page or per copy, and their caps) and
alternative rates for the same service; each line is charged once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class FeeStatus(StrEnum):
    NOT_REQUIRED = "not_required"  # nothing to pay
    UNPAID = "unpaid"
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # sent to the gateway, no IPN yet
    PAID = "paid"
    REFUNDED = "refunded"
    EXEMPT = "exempt"  # something was due, the applicant's exemption waived all of it


FEE_STATUS_LABELS = {
    FeeStatus.NOT_REQUIRED: "Không phải nộp phí, lệ phí",
    FeeStatus.UNPAID: "Chưa nộp phí, lệ phí",
    FeeStatus.AWAITING_CONFIRMATION: "Đang chờ xác nhận thanh toán",
    FeeStatus.PAID: "Đã nộp phí, lệ phí",
    FeeStatus.REFUNDED: "Đã hoàn trả phí, lệ phí",
    FeeStatus.EXEMPT: "Được miễn phí, lệ phí",
}


class Channel(StrEnum):
    """How the dossier is submitted."""

    ONLINE = "online"
    COUNTER = "counter"
    POST = "post"


CHANNEL_LABELS = {
    Channel.ONLINE: "Nộp trực tuyến",
    Channel.COUNTER: "Nộp trực tiếp tại bộ phận một cửa",
    Channel.POST: "Nộp qua dịch vụ bưu chính công ích",
}

# A fee's channel (from the catalogue's "kenh") → the submission channels it applies to.
# Postal submission counts as in person (Decision 45/2016: the postal employee acts for the desk).
FEE_CHANNELS: dict[str, frozenset[Channel]] = {
    "all": frozenset(Channel),
    "online": frozenset({Channel.ONLINE}),
    "in_person": frozenset({Channel.COUNTER, Channel.POST}),
}


class Exemption(StrEnum):
    """Known exemption keys. Any string works as a key; these have labels."""

    NGUOI_CO_CONG = "nguoi_co_cong"
    HO_NGHEO = "ho_ngheo"
    TRE_EM = "tre_em"
    NGUOI_KHUYET_TAT = "nguoi_khuyet_tat"
    NGUOI_CAO_TUOI = "nguoi_cao_tuoi"


EXEMPTION_LABELS = {
    Exemption.NGUOI_CO_CONG: "Người có công với cách mạng và thân nhân",
    Exemption.HO_NGHEO: "Thành viên hộ nghèo",
    Exemption.TRE_EM: "Trẻ em",
    Exemption.NGUOI_KHUYET_TAT: "Người khuyết tật",
    Exemption.NGUOI_CAO_TUOI: "Người cao tuổi",
}


@dataclass(frozen=True)
class FeeQuote:
    """What is due for one channel.

    ``lines``: every fee that applies to the channel as (name, amount charged): 0 when exempted,
    ``None`` when set locally. ``total_vnd`` sums the known amounts. ``has_local_amount``: a fee
    still due has no amount here, so it cannot be paid online and is settled at the desk.
    ``exempted``: names of the fees an exemption waived (fees that were not already free).
    """

    total_vnd: int
    lines: tuple[tuple[str, int | None], ...]
    has_local_amount: bool = False
    exempted: tuple[str, ...] = ()

    @property
    def is_free(self) -> bool:
        return self.total_vnd == 0 and not self.has_local_amount

    @property
    def is_payable_online(self) -> bool:
        return self.total_vnd > 0 and not self.has_local_amount


def amount_due(
    fees: Sequence[Mapping[str, object]],
    channel: Channel | str,
    exemptions: Collection[str] = frozenset(),
) -> FeeQuote:
    """The fees due for ``channel`` by an applicant holding ``exemptions``.

    Raises ``ValueError`` for an unknown channel or a malformed fee (a float or negative amount,
    an unknown fee channel, ``exempt_for`` given as a single string).
    """
    submitted = Channel(channel)
    held = frozenset(exemptions)
    lines: list[tuple[str, int | None]] = []
    exempted: list[str] = []
    has_local_amount = False
    for fee in fees:
        name, amount, applies_to, exempt_for = _read(fee)
        if submitted not in applies_to:
            continue
        if held & exempt_for:
            if amount != 0:
                exempted.append(name)
            amount = 0
        has_local_amount = has_local_amount or amount is None
        lines.append((name, amount))
    total = sum(amount for _, amount in lines if amount is not None)
    return FeeQuote(total, tuple(lines), has_local_amount, tuple(exempted))


def _read(fee: Mapping[str, object]) -> tuple[str, int | None, frozenset[Channel], frozenset[str]]:
    name = fee.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("phí, lệ phí phải có tên")
    amount = fee.get("amount_vnd")
    if amount is not None and (
        isinstance(amount, bool) or not isinstance(amount, int) or amount < 0
    ):
        raise ValueError(f"{name}: số tiền phải là số nguyên đồng không âm hoặc để trống")
    fee_channel = fee.get("channel", "all")
    if not isinstance(fee_channel, str) or fee_channel not in FEE_CHANNELS:
        raise ValueError(f"{name}: hình thức nộp không hợp lệ: {fee_channel!r}")
    exempt_for = fee.get("exempt_for", ())
    if isinstance(exempt_for, str) or not isinstance(exempt_for, Collection):
        raise ValueError(f"{name}: exempt_for phải là danh sách mã đối tượng miễn")
    return name, amount, FEE_CHANNELS[fee_channel], frozenset(exempt_for)


def initial_status(quote: FeeQuote) -> FeeStatus:
    """Unpaid when anything is due (a known amount or one set locally); otherwise exempt when an
    exemption waived what would have been due, not required when nothing was ever due."""
    if not quote.is_free:
        return FeeStatus.UNPAID
    return FeeStatus.EXEMPT if quote.exempted else FeeStatus.NOT_REQUIRED
