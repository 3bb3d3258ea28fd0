from __future__ import annotations

from prima.lib.loopback import is_loopback_address, non_loopback_hosts

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - a value under test, nothing is bound


def test_loopback_addresses_are_recognised():
    assert is_loopback_address("127.0.0.1")
    assert is_loopback_address("127.5.6.7")
    assert is_loopback_address("::1")
    assert is_loopback_address("[::1]")


def test_other_addresses_and_garbage_are_not_loopback():
    for address in (
        "10.0.0.5",
        ALL_INTERFACES,
        "192.168.1.1",
        "2001:db8::1",
        "",
        None,
        "localhost",
    ):
        assert not is_loopback_address(address), address


def test_only_loopback_host_names_pass():
    assert non_loopback_hosts(["127.0.0.1", "localhost", "::1", "[::1]"]) == []
    assert non_loopback_hosts(["127.0.0.1", "*", ".go.id", ALL_INTERFACES, "prima.example"]) == [
        "*",
        ".go.id",
        ALL_INTERFACES,
        "prima.example",
    ]
