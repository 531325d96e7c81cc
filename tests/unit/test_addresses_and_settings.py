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


def test_every_setting_is_read_from_its_variable(monkeypatch):
    values = {
        "MOTCUA_SMS_URL": "https://sms.example.vn/send",
        "MOTCUA_SMS_TOKEN": "token-1",
        "MOTCUA_REGISTRATIONS_PER_ADDRESS": "11",
        "MOTCUA_PROFILE_SAVES_PER_ACCOUNT": "12",
        "MOTCUA_PROFILE_SAVES_PER_ADDRESS": "13",
        "MOTCUA_TRACKING_LOOKUPS_PER_ADDRESS": "14",
        "MOTCUA_STATISTICS_TARGETS": '{"on_time": 90}',
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        settings = get_settings()
    finally:
        get_settings.cache_clear()
    assert (settings.sms_url, settings.sms_token) == ("https://sms.example.vn/send", "token-1")
    assert settings.registrations_per_address == 11
    assert (settings.profile_saves_per_account, settings.profile_saves_per_address) == (12, 13)
    assert settings.tracking_lookups_per_address == 14
    assert settings.statistics_targets == '{"on_time": 90}'


def test_the_statistics_reading_is_read_from_its_variable_and_a_bad_one_stops_the_start(
    monkeypatch,
):
    from app.domain.statistics import NATIONAL, Reading

    get_settings.cache_clear()
    try:
        assert get_settings().statistics_reading == NATIONAL
        monkeypatch.setenv("MOTCUA_STATISTICS_READING", '{"compare": "date"}')
        get_settings.cache_clear()
        assert get_settings().statistics_reading == Reading(compare="date")
        for bad in ('{"compare": "date"', '["date"]', '{"compare": "hour"}'):
            monkeypatch.setenv("MOTCUA_STATISTICS_READING", bad)
            get_settings.cache_clear()
            with pytest.raises(ValueError, match="MOTCUA_STATISTICS_READING"):
                get_settings()
    finally:
        get_settings.cache_clear()


def test_the_environment_is_read_only_by_the_settings_module():
    from pathlib import Path

    app_dir = Path(__file__).resolve().parents[2] / "app"
    readers = [
        str(path.relative_to(app_dir))
        for path in app_dir.rglob("*.py")
        if path.name != "settings.py"
        and ("os.environ" in path.read_text() or "getenv" in path.read_text())
    ]
    assert readers == ["__init__.py"]  # PICCOLO_CONF, set before Piccolo is imported


def test_the_readme_configuration_table_lists_every_setting():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    read = set(re.findall(r'"(MOTCUA_[A-Z0-9_]+)"', (root / "app/settings.py").read_text()))
    table = [
        line for line in (root / "README.md").read_text().splitlines() if line.startswith("| `")
    ]
    listed = set(re.findall(r"`(MOTCUA_[A-Z0-9_]+)`", "\n".join(table)))
    assert read and read <= listed
