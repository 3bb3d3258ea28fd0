"""Loopback addresses and host names: what may use ``PRIMA_LOOPBACK_PLAIN_HTTP``.

Pure helpers (no Django import): the settings module refuses the switch unless every
allowed host name is a loopback one, and a middleware refuses requests from any other
address while it is on.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

LOOPBACK_HOST_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def is_loopback_address(address: str | None) -> bool:
    """Is ``address`` (an IPv4 or IPv6 address as a string) a loopback address?"""
    if not address:
        return False
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def non_loopback_hosts(hosts: Iterable[str]) -> list[str]:
    """The host names (Django ``ALLOWED_HOSTS`` entries) that are not loopback ones; a
    wildcard such as ``*`` or ``.example.org`` is never loopback."""
    return [h for h in hosts if h not in LOOPBACK_HOST_NAMES and not is_loopback_address(h)]
