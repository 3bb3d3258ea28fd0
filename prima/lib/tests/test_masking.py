from __future__ import annotations

import pytest

from prima.lib.masking import mask_contact, mask_email, mask_phone


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
