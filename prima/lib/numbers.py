"""Numbers in Indonesian words ("empat", "dua belas", "seratus lima puluh") as official
texts write them next to the digits: "4 (empat) hari kerja".

Pure functions: no Django import.
"""

from __future__ import annotations

_UNITS_ID = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
_UNITS_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_EN = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES_ID = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")]
_SCALES_EN = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]


def _below_thousand_id(n: int) -> str:
    if n < 12:
        return _UNITS_ID[n]
    if n < 20:
        return f"{_UNITS_ID[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        text = f"{_UNITS_ID[tens]} puluh"
        return f"{text} {_UNITS_ID[rest]}" if rest else text
    hundreds, rest = divmod(n, 100)
    text = "seratus" if hundreds == 1 else f"{_UNITS_ID[hundreds]} ratus"
    return f"{text} {_below_thousand_id(rest)}" if rest else text


def words_id(n: int) -> str:
    """``n`` in Indonesian words: 4 → "empat", 1000 → "seribu", 2500 → "dua ribu lima
    ratus"; negative numbers start with "minus"."""
    if n < 0:
        return f"minus {words_id(-n)}"
    if n < 1000:
        return _below_thousand_id(n)
    for scale, name in _SCALES_ID:
        if n >= scale:
            head, rest = divmod(n, scale)
            text = "seribu" if scale == 1000 and head == 1 else f"{words_id(head)} {name}"
            return f"{text} {words_id(rest)}" if rest else text
    raise AssertionError("unreachable")  # pragma: no cover


def _below_thousand_en(n: int) -> str:
    if n < 20:
        return _UNITS_EN[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_TENS_EN[tens]}-{_UNITS_EN[rest]}" if rest else _TENS_EN[tens]
    hundreds, rest = divmod(n, 100)
    text = f"{_UNITS_EN[hundreds]} hundred"
    return f"{text} {_below_thousand_en(rest)}" if rest else text


def words_en(n: int) -> str:
    """``n`` in English words: 4 → "four", 2500 → "two thousand five hundred"."""
    if n < 0:
        return f"minus {words_en(-n)}"
    if n < 1000:
        return _below_thousand_en(n)
    for scale, name in _SCALES_EN:
        if n >= scale:
            head, rest = divmod(n, scale)
            text = f"{words_en(head)} {name}"
            return f"{text} {words_en(rest)}" if rest else text
    raise AssertionError("unreachable")  # pragma: no cover


def words(n: int, lang: str = "id") -> str:
    """``n`` in words of the language (``id`` or ``en``)."""
    return words_en(n) if lang.startswith("en") else words_id(n)
