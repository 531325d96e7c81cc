"""Client addresses behind proxies, Host names, and the start-up refusal of unsafe settings."""

from dataclasses import replace
from ipaddress import ip_network

import pytest

from app.domain.addresses import client_address, host_allowed
from app.settings import SANDBOX_SECRET, UnsafeSettings, check, get_settings

PROXY = (ip_network("10.0.0.0/24"),)


def test_forwarded_for_is_ignored_without_trusted_proxies():
    assert client_address("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"
    assert client_address("198.51.100.1", "203.0.113.9", PROXY) == "198.51.100.1"


def test_forwarded_for_from_a_trusted_proxy_gives_the_right_most_untrusted_hop():
    assert client_address("10.0.0.5", "1.2.3.4, 203.0.113.9", PROXY) == "203.0.113.9"
    assert client_address("10.0.0.5", "203.0.113.9, 10.0.0.7", PROXY) == "203.0.113.9"
    assert client_address("10.0.0.5", "not-an-address", PROXY) == "10.0.0.5"
    assert client_address("10.0.0.5", "", PROXY) == "10.0.0.5"


def test_host_names_are_compared_without_the_port():
    allowed = {"dichvucong.example.vn"}
    assert host_allowed("dichvucong.example.vn:443", allowed)
    assert host_allowed("DichVuCong.example.vn", allowed)
    assert not host_allowed("evil.example", allowed)
    assert not host_allowed("dichvucong.example.vn.evil.example", allowed)
    assert host_allowed("[::1]:8000", {"::1"})


def _production(**changes):
    base = replace(
        get_settings(),
        environment="production",
        secret_key="a-long-random-production-secret-0123456789",
        base_url="https://dichvucong.example.vn",
        vnpay_url="",
        sandbox_gateway=False,
    )
    return replace(base, **changes)


def test_a_safe_production_configuration_starts():
    check(_production())


@pytest.mark.parametrize(
    "changes",
    [
        {"vnpay_url": "https://pay.vnpay.vn/vpcpay.html", "vnpay_secret_set": False},
        {
            "vnpay_url": "https://pay.vnpay.vn/vpcpay.html",
            "vnpay_secret_set": True,
            "vnpay_secret": SANDBOX_SECRET,
        },
        {"secret_key": ""},
        {"secret_key": "test-secret-key"},
        {"base_url": ""},
        {
            "vnpay_url": "https://pay.vnpay.vn/vpcpay.html",
            "vnpay_secret_set": True,
            "vnpay_secret": "real",
            "sandbox_gateway": True,
        },
    ],
)
def test_unsafe_configurations_are_refused(changes):
    with pytest.raises(UnsafeSettings):
        check(_production(**changes))


def test_development_needs_no_base_url_or_key():
    check(_production(environment="development", base_url="", secret_key=""))
