"""Masking of personal contact data in lists: "0812****5678", "ra***@tempo.co".

A list shows enough of a phone number or an e-mail address to tell two entries apart and
to recognise a known one, not enough to contact the person. Pages that show the full value
(a detail page, an export) do so only to roles whose policy allows it
(``personal_data.view``); everything else goes through these functions.
"""

from __future__ import annotations

import re

MASK = "****"


def mask_phone(value: str | None) -> str:
    """``"081234565678"`` → ``"0812****5678"``: the first four and the last four digits
    stay, the middle is hidden. Short numbers keep fewer digits (a third at each end);
    separators and a leading "+" are dropped from the shown value. "" for no value."""
    if not value:
        return ""
    text = str(value).strip()
    plus = "+" if text.startswith("+") else ""
    digits = "".join(c for c in text if c.isdigit())
    if not digits:
        return MASK
    keep = min(4, len(digits) // 3)
    if keep == 0:
        return MASK
    return f"{plus}{digits[:keep]}{MASK}{digits[-keep:]}"


def mask_email(value: str | None) -> str:
    """``"rahmat@tempo.co"`` → ``"ra***@tempo.co"``: the first two characters of the
    local part (one if it is short) and the whole domain stay. Text without an "@" is
    masked like a name: its first character and "***". "" for no value."""
    if not value:
        return ""
    text = str(value).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return f"{text[:1]}***"
    shown = local[:2] if len(local) > 3 else local[:1]
    return f"{shown}***@{domain}"


def mask_contact(value: str | None) -> str:
    """An e-mail address or a phone number, whichever ``value`` looks like."""
    if value and "@" in str(value):
        return mask_email(value)
    return mask_phone(value)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Indonesian numbers as people type them: 0812-3456-7890, +62 812 3456 7890, 62812…
# "62" without "+" only before a mobile number's 8, so that "Rp 620.000.000" stays.
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62(?=[ .-]?8)|0)[\d .-]{7,16}\d(?!\w)")


def mask_in_text(text: str | None) -> str:
    """Free text (a public report, a note) with every e-mail address and Indonesian phone
    number in it masked, for lists that show an excerpt."""
    if not text:
        return ""

    def phone(match: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in match.group(0))
        return mask_phone(match.group(0)) if digits >= 9 else match.group(0)

    return _PHONE.sub(phone, _EMAIL.sub(lambda m: mask_email(m.group(0)), str(text)))
