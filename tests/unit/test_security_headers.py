"""The content security policy lets forms reach the payment gateway and nothing else."""

from app.security import content_security_policy


def _form_action(policy: str) -> list[str]:
    for directive in policy.split(";"):
        name, *sources = directive.split()
        if name == "form-action":
            return sources
    raise AssertionError(f"no form-action in {policy!r}")


def test_forms_may_post_to_the_gateway_origin_only() -> None:
    policy = content_security_policy("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
    assert _form_action(policy) == ["'self'", "https://sandbox.vnpayment.vn"]


def test_a_gateway_on_another_port_is_its_own_origin() -> None:
    policy = content_security_policy("http://127.0.0.1:8001/paymentv2/vpcpay.html")
    assert _form_action(policy) == ["'self'", "http://127.0.0.1:8001"]


def test_scripts_and_frames_stay_locked_down() -> None:
    policy = content_security_policy("https://pay.example.vn/pay")
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
