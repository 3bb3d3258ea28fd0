from decimal import Decimal

from prima.lib.money import format_number, format_rupiah


def test_rupiah():
    assert format_rupiah(350000) == "Rp 350.000"
    assert format_rupiah(Decimal("1000000")) == "Rp 1.000.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(-5000) == "-Rp 5.000"


def test_numbers():
    assert format_number(1234.5, 1) == "1.234,5"
    assert format_number(999) == "999"
    assert format_number(-1234567) == "-1.234.567"
