"""The addresses of this machine that phones on the same network can reach."""

from __future__ import annotations

import ipaddress

import ifaddr

# A hotspot (Windows: 192.168.137.1, Android: 192.168.43.x, macOS: 192.168.2.1) or a
# venue's Wi-Fi comes first; 172.16/12 last, where container bridges usually live.
_PREFERRED = [
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
]


def _rank(address: ipaddress.IPv4Address) -> int:
    for rank, network in enumerate(_PREFERRED):
        if address in network:
            return rank
    return len(_PREFERRED) if address.is_private else len(_PREFERRED) + 1


def lan_addresses() -> list[str]:
    """The IPv4 addresses other devices may reach this machine at, the likeliest first.

    Loopback and link-local addresses (169.254.x.x, given when no DHCP answered) are left
    out: no phone reaches them. IPv4 only, because a room's phones are sure to have it.
    """
    found: set[ipaddress.IPv4Address] = set()
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not ip.is_IPv4:
                continue
            address = ipaddress.IPv4Address(ip.ip)
            if not (address.is_loopback or address.is_link_local or address.is_unspecified):
                found.add(address)
    return [str(a) for a in sorted(found, key=lambda a: (_rank(a), a))]
