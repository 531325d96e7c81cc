"""Who is asking, and under which name: pure rules for client addresses and Host headers."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

Network = IPv4Network | IPv6Network


def _is_trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        parsed = ip_address(address.strip())
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def client_address(peer: str, forwarded_for: str, proxies: Sequence[Network]) -> str:
    """The client's address: the connection's peer, unless the peer is a trusted proxy; then
    the right-most X-Forwarded-For entry that is not itself a trusted proxy."""
    if not proxies or not _is_trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, proxies):
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer  # a forged, malformed entry: fall back to the proxy itself
    return peer


def host_name(host_header: str) -> str:
    """``Host`` without its port, lower-cased ("[::1]:8000" → "::1")."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host_header: str, allowed: Collection[str]) -> bool:
    return "*" in allowed or host_name(host_header) in allowed
