from __future__ import annotations

import pytest

from prima.lib.masking import mask_contact, mask_email, mask_in_text, mask_phone


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("081234565678", "0812****5678"),
        ("0812-3456-5678", "0812****5678"),
        ("+62 812 3456 5678", "+6281****5678"),
        ("021 5505", "02****05"),
        ("112", "1****2"),
        ("12", "****"),
        ("", ""),
        (None, ""),
        ("n/a", "****"),
    ],
)
def test_mask_phone(value: str | None, shown: str) -> None:
    assert mask_phone(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("rahmat@tempo.co", "ra***@tempo.co"),
        ("ari@kompas.id", "a***@kompas.id"),
        ("x@y.id", "x***@y.id"),
        ("no-at-sign", "n***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_email(value: str | None, shown: str) -> None:
    assert mask_email(value) == shown


def test_mask_contact_picks_the_kind() -> None:
    assert mask_contact("rahmat@tempo.co") == "ra***@tempo.co"
    assert mask_contact("081234565678") == "0812****5678"


def test_the_middle_of_a_number_never_shows() -> None:
    assert "3456" not in mask_phone("081234565678")


def test_mask_in_text_hides_numbers_and_addresses_in_a_message() -> None:
    text = (
        "Calo minta Rp 2.000.000, WA 0812-3456-7890 atau +62 813 1111 2222; "
        "balas ke budi.s@gmail.com. Antre 3 jam, loket 12, tahun 2025, bayar Rp 620.000.000."
    )
    masked = mask_in_text(text)
    assert "3456" not in masked and "1111" not in masked and "budi.s@" not in masked
    assert "0812****7890" in masked and "+6281****2222" in masked and "bu***@gmail.com" in masked
    # Money, hours, counters and years stay.
    assert "Rp 2.000.000" in masked and "3 jam" in masked and "loket 12" in masked
    assert "2025" in masked and "Rp 620.000.000" in masked
    assert mask_in_text("hubungi 6281234567890") == "hubungi 6281****7890"


def test_mask_in_text_of_nothing() -> None:
    assert mask_in_text(None) == "" and mask_in_text("") == ""
