"""Rupiah amounts and Indonesian number formatting ("Rp 350.000", "1.234,5")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """Thousands with ".", decimals with ","."""
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    integer, _, fraction = f"{abs(amount):f}".partition(".")
    groups: list[str] = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = ".".join(groups) or "0"
    return sign + (f"{text},{fraction}" if decimals else text)


def format_rupiah(value: int | float | Decimal) -> str:
    """ "Rp 350.000" (whole rupiah; negative as "-Rp 5.000")."""
    amount = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_number(abs(amount))}"
